/**
 * National investment project codes (全国投资项目在线审批监管平台项目代码): YYYY-AAAAAA-BB-CC-NNNNNN
 * = year of filing, administrative division, industry, kind (01 审批, 02 核准, 03 备案), serial.
 */
import { PROJECT_KINDS, type ProjectKind } from './registries/project-kinds.js';
import { regionOfDivision, type RegionCode } from './registries/regions.js';
import { ProtocolValidationError, violation, type RuleViolation } from './protocol-validation.error.js';

export interface ProjectCode {
  readonly year: number;
  /** Six-digit administrative division code, e.g. `110105` (Chaoyang, Beijing). */
  readonly division: string;
  readonly region: RegionCode;
  /** Two-digit industry code. */
  readonly industry: string;
  readonly kind: ProjectKind;
  /** Six-digit serial, leading zeros kept. */
  readonly serial: string;
}

export type ProjectCodeCheck = { readonly ok: true; readonly value: ProjectCode } | RuleViolation;

const FORMAT = 'YYYY-AAAAAA-BB-CC-NNNNNN';
const SEGMENTS = [
  { name: 'year', digits: 4, rule: 'projectCode.year' },
  { name: 'division code', digits: 6, rule: 'projectCode.division' },
  { name: 'industry code', digits: 2, rule: 'projectCode.industry' },
  { name: 'kind', digits: 2, rule: 'projectCode.kind' },
  { name: 'serial', digits: 6, rule: 'projectCode.serial' },
] as const;

type Parts = [year: string, division: string, industry: string, kind: string, serial: string];

/** Checks a project code, returning its parts or the rule it breaks. */
export function checkProjectCode(code: unknown): ProjectCodeCheck {
  if (typeof code !== 'string') {
    return violation('projectCode.format', `project code must be a string (${FORMAT})`);
  }
  const parts = code.split('-');
  if (parts.length !== SEGMENTS.length) {
    return violation(
      'projectCode.format',
      `project code ${JSON.stringify(code)} has ${parts.length} part(s) separated by '-', expected 5 (${FORMAT})`,
    );
  }
  return checkSegments(parts) ?? interpret(parts as Parts);
}

/** The parts of a project code; throws {@link ProtocolValidationError} naming the rule broken. */
export function parseProjectCode(code: string): ProjectCode {
  const result = checkProjectCode(code);
  if (!result.ok) throw ProtocolValidationError.of('projectCode', result);
  return result.value;
}

/** True for a well-formed project code of a Beijing-Tianjin-Hebei project. */
export function isValidProjectCode(code: unknown): boolean {
  return checkProjectCode(code).ok;
}

function checkSegments(parts: readonly string[]): RuleViolation | undefined {
  for (let i = 0; i < SEGMENTS.length; i++) {
    const { name, digits, rule } = SEGMENTS[i] as (typeof SEGMENTS)[number];
    const part = parts[i] ?? '';
    if (!isDigits(part)) return violation(rule, `${name} ${part} is not numeric`);
    if (part.length !== digits) {
      return violation(rule, `${name} ${part} has ${part.length} digits, expected ${digits}`);
    }
  }
  return undefined;
}

/** True when every character is 0-9 (an empty string too, as `/^\d*$/`). */
function isDigits(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function interpret([year, division, industry, kind, serial]: Parts): ProjectCodeCheck {
  if (!(kind in PROJECT_KINDS)) {
    return violation(
      'projectCode.kind',
      `kind ${kind} does not exist (01 审批 approval, 02 核准 authorisation, 03 备案 filing)`,
    );
  }
  const region = regionOfDivision(division);
  if (!region) {
    return violation(
      'projectCode.region',
      `division code ${division} is outside Beijing-Tianjin-Hebei (expected 11xxxx, 12xxxx or 13xxxx)`,
    );
  }
  return {
    ok: true,
    value: { year: Number(year), division, region, industry, kind: kind as ProjectKind, serial },
  };
}
