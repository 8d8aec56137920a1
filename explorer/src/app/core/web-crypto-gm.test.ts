/**
 * The explorer's verifier on the 国密 (`gm`) suite, on the browser code path: SM3 in JavaScript (sm-crypto-v2,
 * no native hash registered) and SM2 in JavaScript (protocol's `sm2.ts`). Node-made artefacts (a gm ledger's proof
 * bundles and block 0, written by the hub with OpenSSL's SM3: hub/test/fixtures/make-proof-fixtures.ts gm) verify
 * here; what this code path signs, OpenSSL (an independent, native implementation) verifies with GB/T 35276's
 * default user ID, and the hub's verification core accepts as an SM2 certificate and signature.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  base64ToBytes,
  bytesToBase64,
  jsGmSuite,
  jsSm3,
  type ProofBundle,
  certificateOf,
  sm2PublicKey,
  sm2RandomPrivateKey,
  sm2SelfSignedCertificate,
  sm2Sign,
  sm3Implementation,
  utf8Encode,
} from '@approval-ledger/protocol';
import { type BlockJson } from '@approval-ledger/protocol/api';
import { afterAll, describe, expect, it } from 'vitest';
import { checkChain } from '../chain/chain-check';
import { WebCryptoChainVerifier, certificateIssuedBy } from './web-crypto-chain-verifier';

function repositoryRoot(): string {
  for (let dir = process.cwd(); dirname(dir) !== dir; dir = dirname(dir)) {
    if (existsSync(join(dir, 'lerna.json'))) return dir;
  }
  throw new Error(`no repository root (lerna.json) above ${process.cwd()}`);
}

function fixture(name: string): ProofBundle {
  const file = join(repositoryRoot(), 'protocol', 'src', 'proof', 'fixtures', `proof-bundle.${name}.json`);
  return JSON.parse(readFileSync(file, 'utf8')) as ProofBundle;
}

/** Block 0 of the gm ledger as `GET /blocks/0` serves it, from the bundle's genesis. */
function genesisBlock(bundle: ProofBundle): BlockJson {
  const { header, configEnvelope } = bundle.ledger.genesis;
  const config = JSON.parse(configEnvelope) as {
    txId: string;
    config: { orderer: { mspId: string; certificate: string } };
  };
  return {
    number: 0,
    hash: '',
    previousHash: header.previousHash,
    dataHash: header.dataHash,
    dataHashScheme: 'rfc6962',
    signatures: [
      {
        mspId: config.config.orderer.mspId,
        certificate: config.config.orderer.certificate,
        signature: header.signature,
      },
    ],
    transactions: [
      {
        txId: config.txId,
        blockNumber: 0,
        txIndex: 0,
        validationCode: 'VALID',
        timestamp: '2026-01-01T00:00:00.000000000Z',
        type: 'config',
        creator: null,
        chaincodeName: null,
        function: null,
        endorsements: [],
        event: null,
        envelopeBytes: utf8Encode(configEnvelope).length,
        envelope: bytesToBase64(utf8Encode(configEnvelope)),
      },
    ],
  };
}

