// The hub's HTTP API (`/api/v1`) as one contract: every request and response schema, and the types inferred
// from them. The hub validates requests and generates its OpenAPI document from these schemas and types its
// services by them; the explorer types its API client by them. Browser-safe, like the rest of the package:
// `@approval-ledger/protocol/api`.
export * from './api-fields.js';
export * from './requests.js';
export * from './ingest.js';
export * from './recognitions.js';
export * from './provenance.js';
export * from './record-versions.js';
export * from './certificates.js';
export * from './verification.js';
export * from './chaincode-event.js';
export * from './chain.js';
export * from './operations.js';
export * from './live-events.js';
export * from './checkpoints.js';
export * from './anchors.js';
