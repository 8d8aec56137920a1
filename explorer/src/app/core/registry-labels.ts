/**
 * The protocol registries whose Chinese and English labels the explorer shows. Loaded with a dynamic import
 * at start-up (see `TranslationService.loadRegistryLabels`): the protocol package's registry modules also
 * define their zod schemas at module level, which would otherwise put zod into the initial bundle.
 */
import {
  CERTIFICATE_TYPES,
  DECISIONS,
  DEPARTMENTS,
  PROJECT_TYPES,
  REGIONS,
  STAGES,
  regionByMspId,
} from '@approval-ledger/protocol';

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
