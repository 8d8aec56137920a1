// Arguments arrive as strings; records as JSON. Every one is validated with the protocol schemas and a
// failure names the argument and the field: `VALIDATION_FAILED: anchor.documentDigests[0]: ...`.
import { formatIssue, validate, type ValidationIssue } from '@approval-ledger/protocol';
import type { z } from 'zod';
import { fail } from './fail';

function describe(arg: string, issues: readonly ValidationIssue[]): string {
  return issues
    .slice(0, 5)
    .map((issue) =>
      formatIssue({
        ...issue,
        path: issue.path ? `${arg}${issue.path.startsWith('[') ? '' : '.'}${issue.path}` : arg,
      }),
    )
    .join('; ');
}

export function parseJson(arg: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return fail('VALIDATION_FAILED', `${arg}: not valid JSON`);
  }
}

/** Validates a value against a protocol schema, or fails naming `arg` and the field. */
export function check<S extends z.ZodType>(schema: S, arg: string, value: unknown): z.output<S> {
  const result = validate(schema, value);
  if (!result.ok) fail('VALIDATION_FAILED', describe(arg, result.issues));
  return result.value;
}

/** Parses a JSON argument and validates it against a protocol schema. */
export function parseArg<S extends z.ZodType>(schema: S, arg: string, text: string): z.output<S> {
  return check(schema, arg, parseJson(arg, text));
}
