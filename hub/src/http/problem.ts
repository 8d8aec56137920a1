/**
 * Errors as `application/problem+json` (RFC 9457). Every problem has a stable `type`
 * (`/api/v1/problems/<slug>`, documented at that address and in the OpenAPI document), a short `title`, a
 * `detail` for this occurrence, the `status`, the `instance` (the request path) and, for validation
 * failures, `errors`: one entry per failing field with its path and the rule it broke.
 */
import { type ValidationIssue } from '@approval-ledger/protocol';

export const PROBLEM_BASE = '/api/v1/problems/';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

interface ProblemTypeInfo {
  readonly status: number;
  readonly title: string;
  readonly description: string;
}

/** Every problem type the API answers with; the slug is the stable part of `type`. */
export const PROBLEM_TYPES = {
  'validation-failed': {
    status: 400,
    title: 'The request is not valid',
    description: 'A field broke a rule of the protocol schemas; `errors` lists each path, rule and message.',
  },
  'malformed-json': {
    status: 400,
    title: 'The body is not JSON',
    description: 'The request body could not be parsed as JSON.',
  },
  'malformed-multipart': {
    status: 400,
    title: 'The multipart form is malformed',
    description:
      'A multipart/form-data body without a boundary, cut short before its closing boundary, or with a malformed part header.',
  },
  'malformed-body': {
    status: 400,
    title: 'The body could not be read',
    description: 'E.g. a Content-Encoding (gzip, deflate, br) that does not match the bytes sent.',
  },
  'method-not-allowed': {
    status: 405,
    title: 'Method not allowed',
    description: 'The hub serves no tunnels (CONNECT); see /api/v1/openapi.json for the routes.',
  },
  'expectation-failed': {
    status: 417,
    title: 'Expectation failed',
    description: 'The only `Expect` the hub meets is `100-continue`.',
  },
  'bad-request': {
    status: 400,
    title: 'The request is not valid HTTP',
    description: 'The request line or headers could not be parsed; nothing was done.',
  },
  'request-header-fields-too-large': {
    status: 431,
    title: 'The request headers are too large',
    description:
      'The header block is larger than the server accepts (`limit` gives it in bytes); send a shorter one.',
  },
  'request-timeout': {
    status: 408,
    title: 'The request took too long',
    description: 'The request line, headers or body did not arrive in time; the connection was closed.',
  },
  'payload-too-large': {
    status: 413,
    title: 'The body is too large',
    description: 'The body or an uploaded document is larger than the limit (`limit` gives it in bytes).',
  },
  'unsupported-media-type': {
    status: 415,
    title: 'Unsupported content type',
    description: 'Send application/json, or multipart/form-data where an upload is accepted.',
  },
  unauthenticated: {
    status: 401,
    title: 'Authentication required',
    description: 'Send `Authorization: Bearer <token>` with a valid, unexpired, unrevoked token.',
  },
  forbidden: {
    status: 403,
    title: 'Not allowed for this role',
    description: "The token's role may not use this route.",
  },
  'forbidden-region': {
    status: 403,
    title: 'Not allowed for this region',
    description: "The token's region may not write or decide for the region named.",
  },
  'forbidden-department': {
    status: 403,
    title: 'Not allowed for this department',
    description: "The token's department may not write records of the department named.",
  },
  'issuer-not-authorised': {
    status: 403,
    title: 'The issuer registry does not authorise this',
    description: 'The department is not granted this stage or certificate type at that time.',
  },
  'signer-not-authorised': {
    status: 403,
    title: 'The signer is not authorised',
    description: 'The address is not a registered, unrevoked signer of the deciding region at that time.',
  },
  'not-found': {
    status: 404,
    title: 'Not found',
    description: 'The record, block or transaction asked for does not exist.',
  },
  'route-not-found': {
    status: 404,
    title: 'No such route',
    description: 'See /api/v1/openapi.json for the routes.',
  },
  'record-conflict': {
    status: 409,
    title: 'Conflicting record',
    description: 'The same id is already anchored with a different commitment.',
  },
  'invalid-state': {
    status: 409,
    title: 'Not possible in the current state',
    description: 'E.g. deciding a recognition that was already decided, or of a revoked certificate.',
  },
  'signature-replayed': {
    status: 409,
    title: 'Signature already used',
    description: 'This signed decision was already used once.',
  },
  'transaction-invalid': {
    status: 409,
    title: 'The transaction was invalidated',
    description:
      'The ledger ordered the transaction but invalidated it at commit (e.g. an MVCC read conflict); retry.',
  },
  'ledger-validation-failed': {
    status: 422,
    title: 'The chaincode refused the input',
    description: 'The chaincode found an argument that breaks a rule.',
  },
  'bad-signature': {
    status: 422,
    title: 'Bad signature',
    description: 'The EIP-712 signature does not verify or is not by the named signer.',
  },
  'credit-refused': {
    status: 422,
    title: 'Refused for credit reasons',
    description: 'Conditional acceptance needs credit level A and no listing as dishonest.',
  },
  'batch-too-large': {
    status: 413,
    title: 'Too many records',
    description: 'At most 500 records per request or ledger transaction.',
  },
  'rate-limited': {
    status: 429,
    title: 'Too many requests',
    description: 'Slow down; `Retry-After` says when to try again.',
  },
  'proof-unavailable': {
    status: 422,
    title: 'No proof bundle can be built for this record',
    description:
      'The record is anchored, but the ledger engine did not give the hub what a proof bundle needs (e.g. a ' +
      'Fabric block without its original bytes); `detail` says what is missing.',
  },
  'ledger-error': {
    status: 502,
    title: 'The ledger failed',
    description: 'The chaincode or the ledger engine failed without a stable error code.',
  },
  'ledger-unavailable': {
    status: 503,
    title: 'The ledger is unavailable',
    description: 'The ledger could not be reached, or the hub is shutting down; retry later.',
  },
  'bus-unavailable': {
    status: 503,
    title: 'NATS is unavailable',
    description:
      'The hub cannot reach NATS JetStream now (it reconnects by itself); nothing was accepted. Retry after `Retry-After` seconds: the same source record + version is de-duplicated.',
  },
  'not-ready': {
    status: 503,
    title: 'Not ready',
    description: 'A dependency of the hub (database, NATS, ledger) is not available.',
  },
  internal: {
    status: 500,
    title: 'Internal error',
    description: 'Something unexpected failed; the request id in the logs tells which request.',
  },
} as const satisfies Record<string, ProblemTypeInfo>;

