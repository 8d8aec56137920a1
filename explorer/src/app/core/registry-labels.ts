/**
 * The protocol registries whose Chinese and English labels the explorer shows, loaded with a dynamic import at
 * start-up (see `TranslationService.loadRegistryLabels`). The protocol package keeps the registries' zod schemas
 * apart (`registries/registry-schemas.ts`) and marks its builds side-effect free, so this chunk holds the label
 * data only, not zod or ethers.
 */
import {
  CERTIFICATE_TYPES,
  DECISIONS,
  DEPARTMENTS,
  PROJECT_TYPES,
  REGIONS,
  STAGES,
  regionByMspId,
} from '@approval-ledger/protocol/registries';

export const REGISTRY_LABELS = {
  regions: REGIONS,
  departments: DEPARTMENTS,
  stages: STAGES,
  decisions: DECISIONS,
  projectTypes: PROJECT_TYPES,
  certificateTypes: CERTIFICATE_TYPES,
  regionByMspId,
};

export type RegistryLabels = typeof REGISTRY_LABELS;
