/** One broken rule: where (`documents[0].sha256`, empty for the value itself), which rule, and why. */
export interface ValidationIssue {
  readonly path: string;
  readonly rule: string;
  readonly message: string;
}

/** A validator's verdict when a rule is broken. */
export interface RuleViolation {
  readonly ok: false;
  readonly rule: string;
  readonly message: string;
}

/** A validator's verdict: fine, or the rule broken. */
export type RuleCheck = { readonly ok: true } | RuleViolation;

/** The one "fine" verdict (frozen): a check that passes, the common case, allocates nothing. */
export const RULE_OK: { readonly ok: true } = Object.freeze({ ok: true });

/** Thrown by the parsing functions and `validateOrThrow`; carries every issue found. */
export class ProtocolValidationError extends Error {
  override readonly name = 'ProtocolValidationError';
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[]) {
    super(issues.map(formatIssue).join('; ') || 'invalid value');
    this.issues = issues;
  }

  /** The error for a single broken rule at `path`. */
  static of(path: string, violation: Pick<RuleViolation, 'rule' | 'message'>): ProtocolValidationError {
    return new ProtocolValidationError([{ path, rule: violation.rule, message: violation.message }]);
  }
}

/** `path: message`, or the message alone for the value itself. */
export function formatIssue(issue: ValidationIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

/** A violation of `rule`. */
export function violation(rule: string, message: string): RuleViolation {
  return { ok: false, rule, message };
}
