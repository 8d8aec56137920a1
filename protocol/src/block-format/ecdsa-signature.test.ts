import { expect } from 'chai';
import { p256 } from '@noble/curves/p256';
import { randomBytes } from 'node:crypto';
import { ecdsaP1363ToLowSDer, isLowSSignature, P256_ORDER } from './ecdsa-signature.js';

// The byte-level codec against noble's, which it replaced on the hot path: the same bytes and the same verdicts.
const HALF = P256_ORDER >> 1n;

function scalar(value: bigint): Uint8Array {
  return Uint8Array.from(Buffer.from(value.toString(16).padStart(64, '0'), 'hex'));
}

function raw(r: bigint, s: bigint): Uint8Array {
  const out = new Uint8Array(64);
  out.set(scalar(r), 0);
  out.set(scalar(s), 32);
  return out;
}

/** noble's answers, as the module gave them before. */
const reference = {
  lowSDer(bytes: Uint8Array): Uint8Array | 'throws' {
    try {
      return p256.Signature.fromCompact(bytes).normalizeS().toDERRawBytes();
    } catch {
      return 'throws';
    }
  },
  isLowS(der: Uint8Array): boolean {
    try {
      return !p256.Signature.fromDER(der).hasHighS();
    } catch {
      return false;
    }
  },
};

function lowSDer(bytes: Uint8Array): Uint8Array | 'throws' {
  try {
    return ecdsaP1363ToLowSDer(bytes);
  } catch {
    return 'throws';
  }
}

const hex = (v: Uint8Array | 'throws'): string => (v === 'throws' ? v : Buffer.from(v).toString('hex'));

/** Scalars at the edges: the smallest, around n/2 and n, with leading zero bytes, with the top bit set. */
const EDGES: bigint[] = [
  0n,
  1n,
  2n,
  0x7fn,
  0x80n,
  0xffn,
  0x100n,
  HALF - 1n,
  HALF,
  HALF + 1n,
  P256_ORDER - 1n,
  P256_ORDER,
  P256_ORDER + 1n,
  (1n << 256n) - 1n,
  1n << 248n,
  (1n << 248n) - 1n,
  1n << 255n,
  (1n << 255n) - 1n,
  0x80n << 240n,
];

function randomScalar(): bigint {
  const bytes = randomBytes(32);
  // some with leading zero bytes, as one signature in 256 has
  const zeros = bytes[0]! % 4 === 0 ? bytes[1]! % 3 : 0;
  for (let i = 0; i < zeros; i++) bytes[i] = 0;
  return BigInt(`0x${bytes.toString('hex')}`);
}

describe('ECDSA P-256 signature codec (bytes, checked against noble)', () => {
  it('writes the low-S DER of r || s byte for byte as noble does, and refuses what noble refuses', () => {
    const cases: [bigint, bigint][] = [];
    for (const r of EDGES) for (const s of EDGES) cases.push([r, s]);
    for (let i = 0; i < 3000; i++) cases.push([randomScalar(), randomScalar()]);
    let thrown = 0;
    for (const [r, s] of cases) {
      const input = raw(r, s);
      const expected = hex(reference.lowSDer(input));
      if (expected === 'throws') thrown++;
      expect(hex(lowSDer(input)), `r=${r.toString(16)} s=${s.toString(16)}`).to.equal(expected);
    }
    expect(thrown).to.be.greaterThan(0); // the edges include out-of-range scalars
    expect(lowSDer(new Uint8Array(63))).to.equal('throws');
    expect(lowSDer(new Uint8Array(65))).to.equal('throws');
  });

  it('always answers a low S, which it says is low', () => {
    for (let i = 0; i < 500; i++) {
      const der = ecdsaP1363ToLowSDer(
        raw((randomScalar() % (P256_ORDER - 1n)) + 1n, HALF + 1n + (randomScalar() % (HALF - 1n))),
      );
      expect(isLowSSignature(der)).to.equal(true);
      expect(p256.Signature.fromDER(der).s <= HALF).to.equal(true);
    }
  });

  it('judges DER signatures as noble does: canonical ones, high S, out of range, and corrupted bytes', () => {
    const signatures: Uint8Array[] = [];
    for (const r of EDGES.filter((v) => v > 0n && v < P256_ORDER)) {
      for (const s of EDGES.filter((v) => v > 0n && v < P256_ORDER)) {
        signatures.push(new p256.Signature(r, s).toDERRawBytes());
      }
    }
    for (let i = 0; i < 1000; i++) {
      const r = (randomScalar() % (P256_ORDER - 1n)) + 1n;
      const s = (randomScalar() % (P256_ORDER - 1n)) + 1n;
      signatures.push(new p256.Signature(r, s).toDERRawBytes());
    }
    // r or s of n or more, zero, or 2^256 - 1, in canonical DER noble's encoder would not write
    const integer = (v: bigint): number[] => {
      let h = v.toString(16);
      if (h.length % 2) h = `0${h}`;
      const bytes = [...Buffer.from(h, 'hex')];
      if (bytes[0]! & 0x80) bytes.unshift(0);
      return [0x02, bytes.length, ...bytes];
    };
    for (const [r, s] of [
      [P256_ORDER, 1n],
      [1n, P256_ORDER],
      [0n, 1n],
      [1n, 0n],
      [(1n << 256n) - 1n, 1n],
      [1n, (1n << 256n) - 1n],
    ] as [bigint, bigint][]) {
      const body = [...integer(r), ...integer(s)];
      signatures.push(Uint8Array.from([0x30, body.length, ...body]));
    }
    const mutated: Uint8Array[] = [];
    for (const der of signatures.slice(0, 600)) {
      // one byte changed, one byte dropped or one appended: lengths, tags, signs and leading zeros go wrong
      const changed = Uint8Array.from(der);
      const at = randomBytes(1)[0]! % der.length;
      changed[at] = randomBytes(1)[0]!;
      mutated.push(changed, der.subarray(0, der.length - 1), Uint8Array.from([...der, 0]));
      // a leading zero added to r (not minimal), and a negative r
      const r = der.subarray(4, 4 + der[3]!);
      const rest = der.subarray(4 + der[3]!);
      mutated.push(Uint8Array.from([0x30, der[1]! + 1, 0x02, r.length + 1, 0, ...r, ...rest]));
      if (r[0] === 0)
        mutated.push(Uint8Array.from([0x30, der[1]! - 1, 0x02, r.length - 1, ...r.subarray(1), ...rest]));
    }
    mutated.push(new Uint8Array(0), new Uint8Array([0x30, 0x01]), new Uint8Array([0x30, 0x00]));
    let low = 0;
    let refused = 0;
    for (const der of [...signatures, ...mutated]) {
      const expected = reference.isLowS(der);
      if (expected) low++;
      else refused++;
      expect(isLowSSignature(der), Buffer.from(der).toString('hex')).to.equal(expected);
    }
    expect(low).to.be.greaterThan(100);
    expect(refused).to.be.greaterThan(100);
  });
});
