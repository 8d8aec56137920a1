import { expect } from 'chai';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { dataHash, responseHash } from './block-format/embedded-block.js';
import { bytesToHex, utf8Encode } from './bytes.js';
import { inclusionProof, leafHash, merkleRoot, nodeHash, verifyInclusion } from './merkle.js';
import {
  jsSha256,
  sha256,
  sha256Hex,
  sha256Implementation,
  sha256OfParts,
  type Sha256Implementation,
  type Sha256Part,
  useSha256,
} from './sha256.js';

/** node:crypto's SHA-256, strings handed over as text (the way the hub registers it). */
const nodeSha256: Sha256Implementation = (parts) => {
  const hash = createHash('sha256');
  for (const part of parts) {
    if (typeof part === 'string') hash.update(part, 'utf8');
    else hash.update(part);
  }
  return new Uint8Array(hash.digest());
};

/** Any sequence of UTF-16 code units, lone surrogates and split pairs included. */
const anyString = fc
  .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 40 })
  .map((units) => String.fromCharCode(...units));
const anyPart: fc.Arbitrary<Sha256Part> = fc.oneof(anyString, fc.uint8Array({ maxLength: 100 }));

/** The default implementation, on the encoding the package defines (utf8Encode, then one byte array). */
function fallbackHex(parts: readonly Sha256Part[]): string {
  const bytes = parts.map((p) => (typeof p === 'string' ? utf8Encode(p) : p));
  const all = new Uint8Array(bytes.reduce((n, b) => n + b.length, 0));
  let offset = 0;
  for (const b of bytes) {
    all.set(b, offset);
    offset += b.length;
  }
  return bytesToHex(jsSha256([all]));
}

describe('pluggable SHA-256', () => {
  afterEach(() => useSha256(undefined));

  it('uses @noble/hashes until something else is registered, and again after undefined', () => {
    expect(sha256Implementation()).to.equal(jsSha256);
    useSha256(nodeSha256);
    expect(sha256Implementation()).to.equal(nodeSha256);
    useSha256(undefined);
    expect(sha256Implementation()).to.equal(jsSha256);
  });

  it('routes sha256, sha256Hex, sha256OfParts and the Merkle hashes through the registered implementation', () => {
    const seen: (readonly Sha256Part[])[] = [];
    const counting: Sha256Implementation = (parts) => {
      seen.push(parts);
      return nodeSha256(parts);
    };
    useSha256(counting);
    seen.length = 0;
    sha256('text');
    sha256Hex(new Uint8Array([1, 2]));
    sha256OfParts(['a', 'b']);
    leafHash('leaf');
    nodeHash(new Uint8Array(32), new Uint8Array(32));
    merkleRoot([]);
    expect(seen.map((parts) => parts.length)).to.deep.equal([1, 1, 2, 2, 3, 0]);
    expect(seen[0]).to.deep.equal(['text'], 'a string reaches the implementation as text, not re-encoded');
  });

  it('gives the fallback digest for any parts, lone surrogates included, once node:crypto is registered', () => {
    useSha256(nodeSha256);
    fc.assert(
      fc.property(fc.array(anyPart, { maxLength: 5 }), (parts) => {
        const expected = fallbackHex(parts);
        expect(bytesToHex(sha256OfParts(parts))).to.equal(expected);
        expect(bytesToHex(jsSha256(parts))).to.equal(expected);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(anyString, (text) => {
        expect(sha256Hex(text)).to.equal(fallbackHex([text]));
        expect(sha256(text)).to.deep.equal(jsSha256([utf8Encode(text)]));
      }),
      { numRuns: 500 },
    );
  });

  it('builds the same Merkle roots, proofs and block hashes with either implementation', () => {
    fc.assert(
      fc.property(fc.array(anyString, { minLength: 1, maxLength: 9 }), fc.nat(), (texts, pick) => {
        const bytes = texts.map((t) => utf8Encode(t));
        const index = pick % texts.length;
        const parts = {
          proposalHash: 'ab'.repeat(32),
          responseText: texts[0] ?? '',
          rwsetText: '{}',
          eventText: 'null',
        };
        useSha256(undefined);
        const before = [bytesToHex(merkleRoot(bytes)), dataHash(texts), responseHash(parts)];
        const proof = inclusionProof(index, bytes);
        useSha256(nodeSha256);
        expect([bytesToHex(merkleRoot(bytes)), bytesToHex(merkleRoot(texts)), dataHash(texts)]).to.deep.equal(
          [before[0], before[0], before[1]],
        );
        expect(responseHash(parts)).to.equal(before[2]);
        expect(inclusionProof(index, bytes)).to.deep.equal(proof);
        expect(
          verifyInclusion(bytes[index] as Uint8Array, index, texts.length, proof, merkleRoot(bytes)),
        ).to.equal(true);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses what is not a function', () => {
    for (const bad of [null, 42, 'sha256', { digest: nodeSha256 }]) {
      expect(() => useSha256(bad as unknown as Sha256Implementation)).to.throw(
        TypeError,
        /useSha256: implementation must be a function/,
      );
    }
    expect(sha256Implementation()).to.equal(jsSha256);
  });

  it('refuses implementations whose digests differ from the default, and keeps the one in use', () => {
    useSha256(nodeSha256);
    const refusals: [Sha256Implementation, RegExp][] = [
      // Another hash function altogether.
      [
        (parts) => new Uint8Array(createHash('sha512').update(parts.join('')).digest().subarray(0, 32)),
        /gives/,
      ],
      // Strings as Latin-1 rather than UTF-8.
      [
        (parts) => {
          const hash = createHash('sha256');
          for (const part of parts) {
            if (typeof part === 'string') hash.update(part, 'latin1');
            else hash.update(part);
          }
          return new Uint8Array(hash.digest());
        },
        /gives/,
      ],
      // Ignores all but the first part.
      [(parts) => nodeSha256(parts.slice(0, 1)), /gives/],
      // The right digest, but in a Buffer rather than a plain Uint8Array.
      [(parts) => Buffer.from(nodeSha256(parts)), /plain Uint8Array/],
      // A hex string.
      [
        ((parts: readonly Sha256Part[]) => bytesToHex(nodeSha256(parts))) as unknown as Sha256Implementation,
        /plain Uint8Array/,
      ],
      [
        () => {
          throw new Error('no digest');
        },
        /threw on a check vector: Error: no digest/,
      ],
    ];
    for (const [implementation, message] of refusals) {
      expect(() => useSha256(implementation)).to.throw(TypeError, message);
      expect(sha256Implementation()).to.equal(nodeSha256);
    }
  });
});
