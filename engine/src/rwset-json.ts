import { type RwSetJson, toBase64 } from './block-format';
import { type KVRead, type RangeQueryInfo, type ReadWriteSet } from './semantics';

/** The read-write set as JSON: values and metadata entries in base64. */
const readJson = (r: KVRead) => ({ key: r.key, version: r.version && { ...r.version } });
const rangeJson = (q: RangeQueryInfo) => ({
  startKey: q.startKey,
  endKey: q.endKey,
  itrExhausted: q.itrExhausted,
  reads: q.reads.map(readJson),
});

export function rwsetJson(rwset: ReadWriteSet): RwSetJson {
  return {
    ...(rwset.calledNamespaces
      ? {
          calledNamespaces: rwset.calledNamespaces.map((c) => ({
            namespace: c.namespace,
            reads: c.reads.map(readJson),
            rangeQueries: c.rangeQueries.map(rangeJson),
          })),
        }
      : {}),
    reads: rwset.reads.map((r) => ({ key: r.key, version: r.version && { ...r.version } })),
    rangeQueries: rwset.rangeQueries.map((q) => ({
      startKey: q.startKey,
      endKey: q.endKey,
      itrExhausted: q.itrExhausted,
      reads: q.reads.map((r) => ({ key: r.key, version: r.version && { ...r.version } })),
    })),
    writes: rwset.writes.map((w) => ({ key: w.key, isDelete: w.isDelete, value: toBase64(w.value) })),
    metadataWrites: rwset.metadataWrites.map((m) => ({
      key: m.key,
      entries: m.entries && Object.fromEntries(Object.entries(m.entries).map(([k, v]) => [k, toBase64(v)])),
    })),
  };
}