export type ProblemSlug = keyof typeof PROBLEM_TYPES;

/** The body of a problem response. */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly errors?: readonly ValidationIssue[];
  readonly [extension: string]: unknown;
}

/** An error that the API answers with a problem of type `slug`. */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';

  constructor(
    readonly slug: ProblemSlug,
    readonly detail: string,
    readonly extensions: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(detail, options);
  }

  get status(): number {
    return PROBLEM_TYPES[this.slug].status;
  }

  /** The problem body for a request to `instance`. */
  toProblem(instance?: string): ProblemDetails {
    const info = PROBLEM_TYPES[this.slug];
    return {
      type: problemType(this.slug),
      title: info.title,
      status: info.status,
      detail: this.detail,
      ...(instance === undefined ? {} : { instance }),
      ...this.extensions,
    };
  }

  /** A validation failure listing each field path, rule and message. */
  static validation(where: string, issues: readonly ValidationIssue[]): HttpProblem {
    const first = issues[0];
    const summary = first ? `${first.path || where}: ${first.message}` : 'invalid';
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    return new HttpProblem('validation-failed', `${where} is not valid: ${summary}${more}`, {
      errors: issues.map((i) => ({ ...i, path: prefixPath(where, i.path) })),
    });
  }
}

export function problemType(slug: ProblemSlug): string {
  return `${PROBLEM_BASE}${slug}`;
}

/** `body`, `query`, `params` prefix the field path so clients know where the field is. */
function prefixPath(where: string, path: string): string {
  if (path === '') return where;
  return path.startsWith('[') ? `${where}${path}` : `${where}.${path}`;
}
