/** What the adapter core needs to know about a record it could not publish, and how it says why. */
import { ProtocolValidationError, type ValidationIssue, type DlqCode } from '@approval-ledger/protocol';

/** One broken rule of a legacy record: the legacy field, the rule, and a human message. */
export interface MappingIssue {
  /** The legacy field (`TYSHXYDM`, `办结日期`, `eia:DecisionTime`), or the envelope path when no legacy field maps. */
  readonly field: string;
  readonly rule: string;
  readonly message: string;
}

/** Why a record goes to the dead-letter queue. */
export interface MappingFailure {
  readonly ok: false;
  readonly code: DlqCode;
  readonly issues: readonly MappingIssue[];
}

/** The outcome of a pure legacy -> envelope mapping: envelopes to publish (none for a no-op), or a failure. */
export type Mapped<E> = { readonly ok: true; readonly envelopes: readonly E[] } | MappingFailure;

export function mapped<E>(envelopes: readonly E[]): Mapped<E> {
  return { ok: true, envelopes };
}

export function mappingFailure(code: DlqCode, issues: readonly MappingIssue[]): MappingFailure {
  return { ok: false, code, issues };
}

export function issue(field: string, rule: string, message: string): MappingIssue {
  return { field, rule, message };
}

/** `field: message [rule]; ...`: the `Ledger-Dlq-Reason` text. */
export function formatReason(issues: readonly MappingIssue[]): string {
  const text = issues.map((i) => `${i.field}: ${i.message} [${i.rule}]`).join('; ');
  return oneLine(text || 'record rejected');
}

/**
 * Protocol validation issues as mapping issues naming the legacy field: `legacyField('record.holder.uscc')`
 * may say `TYSHXYDM`; the envelope path is kept in parentheses.
 */
export function issuesFromValidation(
  issues: readonly ValidationIssue[],
  legacyField: (path: string) => string | undefined,
): MappingIssue[] {
  return issues.map((i) => {
    const legacy = legacyField(i.path);
    const field = legacy === undefined ? i.path || '(record)' : `${legacy} (${i.path})`;
    return { field, rule: i.rule, message: i.message };
  });
}

/** Header values are single lines. */
export function oneLine(text: string, max = 2000): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}

/** A protocol parser's error (e.g. `legacyLocalToIso`) as an issue of `field`, keeping the rule it names. */
export function issueFromError(
  field: string,
  error: unknown,
  fallbackRule: string,
  prefix = '',
): MappingIssue {
  const rule =
    error instanceof ProtocolValidationError ? (error.issues[0]?.rule ?? fallbackRule) : fallbackRule;
  const message = error instanceof Error ? error.message : String(error);
  return { field, rule, message: `${prefix}${message}` };
}

/** The broken rules among protocol checks of legacy fields (`[field, checkUscc(value)]`), as issues. */
export function failedChecks(
  checks: readonly (readonly [
    string,
    { readonly ok: boolean; readonly rule?: string; readonly message?: string },
  ])[],
): MappingIssue[] {
  return checks
    .filter(([, result]) => !result.ok)
    .map(([field, result]) => ({
      field,
      rule: result.rule ?? 'invalid',
      message: result.message ?? 'invalid',
    }));
}
