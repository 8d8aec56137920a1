import { expect } from 'chai';
import fc from 'fast-check';
import {
  MemoryWorldState,
  PendingUpdates,
  SortedKeys,
  collect,
  compareKeys,
  type ReadWriteSet,
  type StateUpdate,
} from './index';

/** The order LevelDB keeps: the keys' UTF-8 bytes (what compareKeys must match). */
const byteOrder = (a: string, b: string): number =>
  Math.sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));

/** Short strings over characters that make the orders differ: NUL, ASCII, BMP above surrogates, pairs, lone surrogates. */
const keyChar = fc.oneof(
  fc.constantFrom(
    '\u0000',
    'a',
    'b',
    '~',
    '\u00ff',
    '\uffff',
    '\ue000',
    '\u{10000}',
    '\u{1f600}',
    '\ud800',
    '\udc00',
  ),
  fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
);
const key = fc.array(keyChar, { maxLength: 6 }).map((chars) => chars.join(''));

describe('key order (UTF-8 bytes, as LevelDB)', () => {
  it('compareKeys agrees with comparing the UTF-8 bytes, lone surrogates included', () => {
    fc.assert(
      fc.property(key, key, key, (prefix, a, b) => {
        expect(Math.sign(compareKeys(prefix + a, prefix + b))).to.equal(byteOrder(prefix + a, prefix + b));
        expect(Math.sign(compareKeys(a, b))).to.equal(byteOrder(a, b));
      }),
      { numRuns: 5000 },
    );
  });

  it('puts a supplementary character after U+FFFF and a prefix before its extensions', () => {
    expect(compareKeys('\uffff', '\u{10000}')).to.be.below(0);
    expect(compareKeys('\ue000', '\ud800\udc00')).to.be.below(0);
    expect(compareKeys('a', 'a\u0000')).to.be.below(0);
    expect(compareKeys('a\ud800', 'a\ud800\udc00')).to.be.below(0);
    expect(compareKeys('k', 'k')).to.equal(0);
  });

  it('SortedKeys returns the keys of a range as filtering and sorting all keys does', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            key.map((k) => ({ add: k })),
            fc.tuple(key, key).map(([s, e]) => ({ s, e })),
          ),
        ),
        (ops) => {
          const index = new SortedKeys();
          const present = new Set<string>();
          for (const op of ops) {
            if ('add' in op) {
              if (!present.has(op.add)) index.add(op.add);
              present.add(op.add);
              continue;
            }
            const expected = [...present]
              .filter((k) => byteOrder(k, op.s) >= 0 && (op.e === '' || byteOrder(k, op.e) < 0))
              .sort(byteOrder);
            expect(index.range(op.s, op.e)).to.deep.equal(expected);
          }
          expect(index.all()).to.deep.equal([...present].sort(byteOrder));
          expect(index.size).to.equal(present.size);
        },
      ),
      { numRuns: 500 },
    );
  });
});

const bytes = (text: string): Uint8Array => Buffer.from(text, 'utf8');
const rwset = (writes: ReadWriteSet['writes']): ReadWriteSet => ({
  reads: [],
  rangeQueries: [],
  writes,
  metadataWrites: [],
});

/** What a range over committed state plus the block's updates must return: the overlay, filtered and sorted. */
function expectedRange(
  committed: ReadonlyMap<string, string>,
  updates: ReadonlyMap<string, string | null>,
  startKey: string,
  endKey: string,
): [string, string][] {
  const merged = new Map(committed);
  for (const [k, v] of updates) {
    if (v === null) merged.delete(k);
    else merged.set(k, v);
  }
  return [...merged]
    .filter(([k]) => byteOrder(k, startKey) >= 0 && (endKey === '' || byteOrder(k, endKey) < 0))
    .sort(([a], [b]) => byteOrder(a, b));
}

/**
 * Keys a chaincode can write: well-formed UTF-8 (the peer handler refuses others, as Fabric does). Two lone
 * surrogates would both be U+FFFD in UTF-8, one LevelDB key under two JS names, which no state ever holds.
 */
const writableKey = key.filter((k) => Buffer.from(k, 'utf8').toString('utf8') === k);

describe('PendingUpdates ranges', () => {
  it('merge committed state and the earlier transactions of the block in key order, deletes hidden', async () => {
    const key = writableKey;
    const write = fc.record({ key, value: fc.option(fc.constantFrom('x', 'y', 'z'), { nil: null }) });
    const op = fc.oneof(
      fc.array(write, { minLength: 1, maxLength: 4 }).map((writes) => ({ writes })),
      fc.tuple(key, fc.oneof(key, fc.constant(''))).map(([startKey, endKey]) => ({ startKey, endKey })),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(key, fc.constantFrom('c1', 'c2'))),
        fc.array(op),
        async (base, ops) => {
          const committed = new Map(base);
          const world = new MemoryWorldState();
          world.apply(
            [...committed].map(([k, v]): StateUpdate => ({
              key: k,
              value: bytes(v),
              metadata: null,
              version: { blockNum: 1, txNum: 0 },
            })),
            [],
          );
          const pending = new PendingUpdates(world, 2);
          const updates = new Map<string, string | null>();
          let txNum = 0;
          for (const step of ops) {
            if ('writes' in step) {
              const writes = [...new Map(step.writes.map((w) => [w.key, w])).values()].map((w) => ({
                key: w.key,
                isDelete: w.value === null,
                value: w.value === null ? new Uint8Array(0) : bytes(w.value),
              }));
              await pending.apply({
                txId: `t${txNum}`,
                txNum: txNum++,
                timestamp: { seconds: 1, nanos: 0 },
                readWriteSet: rwset(writes),
              });
              for (const w of step.writes) updates.set(w.key, w.value);
              continue;
            }
            const got = (await collect(pending.range(step.startKey, step.endKey))).map(
              (kv) => [kv.key, Buffer.from(kv.value).toString('utf8')] as [string, string],
            );
            expect(got).to.deep.equal(expectedRange(committed, updates, step.startKey, step.endKey));
          }
          expect(pending.updates().map((u) => u.key)).to.deep.equal([...updates.keys()].sort(byteOrder));
          const probe = [...committed.keys(), ...updates.keys(), 'absent'];
          const many = await pending.getMany(probe);
          for (const k of probe) expect(many.get(k)).to.deep.equal(await pending.get(k));
        },
      ),
      { numRuns: 300 },
    );
  });
});
