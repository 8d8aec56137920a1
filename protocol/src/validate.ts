import { type z } from 'zod';
import { CanonicalizationError, canonicalize } from './canonical-json.js';
import { ProtocolValidationError, type ValidationIssue } from './protocol-validation.error.js';
import { quickParse } from './quick-parse.js';

export type ValidationResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: ValidationIssue[] };

/**
 * Validates `value` against a protocol schema; on failure lists each issue with its path and rule. A valid value
 * is usually answered by `quickParse` (the same output as Zod's, a fraction of the work); anything else by Zod.
 */
export function validate<S extends z.ZodType>(schema: S, value: unknown): ValidationResult<z.output<S>> {
  const quick = quickParse(schema, value);
  if (quick !== undefined) return { ok: true, value: quick };
  const result = schema.safeParse(value);
  return result.success ? { ok: true, value: result.data } : { ok: false, issues: toIssues(result.error) };
}

/** The parsed value, or a {@link ProtocolValidationError} carrying every issue. */
export function validateOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = validate(schema, value);
  if (!result.ok) throw new ProtocolValidationError(result.issues);
  return result.value;
}

/** Zod's issues as protocol issues: `documents[0].sha256`, the named rule (or Zod's issue code). */
export function toIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: formatPath(issue.path),
    rule: ruleOf(issue),
    message: issue.message,
  }));
}

function ruleOf(issue: z.core.$ZodIssue): string {
  const rule = issue.code === 'custom' ? (issue.params as { rule?: unknown } | undefined)?.rule : undefined;
  return typeof rule === 'string' ? rule : issue.code;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

/**
 * Records are hashed in their canonical form (RFC 8785), which needs I-JSON: a string holding a lone UTF-16
 * surrogate (`"\ud800"`) is valid JSON text and passes the schemas, but cannot be canonicalized. Such a record
 * was accepted (202, or taken off LEGACY) and then failed in ingest at every retry, in front of the records
 * after it. This check refuses it where records come in: the hub's envelope decoder and the API's milestone
 * validation (`validateMilestones`).
 */
export const I_JSON_RULE = 'json.i-json';

/** Why `value` cannot be canonicalized, its path under `where` (`record.projectName`); undefined if it can. */
export function iJsonIssue(value: unknown, where = ''): ValidationIssue | undefined {
  try {
    canonicalize(value);
    return undefined;
  } catch (error) {
    if (!(error instanceof CanonicalizationError)) throw error;
    const inner = error.path.replace(/^\$\.?/, '');
    const path = where === '' || inner.startsWith('[') ? `${where}${inner}` : `${where}.${inner}`;
    return { path: inner === '' ? where : path, rule: I_JSON_RULE, message: error.reason };
  }
}
