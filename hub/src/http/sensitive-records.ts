/**
 * Applies the data-class rule of cross-region reads (`sensitiveReadRefusal` in auth/access-rules.ts) to the
 * views the routes return: a record the reader may not read in full keeps everything the chain holds, loses
 * its off-chain `record`, and says why in `withheld`.
 */
import { type Principal, sensitiveReadRefusal } from '../auth';

interface Recognition {
  readonly subjectType: string;
  readonly subjectId: string;
  readonly sourceRegion: string;
  readonly targetRegion: string;
}

/** The record a view is about: what the rule and its recognitions are looked up by. */
export interface RecordSubject {
  readonly kind: string;
  readonly id: string;
  readonly region: string;
}

/** A view that may carry a record's full off-chain text. */
export interface ReadableEntry {
  readonly dataClass?: string | undefined;
  readonly record?: unknown;
  readonly withheld?: string | undefined;
  /** A corrected record's versions: their reasons are record text too. */
  readonly versions?: readonly { readonly correctionReason?: string }[];
}

/** The view of `subject` as `reader` may see it, given the recognitions of the view it is part of. */
export function readableEntry<E extends ReadableEntry>(
  reader: Principal,
  entry: E,
  subject: RecordSubject,
  recognitions: readonly Recognition[],
): E {
  if (entry.record === undefined) return entry;
  const refusal = sensitiveReadRefusal(reader, {
    region: subject.region,
    dataClass: entry.dataClass,
    recognitions: recognitions.filter((r) => r.subjectType === subject.kind && r.subjectId === subject.id),
  });
  if (refusal === undefined) return entry;
  const { record: _withheld, ...rest } = entry;
  // `record` is optional in every view that has one; a correction's reason is withheld with the record
  const versions = entry.versions?.map(({ correctionReason: _reason, ...v }) => v);
  return { ...rest, ...(versions ? { versions } : {}), withheld: refusal } as E;
}
