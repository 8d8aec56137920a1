/**
 * What every `to-envelope.ts` shares: the context a mapping runs in, the envelope header, and the reading of
 * legacy values that every legacy system writes the same way (a code looked up in an explicit table, a positive
 * revision number, a time with or without its zone). Each reader records a {@link MappingIssue} naming the
 * legacy field instead of throwing, so that a dead letter says everything that is wrong with a record at once.
 */
import {
  ENVELOPE_SCHEMA,
  checkTimestamp,
  legacyLocalToIso,
  type DataClass,
  type DepartmentCode,
  type RegionCode,
  type SourceRef,
} from '@approval-ledger/protocol';
import { issue, issueFromError, type MappingIssue } from './dead-letter';

/** Where a legacy record is mapped: the adapter's region, source system and data class, and the time now. */
export interface MappingContext {
  readonly region: RegionCode;
  readonly sourceSystem: string;
  readonly dataClass: DataClass;
  readonly emittedAt: string;
}

/** The header of an envelope that `dept` of the context's region publishes about `source`. */
export function envelopeHeader<D extends DepartmentCode>(ctx: MappingContext, dept: D, source: SourceRef) {
  return { schema: ENVELOPE_SCHEMA, region: ctx.region, dept, source, emittedAt: ctx.emittedAt } as const;
}

/** `table[value]`, or undefined and an issue `rule` of `field` that lists the known codes (`, ` or `separator`). */
export function tableValue<T>(
  table: Readonly<Record<string, T>>,
  value: string | undefined,
  field: string,
  rule: string,
  problems: MappingIssue[],
  separator = ', ',
): T | undefined {
  const found = value !== undefined && Object.hasOwn(table, value) ? table[value] : undefined;
  if (found === undefined) {
    const known = Object.keys(table).join(separator);
    problems.push(issue(field, rule, `${JSON.stringify(value)} is not in the mapping table (${known})`));
  }
  return found;
}

/** A revision or record version written as text: a positive whole number (0, with an issue, if it is not). */
export function positiveWholeNumber(
  value: string | undefined,
  field: string,
  rule: string,
  problems: MappingIssue[],
): number {
  const text = value?.trim() ?? '';
  if (/^[1-9]\d{0,14}$/.test(text)) return Number(text);
  problems.push(issue(field, rule, `${JSON.stringify(text)} is not a positive whole number`));
  return 0;
}

/** A time with an offset as given; a zone-less local time is Asia/Shanghai (protocol's `legacyLocalToIso`). */
export function timeWithZone(
  value: string | undefined,
  field: string,
  problems: MappingIssue[],
): string | undefined {
  const text = value?.trim() ?? '';
  if (checkTimestamp(text).ok) return text;
  try {
    return legacyLocalToIso(text);
  } catch (error) {
    problems.push(issueFromError(field, error, 'timestamp.format'));
    return undefined;
  }
}
