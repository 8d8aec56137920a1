/**
 * The canonical JSON text (RFC 8785) of a read-write set, written directly for its fixed shape: members in
 * sorted order, strings through JSON.stringify (RFC 8785's string form), integers as themselves. Equal to
 * `canonicalize(rwsetJson(rwset))` (property-tested) and several times faster on sets of thousands of writes,
 * which is the hot path of every endorsement. Keys with lone UTF-16 surrogates (not I-JSON) take the generic
 * path, which refuses them.
 */
import { canonicalize } from '@approval-ledger/protocol';
import { toBase64 } from './block-format';
import { type KVRead, type ReadWriteSet, type RangeQueryInfo, type StateMetadata } from './semantics';
import { rwsetJson } from './rwset-json';

/** In unicode mode a surrogate pair is one code point, so this matches lone surrogates only. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const s = JSON.stringify;

function readText(r: KVRead): string {
  const version = r.version ? `{"blockNum":${r.version.blockNum},"txNum":${r.version.txNum}}` : 'null';
  return `{"key":${s(r.key)},"version":${version}}`;
}

function rangeText(q: RangeQueryInfo): string {
  return `{"endKey":${s(q.endKey)},"itrExhausted":${q.itrExhausted},"reads":[${q.reads.map(readText).join(',')}],"startKey":${s(q.startKey)}}`;
}

function entriesText(entries: StateMetadata | null): string {
  if (!entries) return 'null';
  const names = Object.keys(entries).sort();
  return `{${names.map((n) => `${s(n)}:${s(toBase64(entries[n] ?? new Uint8Array()))}`).join(',')}}`;
}

function calledText(rwset: ReadWriteSet): string {
  const called = rwset.calledNamespaces;
  if (!called) return '';
  const entries = called.map(
    (c) =>
      `{"namespace":${s(c.namespace)},"rangeQueries":[${c.rangeQueries.map(rangeText).join(',')}],"reads":[${c.reads.map(readText).join(',')}]}`,
  );
  return `"calledNamespaces":[${entries.join(',')}],`;
}

function hasLoneSurrogate(rwset: ReadWriteSet): boolean {
  const keys = [
    ...(rwset.calledNamespaces ?? []).flatMap((c) => [
      c.namespace,
      ...c.reads.map((r) => r.key),
      ...c.rangeQueries.flatMap((q) => [q.startKey, q.endKey, ...q.reads.map((r) => r.key)]),
    ]),
    ...rwset.reads.map((r) => r.key),
    ...rwset.writes.map((w) => w.key),
    ...rwset.metadataWrites.flatMap((m) => [m.key, ...Object.keys(m.entries ?? {})]),
    ...rwset.rangeQueries.flatMap((q) => [q.startKey, q.endKey, ...q.reads.map((r) => r.key)]),
  ];
  return keys.some((k) => LONE_SURROGATE.test(k));
}

export function rwsetText(rwset: ReadWriteSet): string {
  if (hasLoneSurrogate(rwset)) return canonicalize(rwsetJson(rwset));
  const metadataWrites = rwset.metadataWrites.map(
    (m) => `{"entries":${entriesText(m.entries)},"key":${s(m.key)}}`,
  );
  const writes = rwset.writes.map(
    (w) => `{"isDelete":${w.isDelete},"key":${s(w.key)},"value":${s(toBase64(w.value))}}`,
  );
  return (
    `{${calledText(rwset)}"metadataWrites":[${metadataWrites.join(',')}],"rangeQueries":[${rwset.rangeQueries.map(rangeText).join(',')}],` +
    `"reads":[${rwset.reads.map(readText).join(',')}],"writes":[${writes.join(',')}]}`
  );
}
