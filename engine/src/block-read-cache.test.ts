import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import fc from 'fast-check';
import { BlockReadCache } from './block-read-cache';
import { collect } from './semantics';
import { LedgerDatabase, type StateWrite } from './ledger-database';
import { SqliteState } from './sqlite-state';

/** Keys of several types and lengths, a supplementary character, and enough of one type for multi-page ranges. */
const KEYS = [
  ...Array.from({ length: 250 }, (_, i) => `\u0000grant\u0000BJ\u0000${String(i).padStart(3, '0')}\u0000`),
  ...Array.from({ length: 30 }, (_, i) => `\u0000milestone\u0000m-${i}\u0000`),
  'plain',
  'plain\u{1f600}',
  'plain\uffff',
];

const write = (key: string, i: number): StateWrite => ({
  key,
  value: new Uint8Array(Buffer.from(`value of ${key}`)),
  metadata: i % 7 === 0 ? { VALIDATION_PARAMETER: new Uint8Array([1, 2, i % 256]) } : null,
  blockNum: 1,
  txNum: i,
});

describe('block read cache and batched state reads', () => {
  let dir: string;
  let db: LedgerDatabase;
  let state: SqliteState;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'block-read-cache-'));
    db = LedgerDatabase.open(join(dir, 'ledger.sqlite'));
    db.commitBlock(
      { number: 0, hash: 'h', header: '{}', metadata: '{}', txCount: 0 },
      [],
      KEYS.map(write),
      [],
    );
    state = new SqliteState(db);
  });
  after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads many keys at once as one read each would, absent keys included', () => {
    const asked = [
      ...KEYS,
      'absent',
      '\u0000grant\u0000BJ\u0000999\u0000',
      'lone \ud800',
      ...KEYS.slice(0, 3),
    ];
    const many = state.getMany(asked);
    expect(many.size).to.equal(new Set(asked).size);
    for (const key of asked) expect(many.get(key), key).to.deep.equal(state.get(key));
    // more keys than one statement takes
    const large = Array.from({ length: 1300 }, (_, i) => KEYS[i % KEYS.length] ?? `x${i}`).concat(
      Array.from({ length: 600 }, (_, i) => `missing-${i}`),
    );
    const all = state.getMany(large);
    for (const key of large) expect(all.get(key), key).to.deep.equal(state.get(key));
  });

  it('returns every range as the store does, small ones remembered for the block', async () => {
    const cache = new BlockReadCache(state);
    const bound = fc.oneof(
      fc.constantFrom('', ...KEYS),
      fc.string({ maxLength: 4 }),
      fc.constant('\u0000grant\u0000'),
    );
    await fc.assert(
      fc.asyncProperty(bound, bound, async (startKey, endKey) => {
        const expected = await collect(state.range(startKey, endKey));
        expect(await collect(cache.range(startKey, endKey))).to.deep.equal(expected);
        expect(await collect(cache.range(startKey, endKey))).to.deep.equal(expected);
      }),
      { numRuns: 300 },
    );
    const grants = await collect(cache.range('\u0000grant\u0000', '\u0000grant\u0001'));
    expect(grants).to.have.length(250);
  });

  it('answers point reads from what it read first, as committed state stays put during a block', () => {
    const cache = new BlockReadCache(state);
    cache.prefetch(['plain', 'absent']);
    expect(cache.get('plain')).to.deep.equal(state.get('plain'));
    expect(cache.get('absent')).to.equal(undefined);
    expect(cache.getMany(['plain', 'absent', KEYS[0]!])).to.deep.equal(
      new Map([
        ['plain', state.get('plain')],
        ['absent', undefined],
        [KEYS[0]!, state.get(KEYS[0]!)],
      ]),
    );
  });
});
