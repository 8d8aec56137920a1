import { expect } from 'chai';
import fc from 'fast-check';
import {
  bytesToHex,
  dataHash,
  jsSha256,
  merkleRoot,
  sha256,
  sha256Hex,
  sha256Implementation,
  jsSm3,
  sm3Hex,
  sm3Implementation,
  utf8Encode,
} from '@approval-ledger/protocol';
import { nodeSha256, nodeSm3, registerNativeSha256 } from './native-hash';

/** Any sequence of UTF-16 code units, lone surrogates included. */
const anyString = fc
  .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 60 })
  .map((units) => String.fromCharCode(...units));

describe("the hub's native SM3 (the 国密 suite's digest)", () => {
  it('is registered too, and hashes text and bytes to the pure-JavaScript digests', () => {
    expect(sm3Implementation()).to.equal(nodeSm3);
    fc.assert(
      fc.property(anyString, fc.uint8Array({ maxLength: 300 }), (text, bytes) => {
        expect(sm3Hex(text)).to.equal(bytesToHex(jsSm3([utf8Encode(text)])));
        expect(sm3Hex(bytes)).to.equal(bytesToHex(jsSm3([bytes])));
      }),
    );
  });
});

describe("the hub's native SHA-256", () => {
  it('is registered with the protocol package once the module is imported, and registering again is harmless', () => {
    expect(sha256Implementation()).to.equal(nodeSha256);
    registerNativeSha256();
    expect(sha256Implementation()).to.equal(nodeSha256);
  });

  it("hashes text and bytes to protocol's pure-JavaScript digests, lone surrogates included", () => {
    fc.assert(
      fc.property(anyString, fc.uint8Array({ maxLength: 200 }), (text, bytes) => {
        expect(sha256Hex(text)).to.equal(bytesToHex(jsSha256([utf8Encode(text)])));
        expect(sha256(bytes)).to.deep.equal(jsSha256([bytes]));
        expect(bytesToHex(nodeSha256([text, bytes, text]))).to.equal(
          bytesToHex(jsSha256([text, bytes, text])),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('hashes text in parts as each part on its own, halves of a surrogate pair split between parts included', () => {
    // a high surrogate ending one part and a low one starting the next are two lone halves (two U+FFFD), not a pair
    expect(bytesToHex(nodeSha256(['a\ud83d', '\ude00b']))).to.equal(
      bytesToHex(jsSha256(['a\ud83d', '\ude00b'])),
    );
    expect(bytesToHex(nodeSha256(['a\ud83d', '\ude00b']))).not.to.equal(
      bytesToHex(nodeSha256(['a\ud83d\ude00b'])),
    );
    expect(bytesToHex(nodeSm3(['\ud800', '', '\udc00']))).to.equal(
      bytesToHex(jsSm3([utf8Encode('\ud800'), utf8Encode('\udc00')])),
    );
    fc.assert(
      fc.property(fc.array(anyString, { maxLength: 6 }), (parts) => {
        expect(bytesToHex(nodeSha256(parts))).to.equal(bytesToHex(jsSha256(parts)));
        expect(bytesToHex(nodeSm3(parts))).to.equal(bytesToHex(jsSm3(parts.map((p) => utf8Encode(p)))));
      }),
      { numRuns: 500 },
    );
  });

  it("builds the embedded ledger's data hash as the fallback does, over a megabyte two-byte envelope", () => {
    const envelope = `{"rwset":"${'x'.repeat(1 << 20)}","end":"\u{10ffff}"}`;
    const texts = [envelope, '{"type":"config"}', 'a\ud800'];
    const expectedRoot = jsSha256([
      new Uint8Array([1]),
      jsSha256([
        new Uint8Array([1]),
        jsSha256([new Uint8Array([0]), utf8Encode(texts[0] as string)]),
        jsSha256([new Uint8Array([0]), utf8Encode(texts[1] as string)]),
      ]),
      jsSha256([new Uint8Array([0]), utf8Encode(texts[2] as string)]),
    ]);
    expect(dataHash(texts)).to.equal(bytesToHex(expectedRoot));
    expect(merkleRoot(texts.map((t) => utf8Encode(t)))).to.deep.equal(expectedRoot);
  });
});
