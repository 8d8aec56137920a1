/**
 * Records are hashed in their canonical form (RFC 8785), which needs I-JSON: a string holding a lone UTF-16
 * surrogate (`"\ud800"`) is valid JSON text and passes the schemas, but cannot be canonicalized. Such a record
 * was accepted (202, or taken off LEGACY) and then failed in ingest at every retry, in front of the records
 * after it. This check refuses it where records come in: the envelope decoder and the HTTP intake.
 */
import { CanonicalizationError, canonicalize, type ValidationIssue } from '@approval-ledger/protocol';

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
