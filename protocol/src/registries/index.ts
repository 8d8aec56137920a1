// The registries' label data alone (`@approval-ledger/protocol/registries`): no zod, no ethers, for readers
// such as the explorer's first page that show labels only. The package root exports all of it too.
export { CERTIFICATE_TYPES, CERTIFICATE_TYPE_CODES, type CertificateType } from './certificate-types.js';
export { DECISIONS, DECISION_CODES, type Decision } from './decisions.js';
export { DEPARTMENTS, DEPARTMENT_CODES, type DepartmentCode } from './departments.js';
export {
  PROJECT_KINDS,
  PROJECT_KIND_CODES,
  PROJECT_TYPES,
  PROJECT_TYPE_CODES,
  type ProjectKind,
  type ProjectType,
} from './project-kinds.js';
export {
  REGIONS,
  REGION_CODES,
  regionByMspId,
  regionOfDivision,
  type MspId,
  type RegionCode,
} from './regions.js';
export {
  CHAINCODE_BASE_NAME,
  CHAINCODE_DEFINITIONS,
  chaincodeDefinition,
  namespaceOfRecord,
  recognitionNamespace,
  regionNamespace,
  type ChaincodeDefinition,
  type NamespaceScope,
} from './namespaces.js';
export { ROLES, ROLE_NAMES, ROLE_ATTRIBUTE, DEPT_ATTRIBUTE, type Role } from './roles.js';
export { PHASES, PHASE_CODES, STAGES, STAGE_CODES, type PhaseCode, type StageCode } from './stages.js';
