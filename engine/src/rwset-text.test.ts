import { canonicalize } from '@approval-ledger/protocol';
import { expect } from 'chai';
import fc from 'fast-check';
import { type ReadWriteSet } from './semantics';
import { rwsetJson } from './rwset-json';
import { rwsetText } from './rwset-text';

const key = fc.oneof(
  fc.string(),
  fc
    .array(fc.string({ unit: 'grapheme' }), { maxLength: 4 })
    .map((parts) => `\u0000${parts.join('\u0000')}\u0000`),
);
const version = fc.option(fc.record({ blockNum: fc.nat(), txNum: fc.nat() }), { nil: null });
const bytes = fc.uint8Array({ maxLength: 40 });
const read = fc.record({ key, version });
const rangeQueries = fc.array(
  fc.record({
    startKey: key,
    endKey: key,
    itrExhausted: fc.boolean(),
    reads: fc.array(read, { maxLength: 3 }),
  }),
  { maxLength: 2 },
);
const rwset: fc.Arbitrary<ReadWriteSet> = fc.record(
  {
    reads: fc.array(read, { maxLength: 5 }),
    rangeQueries,
    calledNamespaces: fc.array(
      fc.record({ namespace: fc.string(), reads: fc.array(read, { maxLength: 3 }), rangeQueries }),
      { minLength: 1, maxLength: 2 },
    ),
    writes: fc.array(fc.record({ key, isDelete: fc.boolean(), value: bytes }), { maxLength: 5 }),
    metadataWrites: fc.array(
      fc.record({
        key,
        entries: fc.option(fc.dictionary(fc.string(), bytes, { maxKeys: 3 }), { nil: null }),
      }),
      { maxLength: 2 },
    ),
  },
  { requiredKeys: ['reads', 'rangeQueries', 'writes', 'metadataWrites'] },
);

describe('canonical text of read-write sets', () => {
  it('equals canonicalize() of the JSON form for any read-write set, with or without chaincode-to-chaincode reads', () => {
    fc.assert(
      fc.property(rwset, (set) => {
        expect(rwsetText(set)).to.equal(canonicalize(rwsetJson(set)));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a key with a lone surrogate, as canonicalize does', () => {
    const set: ReadWriteSet = {
      reads: [{ key: 'a\uD800', version: null }],
      rangeQueries: [],
      writes: [],
      metadataWrites: [],
    };
    expect(() => rwsetText(set)).to.throw(/surrogate/);
  });
});