describe('WebCryptoChainVerifier: the gm (国密) suite in the browser code path', () => {
  const verifier = new WebCryptoChainVerifier();
  const dir = mkdtempSync(join(tmpdir(), 'explorer-gm-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs on JavaScript SM3 here, not a native one', () => {
    expect(sm3Implementation()).toBe(jsSm3);
  });

  it('verifies proof bundles a gm ledger made in Node (SM3 paths, SM2 signatures) and says the suite', async () => {
    const bundle = fixture('gm-milestone');
    const verdict = await verifier.verifyProofBundle(bundle, bundle.query!.sha256);
    expect(verdict.checks.filter((c) => c.status === 'failed')).toEqual([]);
    expect(verdict).toMatchObject({ ok: true, status: 'valid', suite: 'gm' });
    const revoked = await verifier.verifyProofBundle(
      fixture('gm-revoked-certificate'),
      fixture('gm-revoked-certificate').query!.sha256,
    );
    expect(revoked).toMatchObject({ status: 'revoked', suite: 'gm' });
    const intl = await verifier.verifyProofBundle(fixture('milestone'), fixture('milestone').query!.sha256);
    expect(intl).toMatchObject({ ok: true, suite: 'intl' });
  });

  it('refuses a gm bundle whose orderer signature was changed', async () => {
    const bundle = fixture('gm-milestone');
    const signature = base64ToBytes(bundle.chain[0]!.signature);
    signature[signature.length - 1] = (signature[signature.length - 1] ?? 0) ^ 1;
    const forged = { ...bundle, chain: [{ ...bundle.chain[0]!, signature: bytesToBase64(signature) }] };
    const verdict = await verifier.verifyProofBundle(forged, bundle.query!.sha256);
    expect(verdict.ok).toBe(false);
    expect(verdict.checks.find((c) => c.name === 'chain.signatures')?.status).toBe('failed');
  });

  it("checks a gm ledger's block 0 as the chain page does: SM3 hashes, the orderer's SM2 signature", async () => {
    const block = genesisBlock(fixture('gm-milestone'));
    const trust = verifier.channelTrust(block);
    expect(trust?.suite?.name).toBe('gm');
    const hash = verifier.headerHash(block, 'rfc6962', trust?.suite);
    const check = await verifier.verifyBlock({ ...block, hash }, { trust });
    expect(
      [check.headerHash, check.dataHash, check.previousLink, check.ordererSignature].map((c) => c.status),
    ).toEqual(['verified', 'verified', 'verified', 'verified']);
    expect(check.ok).toBe(true);
    // the same block read as SHA-256 / P-256 does not verify: the suites do not mix
    const asIntl = await verifier.verifyBlock(
      { ...block, hash: verifier.headerHash(block, 'rfc6962') },
      {
        trust: trust && { ...trust, suite: undefined },
      },
    );
    expect(asIntl.dataHash.status).toBe('failed');
    expect(asIntl.ordererSignature.status).not.toBe('verified');
  });

  it('reports a gm chain checked intact under the gm suite, as the chain page shows it', async () => {
    const block = genesisBlock(fixture('gm-milestone'));
    const trust = verifier.channelTrust(block);
    const hashed = { ...block, hash: verifier.headerHash(block, 'rfc6962', trust?.suite) };
    const result = await checkChain({ height: 1, fetchBlock: () => Promise.resolve(hashed), verifier });
    expect(result).toEqual({ status: 'intact', checked: 1, total: 1, suite: 'gm' });
  });

  it('signs SM2 what OpenSSL verifies with the default user ID, and makes SM2 certificates the core accepts', async () => {
    const key = sm2RandomPrivateKey();
    const message = utf8Encode('浏览器里签的名 / signed in the browser code path');
    const signature = sm2Sign(key, message);
    const caPem = sm2SelfSignedCertificate(
      {
        subject: [
          ['C', 'CN'],
          ['O', 'browser.ledger.gov.cn'],
          ['CN', 'ca.browser.ledger.gov.cn'],
        ],
        publicKey: sm2PublicKey(key),
        notBefore: new Date('2026-01-01T00:00:00Z'),
        notAfter: new Date('2027-01-01T00:00:00Z'),
        ca: true,
        keyUsage: ['digitalSignature', 'keyCertSign'],
      },
      key,
    );
    writeFileSync(join(dir, 'ca.pem'), caPem);
    writeFileSync(join(dir, 'message'), message);
    writeFileSync(join(dir, 'signature'), signature);
    execFileSync('openssl', [
      'x509',
      '-in',
      join(dir, 'ca.pem'),
      '-pubkey',
      '-noout',
      '-out',
      join(dir, 'pub.pem'),
    ]);
    const verify = (distid: string): string => {
      try {
        return execFileSync(
          'openssl',
          [
            'pkeyutl',
            '-verify',
            '-rawin',
            '-digest',
            'sm3',
            '-pkeyopt',
            `distid:${distid}`,
            '-in',
            join(dir, 'message'),
            '-sigfile',
            join(dir, 'signature'),
            '-pubin',
            '-inkey',
            join(dir, 'pub.pem'),
          ],
          { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] },
        );
      } catch (error) {
        return String((error as { stdout?: string }).stdout ?? error);
      }
    };
    expect(verify('1234567812345678')).toMatch(/Signature Verified Successfully/);
    expect(verify('')).not.toMatch(/Signature Verified Successfully/);
    expect(certificateOf(caPem).keyCurve).toBe('SM2');
    expect(jsGmSuite.verify({ signer: certificateOf(caPem), message, signature })).toBe(true);
    expect((await certificateIssuedBy(caPem, caPem)).status).toBe('verified');
  });
});
