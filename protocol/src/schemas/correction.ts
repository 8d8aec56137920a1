/**
 * Versioned corrections (更正). A first record is version 1 and carries none of these fields (so every record
 * written before corrections existed is a version 1, byte for byte). A correction is version n + 1 and names
 * the commitment of version n, the one it corrects, with the reason. The fields are part of the record, so
 * the commitment covers them: both versions and the reason are provable.
 *
 * An adapter knows that a record corrects one it sent before, but not the salted commitment of that one: it
 * sends `correctionReason` alone, and the hub, which holds every stored version, completes `version` and
 * `corrects` before it stores and commits the record. A record with `version` > 1 must name both.
 */
import { z } from 'zod';
import { Sha256HexSchema, textSchema } from './fields.js';
import { addRuleIssue } from './refinements.js';

export const correctionFields = {
  /** 1 for a first record (also when absent); n + 1 for the correction of version n. */
  version: z.number().int().min(1).max(1_000_000).exactOptional(),
  /** The commitment of the version this one corrects (version > 1 only). */
  corrects: Sha256HexSchema.exactOptional(),
  /** Why the record was corrected (version > 1, or an adapter's request to correct). */
  correctionReason: textSchema(500).exactOptional(),
};

export interface CorrectionFields {
  readonly version?: number;
  readonly corrects?: string;
  readonly correctionReason?: string;
}

/** The version of a record (or anchor): 1 when it names none. */
export function versionOf(record: { readonly version?: number }): number {
  return record.version ?? 1;
}

/** A record names a correction (its version, or an adapter's reason to correct). */
export function isCorrection(record: CorrectionFields): boolean {
  return versionOf(record) > 1 || record.correctionReason !== undefined;
}

/**
 * `version` > 1 needs `corrects` and `correctionReason`; `corrects` needs `version` > 1. `correctionReason`
 * alone is an adapter's request, completed by the hub (see the header).
 */
export function checkCorrection(record: CorrectionFields, ctx: z.RefinementCtx): void {
  const version = versionOf(record);
  if (version > 1 && record.corrects === undefined) {
    addRuleIssue(
      ctx,
      ['corrects'],
      'correction.corrects',
      `version ${version} must name the commitment it corrects`,
    );
  }
  if (version > 1 && record.correctionReason === undefined) {
    addRuleIssue(
      ctx,
      ['correctionReason'],
      'correction.reason',
      `version ${version} must give its correction reason`,
    );
  }
  if (version === 1 && record.corrects !== undefined) {
    addRuleIssue(
      ctx,
      ['corrects'],
      'correction.version',
      'a record that corrects another has a version above 1',
    );
  }
}

/** The correction fields of a record, for its anchor (none for a version 1). */
export function anchorCorrectionOf(record: CorrectionFields): { version?: number; corrects?: string } {
  if (versionOf(record) === 1 || record.corrects === undefined) return {};
  return { version: versionOf(record), corrects: record.corrects };
}
