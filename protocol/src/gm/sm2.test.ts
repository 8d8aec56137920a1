import { expect } from 'chai';
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sm2 as independent, sm3 as independentSm3 } from 'sm-crypto-v2';
import { bytesToHex, hexToBytes, utf8Encode } from '../bytes.js';
import { parseCertificate, isIssuedBy } from '../proof/x509.js';
import {
  jsGmSuite,
  jsIntlSuite,
  requireSuite,
  SuiteNotAcceptedError,
  SUITES,
} from '../verify/crypto-suite.js';
import {
  SM2_DEFAULT_USER_ID,
  Sm2Point,
  sm2PublicKey,
  sm2RandomPrivateKey,
  sm2Sign,
  sm2Signer,
  sm2Spki,
  sm2Verify,
  sm2Za,
} from './sm2.js';
import { jsSm3, sm3Hex, sm3Implementation, useSm3 } from './sm3.js';

const N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
const nodeSm3 = (parts: readonly (Uint8Array | string)[]): Uint8Array => {
  const hash = createHash('sm3');
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
};

/** Deterministic pseudo-random bytes (xorshift), so failures replay. */
function bytesOf(seed: number, length: number): Uint8Array {
  let x = seed || 1;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const uncompressed = (spkiDer: Buffer): Uint8Array => new Uint8Array(spkiDer.subarray(spkiDer.length - 65));
const fixture = (name: string): string => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

describe('gm suite: SM3 (GB/T 32905-2016)', () => {
  afterEach(() => useSm3(undefined));

  it('gives the standard\'s example digests (Annex A: "abc" and 64 bytes "abcd"x16)', () => {
    expect(sm3Hex('abc')).to.equal('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    expect(sm3Hex('abcd'.repeat(16))).to.equal(
      'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732',
    );
  });

  it("is the same in JavaScript and in Node's OpenSSL, across block boundaries and in parts", () => {
    for (const length of [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 4097]) {
      const data = bytesOf(length + 7, length);
      expect(bytesToHex(jsSm3([data])), `length ${length}`).to.equal(bytesToHex(nodeSm3([data])));
      const cut = Math.floor(length / 3);
      expect(bytesToHex(jsSm3([data.subarray(0, cut), data.subarray(cut)]))).to.equal(
        bytesToHex(nodeSm3([data])),
      );
    }
  });

  it("registers node:crypto's SM3 after checking it, and refuses SHA-256 in its place", () => {
    useSm3(nodeSm3);
    expect(sm3Implementation()).to.equal(nodeSm3);
    expect(sm3Hex('abc')).to.equal('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    const sha256 = (parts: readonly (Uint8Array | string)[]) =>
      new Uint8Array(createHash('sha256').update(parts.join('')).digest());
    expect(() => useSm3(sha256)).to.throw(TypeError, /useSm3: implementation gives/);
    expect(sm3Implementation()).to.equal(nodeSm3);
  });
});

describe('gm suite: SM2 signatures (GB/T 32918.2-2016) on sm2p256v1 (GB/T 32918.5-2017)', () => {
  it('uses the recommended curve: G is on it and has order n', () => {
    expect(() => Sm2Point.BASE.assertValidity()).to.not.throw();
    expect(
      Sm2Point.BASE.multiply(N - 1n)
        .add(Sm2Point.BASE)
        .is0(),
    ).to.equal(true);
  });

  it('computes Z_A as an independent implementation does (sm-crypto-v2), for the default user ID and others', () => {
    for (let i = 1; i <= 8; i++) {
      const publicKey = sm2PublicKey(sm2RandomPrivateKey());
      for (const id of [SM2_DEFAULT_USER_ID, 'ALICE123@YAHOO.COM', '北京市住房和城乡建设委员会', '']) {
        expect(bytesToHex(sm2Za(publicKey, id)), id).to.equal(
          bytesToHex(independent.getZ(bytesToHex(publicKey), id)),
        );
      }
    }
  });

  it('verifies the published example on the recommended curve (message "message digest", default user ID)', () => {
    // draft-shen-sm2-ecdsa-02 / OpenSSL and Tongsuo test data: public key (SPKI), r, s.
    const key = createPublicKey(
      [
        '-----BEGIN PUBLIC KEY-----',
        'MFkwEwYHKoZIzj0CAQYIKoEcz1UBgi0DQgAE1VSMeCXLtWFQo1Bs1XRkr4oa4FGd',
        '+vPFgiHcgQyvKN2SEHN2j+PVnOVOeaSURc9z/tIwhlNwJyZNFolG1HlTPg==',
        '-----END PUBLIC KEY-----',
      ].join('\n'),
    );
    const publicKey = uncompressed(key.export({ type: 'spki', format: 'der' }));
    const r = '29c72393298604aa6ba814eba1d5d4f5f67653e6948e7aff360011fb50e32024';
    const s = 'c905a376ff742b866e4913a77ddcfe70e17def0b18d026a9ea0748e2582427b7';
    const der = hexToBytes(`30450220${r}022100${s}`);
    const message = utf8Encode('message digest');
    expect(sm2Verify(publicKey, message, der)).to.equal(true);
    expect(sm2Verify(publicKey, utf8Encode('message digesT'), der)).to.equal(false);
    expect(sm2Verify(publicKey, message, der, { userId: 'ALICE123@YAHOO.COM' })).to.equal(false);
    expect(bytesToHex(sm2Spki(publicKey))).to.equal(bytesToHex(key.export({ type: 'spki', format: 'der' })));
  });

  it('signs what an independent implementation verifies, and verifies what it signs, with any user ID', () => {
    for (let i = 0; i < 6; i++) {
      const privateKey = sm2RandomPrivateKey();
      const publicHex = bytesToHex(sm2PublicKey(privateKey));
      const message = bytesOf(100 + i, 17 * i);
      for (const userId of [undefined, 'ALICE123@YAHOO.COM']) {
        const ours = sm2Sign(privateKey, message, userId ? { userId } : {});
        expect(
          independent.doVerifySignature(message, bytesToHex(ours), publicHex, {
            der: true,
            hash: true,
            ...(userId ? { userId } : {}),
          }),
        ).to.equal(true);
        const theirs = independent.doSignature(message, bytesToHex(privateKey), {
          der: true,
          hash: true,
          ...(userId ? { userId } : {}),
        });
        expect(
          sm2Verify(hexToBytes(publicHex), message, hexToBytes(theirs), userId ? { userId } : {}),
        ).to.equal(true);
        expect(sm2Verify(hexToBytes(publicHex), bytesOf(999, 3), hexToBytes(theirs))).to.equal(false);
      }
    }
    expect(independentSm3('abc')).to.equal(sm3Hex('abc'));
  });

  it('signs with a key prepared once (sm2Signer) exactly as sm2Sign does: an independent implementation verifies', () => {
    const privateKey = sm2RandomPrivateKey();
    const publicHex = bytesToHex(sm2PublicKey(privateKey));
    for (const userId of [undefined, 'ALICE123@YAHOO.COM']) {
      const sign = sm2Signer(privateKey, userId ? { userId } : {});
      for (let i = 0; i < 4; i++) {
        const message = bytesOf(300 + i, 40 * i);
        const signature = sign(message);
        expect(
          independent.doVerifySignature(message, bytesToHex(signature), publicHex, {
            der: true,
            hash: true,
            ...(userId ? { userId } : {}),
          }),
        ).to.equal(true);
        expect(sm2Verify(hexToBytes(publicHex), message, signature, userId ? { userId } : {})).to.equal(true);
      }
    }
    expect(() => sm2Signer(new Uint8Array(32))).to.throw(RangeError, /d must lie in \[1, n-2\]/);
  });

  it('refuses r or s outside [1, n-1], a non-DER signature, a point off the curve', () => {
    const privateKey = sm2RandomPrivateKey();
    const publicKey = sm2PublicKey(privateKey);
    const message = utf8Encode('审批');
    const good = sm2Sign(privateKey, message);
    expect(sm2Verify(publicKey, message, good)).to.equal(true);
    const der = (r: bigint, s: bigint) => {
      const int = (v: bigint) => {
        let hex = v.toString(16);
        if (hex.length % 2) hex = `0${hex}`;
        if (parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
        return `02${(hex.length / 2).toString(16).padStart(2, '0')}${hex}`;
      };
      const body = int(r) + int(s);
      return hexToBytes(`30${(body.length / 2).toString(16).padStart(2, '0')}${body}`);
    };
    expect(sm2Verify(publicKey, message, der(0n, 5n))).to.equal(false);
    expect(sm2Verify(publicKey, message, der(5n, N))).to.equal(false);
    expect(sm2Verify(publicKey, message, good.subarray(0, good.length - 1))).to.equal(false);
    const offCurve = publicKey.slice();
    offCurve[64] = (offCurve[64] ?? 0) ^ 1;
    expect(sm2Verify(offCurve, message, good)).to.equal(false);
  });

  it("finds that node:crypto's OpenSSL signs SM2 with an EMPTY user ID, not GB/T 35276's default (so the suite does not use it)", () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'SM2' });
    // Re-imported, the key becomes OpenSSL's SM2 type (node calls it neither 'ec' nor anything else).
    const privateKey = createPrivateKey(pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const publicKeyObject = createPublicKey(pair.publicKey.export({ type: 'spki', format: 'pem' }));
    const publicKey = uncompressed(publicKeyObject.export({ type: 'spki', format: 'der' }));
    const message = Buffer.from('电子证照');
    const openssl = new Uint8Array(sign(null, message, privateKey));
    expect(sm2Verify(publicKey, message, openssl), 'with the default user ID').to.equal(false);
    expect(sm2Verify(publicKey, message, openssl, { userId: '' }), 'with an empty user ID').to.equal(true);
    const ours = sm2Sign(
      hexToBytes(
        bytesToHex(privateKey.export({ type: 'pkcs8', format: 'der' }))
          .split('0420')[1]!
          .slice(0, 64),
      ),
      message,
      { userId: '' },
    );
    expect(verify(null, message, publicKeyObject, ours)).to.equal(true);
  });

  it('checks SM2-with-SM3 certificates OpenSSL made: signed with the default user ID they verify, with another not', () => {
    const withDefault = parseCertificate(fixture('openssl-sm2-default-id.pem'));
    expect(withDefault.keyCurve).to.equal('SM2');
    expect(withDefault.signatureAlgorithm).to.equal('1.2.156.10197.1.501');
    expect(isIssuedBy(withDefault, withDefault)).to.equal(true);
    const withAlice = parseCertificate(fixture('openssl-sm2-id-alice.pem'));
    expect(isIssuedBy(withAlice, withAlice)).to.equal(false);
    expect(
      sm2Verify(withAlice.publicKey, withAlice.tbs, withAlice.signature, { userId: 'ALICE' }),
      'with the ID it was signed with',
    ).to.equal(true);
  });
});

describe('crypto suites: intl and gm do not mix', () => {
  it('verifies an SM2 signature only under gm, a P-256 one only under intl', () => {
    const certificate = parseCertificate(fixture('openssl-sm2-default-id.pem'));
    const request = { signer: certificate, message: certificate.tbs, signature: certificate.signature };
    expect(jsGmSuite.verify(request)).to.equal(true);
    expect(jsIntlSuite.verify(request)).to.equal(false);
    const p256 = { ...certificate, keyCurve: 'P-256' as const };
    expect(jsGmSuite.verify({ ...request, signer: p256 })).to.equal(false);
  });

  it('accepts only the suites a verifier was told to, naming where and what is accepted', () => {
    expect(requireSuite(undefined, ['intl'], 'bundle').name).to.equal('intl');
    expect(requireSuite('gm', ['intl', 'gm'], 'bundle')).to.equal(SUITES.gm);
    expect(() => requireSuite('gm', ['intl'], 'bundle.suite')).to.throw(
      SuiteNotAcceptedError,
      /bundle.suite: crypto suite "gm" is not accepted here \(accepted: intl\)/,
    );
    expect(() => requireSuite('rsa', ['intl', 'gm'], 'block 0')).to.throw(SuiteNotAcceptedError, /"rsa"/);
    expect(bytesToHex(SUITES.gm.digest(['abc']))).to.equal(sm3Hex('abc'));
    expect(bytesToHex(SUITES.intl.digest(['abc']))).to.equal(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
