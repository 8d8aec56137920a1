/**
 * The zod schemas of the registries' codes. They live apart from the registries' label data so that a reader
 * of labels alone (the explorer's first page) does not load zod.
 */
import { z } from 'zod';
import { CERTIFICATE_TYPE_CODES } from './certificate-types.js';
import { DECISION_CODES } from './decisions.js';
import { DEPARTMENT_CODES } from './departments.js';
import { PROJECT_KIND_CODES, PROJECT_TYPE_CODES } from './project-kinds.js';
import { REGION_CODES } from './regions.js';
import { ROLE_NAMES } from './roles.js';
import { PHASE_CODES, STAGE_CODES } from './stages.js';

export const CertificateTypeSchema = z.enum(CERTIFICATE_TYPE_CODES);
export const DecisionSchema = z.enum(DECISION_CODES);
export const DepartmentSchema = z.enum(DEPARTMENT_CODES);
export const ProjectKindSchema = z.enum(PROJECT_KIND_CODES);
export const ProjectTypeSchema = z.enum(PROJECT_TYPE_CODES);
export const RegionSchema = z.enum(REGION_CODES);
export const RoleSchema = z.enum(ROLE_NAMES);
export const PhaseSchema = z.enum(PHASE_CODES);
export const StageSchema = z.enum(STAGE_CODES);
