import { expect } from 'chai';
import fc from 'fast-check';
import { readVectors } from '../test/shared-vectors.js';
import { CanonicalizationError, canonicalize } from './canonical-json.js';
import { sha256Hex } from './sha256.js';

interface JcsVectors {
  cases: { input: string; canonical: string; sha256: string }[];
}

describe('canonicalize (RFC 8785)', () => {
  describe('shared vectors', () => {
    const { cases } = readVectors<JcsVectors>('jcs-rfc8785.json');

    it('has vectors to run', () => expect(cases).to.not.be.empty);

    cases.forEach((c, i) => {
      it(`case ${i}: produces the canonical text and its SHA-256`, () => {
        const canonical = canonicalize(JSON.parse(c.input));
        expect(canonical).to.equal(c.canonical);
        expect(sha256Hex(canonical)).to.equal(c.sha256);
      });
    });
  });

  it('sorts keys by UTF-16 code units, not by code points', () => {
    // U+1F600 is the surrogate pair D83D DE00, which sorts before U+FB33 in UTF-16 although after it by code point
    expect(canonicalize({ '\ufb33': 1, '\u{1f600}': 2 })).to.equal('{"\u{1f600}":2,"\ufb33":1}');
  });

  it('writes numbers in ES6 form and -0 as 0', () => {
    expect(canonicalize([-0, 1e21, 1e-7, 0.1, 100, 5e-324])).to.equal('[0,1e+21,1e-7,0.1,100,5e-324]');
  });

  it('escapes only what JSON requires', () => {
    expect(canonicalize('a"b\\c\n\u0001é€😀/')).to.equal('"a\\"b\\\\c\\n\\u0001é€😀/"');
  });

  it('accepts objects without a prototype', () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare.b = 1;
    bare.a = null;
    expect(canonicalize(bare)).to.equal('{"a":null,"b":1}');
  });

  const refused: [string, unknown, RegExp][] = [
    ['NaN', { a: NaN }, /NaN is not a finite number at \$\.a/],
    ['Infinity', [1, Infinity], /Infinity is not a finite number at \$\[1\]/],
    ['undefined in an object', { a: { b: undefined } }, /undefined is not a JSON value .* at \$\.a\.b/],
    ['undefined at the top', undefined, /undefined is not a JSON value .* at \$/],
    ['a hole in an array', [1, , 3], /undefined .* at \$\[1\]/], // eslint-disable-line no-sparse-arrays
    ['a function', { f: () => 1 }, /function is not a JSON value at \$\.f/],
    ['a bigint', { n: 10n }, /bigint is not a JSON value at \$\.n/],
    ['a symbol', [Symbol('x')], /symbol is not a JSON value/],
    ['a Date', { at: new Date(0) }, /Date is not a plain object or array at \$\.at/],
    ['a Map', new Map(), /Map is not a plain object/],
    ['a lone surrogate', { 'bad\ud800': 1 }, /lone UTF-16 surrogate .*at \$\["bad\\ud800"\]/],
  ];
  refused.forEach(([what, value, message]) => {
    it(`refuses ${what} with an error naming where`, () => {
      expect(() => canonicalize(value)).to.throw(CanonicalizationError, message);
    });
  });

  it('refuses circular structures', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(() => canonicalize(a)).to.throw(CanonicalizationError, /circular reference at \$\.self/);
  });

  it('takes values nested deeper than the fast walk goes, and still names where a deep one goes wrong', () => {
    let deep: unknown = { leaf: [1, 'two'] };
    for (let i = 0; i < 200; i++) deep = i % 2 === 0 ? [deep] : { k: deep };
    const text = canonicalize(deep);
    expect(text).to.equal(JSON.stringify(deep));
    expect(text.startsWith('{"k":[{"k":[')).to.equal(true);
    let bad: unknown = { leaf: Number.NaN };
    for (let i = 0; i < 100; i++) bad = [bad];
    expect(() => canonicalize(bad)).to.throw(
      CanonicalizationError,
      new RegExp(`NaN is not a finite number at \\$${'\\[0\\]'.repeat(100)}\\.leaf$`),
    );
  });

  it('names the place of a bad value the same way at any depth under the fast walk', () => {
    expect(() => canonicalize({ a: [{ b: undefined }] })).to.throw(
      CanonicalizationError,
      /at \$\.a\[0\]\.b$/,
    );
    expect(() => canonicalize({ a: [{ b: 'x\udc00' }] })).to.throw(
      CanonicalizationError,
      /surrogate .*at \$\.a\[0\]\.b$/,
    );
    expect(() => canonicalize({ a: new Date(0) })).to.throw(
      CanonicalizationError,
      /Date is not a plain object .*at \$\.a$/,
    );
  });

  it('refuses a key with a lone surrogate every time, also after well-formed keys were seen', () => {
    expect(canonicalize({ bad: 1, good: 2 })).to.equal('{"bad":1,"good":2}');
    for (let i = 0; i < 2; i++) {
      expect(() => canonicalize({ good: 2, 'bad\ud800': 1 })).to.throw(CanonicalizationError, /lone UTF-16/);
    }
  });

  it('accepts the same object twice when it is not a cycle', () => {
    const shared = { x: 1 };
    expect(canonicalize({ a: shared, b: shared })).to.equal('{"a":{"x":1},"b":{"x":1}}');
  });

  describe('properties', () => {
    const json = fc.jsonValue();

    it('is idempotent: canonicalizing the parsed canonical form gives the same text', () => {
      fc.assert(
        fc.property(json, (value) => {
          const once = canonicalize(value);
          expect(canonicalize(JSON.parse(once))).to.equal(once);
        }),
      );
    });

    it('does not depend on the order keys were inserted in', () => {
      fc.assert(
        fc.property(fc.dictionary(fc.string(), json), fc.infiniteStream(fc.double()), (obj, randoms) => {
          const entries = Object.entries(obj);
          const shuffled = entries
            .map((e) => ({ e, k: randoms.next().value as number }))
            .sort((x, y) => x.k - y.k)
            .map(({ e }) => e);
          expect(canonicalize(Object.fromEntries(shuffled))).to.equal(canonicalize(obj));
        }),
      );
    });

    it('orders keys as Array.prototype.sort does, for objects of any size (full Unicode keys)', () => {
      // up to 32 keys the fast walk sorts in place by insertion, above that with Array.prototype.sort
      const key = fc.string({ unit: 'grapheme', maxLength: 6 });
      fc.assert(
        fc.property(fc.dictionary(key, fc.integer(), { maxKeys: 80 }), (obj) => {
          const order = Object.keys(JSON.parse(canonicalize(obj)) as object);
          expect(order).to.deep.equal(Object.keys(obj).sort());
        }),
      );
    });

    it('parses back to the same JSON value', () => {
      fc.assert(
        fc.property(json, (value) => {
          expect(JSON.parse(canonicalize(value))).to.deep.equal(JSON.parse(JSON.stringify(value)));
        }),
      );
    });
  });
});
