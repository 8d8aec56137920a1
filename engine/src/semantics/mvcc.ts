// Commit-time read-set validation, as the peer's validator does it: every key read must still have
// the version read (MVCC), and every range query re-executed against current state must return the
// same keys with the same versions (phantom reads).
import type { RangeQueryInfo, ReadWriteSet } from './read-write-set';
import { sameVersion, type VersionedStateReader } from './state';

export type ReadSetValidationCode = 'VALID' | 'MVCC_READ_CONFLICT' | 'PHANTOM_READ_CONFLICT';

export interface ReadSetValidation {
  readonly code: ReadSetValidationCode;
  /** The key (or range start) that conflicted. */
  readonly key?: string;
}

/** The smallest key after `key` in UTF-8 byte order: makes an inclusive end exclusive. */
export function keySuccessor(key: string): string {
  return `${key}\u0000`;
}

async function validateRange(info: RangeQueryInfo, current: VersionedStateReader): Promise<boolean> {
  const end = info.itrExhausted || info.endKey === '' ? info.endKey : keySuccessor(info.endKey);
  let i = 0;
  for await (const kv of current.range(info.startKey, end)) {
    const read = info.reads[i++];
    if (!read || read.key !== kv.key || !sameVersion(read.version, kv.version)) return false;
  }
  return i === info.reads.length;
}

/**
 * Validates a transaction's read set against `current`: committed state plus the updates of the
 * valid transactions before it in the same block (see PendingUpdates). Pure: reads only.
 */
export async function validateReadSet(
  rwset: ReadWriteSet,
  current: VersionedStateReader,
): Promise<ReadSetValidation> {
  for (const read of rwset.reads) {
    const found = await current.get(read.key);
    if (!sameVersion(found?.version ?? null, read.version))
      return { code: 'MVCC_READ_CONFLICT', key: read.key };
  }
  for (const info of rwset.rangeQueries) {
    if (!(await validateRange(info, current))) return { code: 'PHANTOM_READ_CONFLICT', key: info.startKey };
  }
  return { code: 'VALID' };
}
