// The embedded ledger in the 国密 suite (LEDGER_CRYPTO=gm): block 0 names it; organisation CAs and identities have
// SM2 keys; endorsements, creator and orderer signatures are SM2-SM3 with the default user ID; transaction ids,
// block, data and commit hashes are SM3. verify-chain checks it only when told to accept gm, and an existing
// chain refuses to start under another LEDGER_CRYPTO.
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  base64ToBytes,
  blockHash,
  type BlockHeaderJson,
  type BlockMetadataJson,
  canonicalize,
  certificateOf,
  commitHash,
  type ConfigTransactionJson,
  dataHash,
  type EndorserTransactionJson,
  endorsementMessage,
  headerText,
  proposalText,
  sm2Verify,
  SUITES,
  transactionId,
  transactionResponseHash,
  utf8Encode,
  verifyProofBundle,
  type ProofBundle,
} from '@approval-ledger/protocol';
import { toBase64, verifyChain } from '@approval-ledger/fabric-engine';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { runVerifyChain } from '../src/cli/commands/verify-chain';
import { EmbeddedLedger } from '../src/ledger/embedded/embedded-ledger';
import { embeddedLedgerPaths } from '../src/ledger/embedded/ledger-paths';
import { recomputeBlockHashes } from '../src/ledger/block-hashes';
import { ProofBundleBuilder } from '../src/verification/proof-bundle-builder';
import { type LedgerIdentity } from '../src/ledger/ledger-port';
import { KV_CHAINCODE } from './support/kv-contract';
import { envelopeText, replaceEnvelope } from './support/ledger-envelopes';
import { TempDirs } from './support/temp-dirs';

const BJ: LedgerIdentity = { region: 'BJ', role: 'admin' };
const TJ: LedgerIdentity = { region: 'TJ', role: 'admin' };

interface StoredBlockRow {
  number: number;
  hash: string;
  header: string;
  metadata: string;
}

async function verify(dataDir: string, env: Record<string, string | undefined>) {
  let output = '';
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      output += chunk.toString();
      done();
    },
  });
  const saved = process.env.LEDGER_CRYPTO;
  if (env.LEDGER_CRYPTO === undefined) delete process.env.LEDGER_CRYPTO;
  else process.env.LEDGER_CRYPTO = env.LEDGER_CRYPTO;
  try {
    const code = await runVerifyChain(dataDir, { json: true }, out);
    return {
      code,
      result: JSON.parse(output) as {
        ok: boolean;
        suite: string;
        firstBadBlock?: { number: number; reason: string };
      },
    };
  } finally {
    if (saved === undefined) delete process.env.LEDGER_CRYPTO;
    else process.env.LEDGER_CRYPTO = saved;
  }
}

describe('the embedded ledger in the gm (国密) suite', function () {
  this.timeout(60_000);
  const dirs = new TempDirs();
  let dataDir: string;
  let height: number;
  after(() => dirs.removeAll());

  before(async () => {
    dataDir = dirs.make('gm-ledger-');
    const ledger = await EmbeddedLedger.open({
      dataDir,
      chaincode: KV_CHAINCODE,
      batch: { timeoutMs: 5 },
      cryptoSuite: 'gm',
    });
    for (let i = 0; i < 4; i++) await ledger.submit(BJ, 'kv:Put', [`k${i}`, `v${i}`]);
    await Promise.all([1, 2, 3].map((i) => ledger.submit(TJ, 'kv:Put', [`p${i}`, '审批'])));
    height = await ledger.height();
    await ledger.close();
  });

  function rows(): { blocks: StoredBlockRow[]; envelopes: Map<number, string[]> } {
    const db = new Database(embeddedLedgerPaths(dataDir).database, { readonly: true });
    try {
      const blocks = db
        .prepare('SELECT number, hash, header, metadata FROM blocks ORDER BY number')
        .all() as StoredBlockRow[];
      const envelopes = new Map<number, string[]>();
      for (const row of db
        .prepare('SELECT block_number, tx_index FROM transactions ORDER BY block_number, tx_index')
        .all() as { block_number: number; tx_index: number }[]) {
        const envelope = envelopeText(db, row.block_number, row.tx_index);
        envelopes.set(row.block_number, [...(envelopes.get(row.block_number) ?? []), envelope]);
      }
      return { blocks, envelopes };
    } finally {
      db.close();
    }
  }

  it('names gm in block 0, whose organisations have SM2 CAs and SM2 peer and orderer certificates', () => {
    const { envelopes } = rows();
    const genesis = JSON.parse(envelopes.get(0)![0]!) as ConfigTransactionJson;
    expect(genesis.config.suite).to.equal('gm');
    for (const org of genesis.config.organisations) {
      for (const pem of [org.caCertificate, org.peerCertificate]) {
        expect(certificateOf(pem).keyCurve, org.mspId).to.equal('SM2');
        expect(certificateOf(pem).signatureAlgorithm).to.equal('1.2.156.10197.1.501');
      }
    }
    expect(certificateOf(genesis.config.orderer.certificate).keyCurve).to.equal('SM2');
    // the configuration id is SM3 of the canonical configuration
    expect(genesis.txId).to.equal(
      Buffer.from(SUITES.gm.digest([canonicalize(genesis.config)])).toString('hex'),
    );
  });

  it('hashes blocks, data and commits with SM3, and the orderer signs headers SM2-SM3 with the default user ID', () => {
    const { blocks, envelopes } = rows();
    expect(blocks).to.have.length(height);
    let previousCommit = '0'.repeat(64);
    for (const block of blocks) {
      const header = JSON.parse(block.header) as BlockHeaderJson;
      const metadata = JSON.parse(block.metadata) as BlockMetadataJson;
      expect(block.hash).to.equal(blockHash(header, SUITES.gm));
      expect(block.hash).to.not.equal(blockHash(header));
      expect(header.dataHash).to.equal(dataHash(envelopes.get(block.number)!, SUITES.gm));
      expect(metadata.commitHash).to.equal(
        commitHash(previousCommit, block.hash, metadata.validationCodes, SUITES.gm),
      );
      previousCommit = metadata.commitHash;
      const orderer = certificateOf(metadata.signature.certificate);
      const signature = base64ToBytes(metadata.signature.signature);
      expect(sm2Verify(orderer.publicKey, utf8Encode(headerText(header)), signature)).to.equal(true);
      expect(
        sm2Verify(orderer.publicKey, utf8Encode(headerText(header)), signature, { userId: '' }),
      ).to.equal(false);
      const recomputed = recomputeBlockHashes(
        {
          number: block.number,
          previousHash: header.previousHash,
          dataHash: header.dataHash,
          hash: block.hash,
          dataHashScheme: 'rfc6962',
          transactions: envelopes.get(block.number)!.map((envelope) => ({ envelope: utf8Encode(envelope) })),
        } as unknown as Parameters<typeof recomputeBlockHashes>[0],
        SUITES.gm,
      );
      expect(recomputed).to.deep.equal({ hash: block.hash, dataHash: header.dataHash });
    }
  });

  it('makes SM3 transaction ids and SM2-SM3 creator and endorsement signatures', () => {
    const { envelopes } = rows();
    const tx = JSON.parse(envelopes.get(1)![0]!) as EndorserTransactionJson;
    const { nonce, creator, txId } = tx.proposal;
    expect(txId).to.equal(transactionId(base64ToBytes(nonce), creator.mspId, creator.certificate, SUITES.gm));
    expect(txId).to.not.equal(transactionId(base64ToBytes(nonce), creator.mspId, creator.certificate));
    const creatorKey = certificateOf(creator.certificate).publicKey;
    expect(certificateOf(creator.certificate).keyCurve).to.equal('SM2');
    expect(
      sm2Verify(creatorKey, utf8Encode(proposalText(tx.proposal)), base64ToBytes(tx.creatorSignature)),
    ).to.equal(true);
    const responseHash = transactionResponseHash(tx, SUITES.gm);
    expect(tx.endorsements.length).to.be.greaterThan(0);
    for (const e of tx.endorsements) {
      expect(
        sm2Verify(
          certificateOf(e.certificate).publicKey,
          endorsementMessage(e, responseHash),
          base64ToBytes(e.signature),
        ),
        e.mspId,
      ).to.equal(true);
    }
  });

  it('is verified by verify-chain under gm, and refused at block 0 by a verifier that accepts only intl', async () => {
    const database = embeddedLedgerPaths(dataDir).database;
    const gm = verifyChain(database, undefined, { accepted: ['gm'] });
    expect(gm).to.include({ ok: true, height, verifiedBlocks: height, verifiedTransactions: 7 });
    const intl = verifyChain(database);
    expect(intl.ok).to.equal(false);
    expect(intl.firstBadBlock).to.deep.equal({
      number: 0,
      reason:
        'channel configuration (block 0) suite: crypto suite "gm" is not accepted here (accepted: intl)',
    });
    const cli = await verify(dataDir, { LEDGER_CRYPTO: 'gm' });
    expect(cli.code).to.equal(0);
    expect(cli.result).to.include({ ok: true, suite: 'gm' });
    const refused = await verify(dataDir, { LEDGER_CRYPTO: undefined });
    expect(refused.code).to.equal(2);
    expect(refused.result.firstBadBlock?.reason).to.match(
      /not accepted here \(accepted: intl\); verified under LEDGER_CRYPTO=intl, set LEDGER_CRYPTO=gm to verify this chain/,
    );
  });

  it('finds a tampered gm chain: a changed write breaks the SM3 data hash', () => {
    const copy = dirs.make('gm-ledger-tampered-');
    cpSync(join(dataDir, 'ledger'), join(copy, 'ledger'), { recursive: true });
    const db = new Database(embeddedLedgerPaths(copy).database);
    try {
      const tx = JSON.parse(envelopeText(db, 2, 0)) as EndorserTransactionJson;
      const writes = tx.rwset.writes.map((w) => ({ ...w, value: toBase64(utf8Encode('forged')) }));
      replaceEnvelope(db, 2, canonicalize({ ...tx, rwset: { ...tx.rwset, writes } }), 0);
    } finally {
      db.close();
    }
    const result = verifyChain(embeddedLedgerPaths(copy).database, undefined, { accepted: ['gm'] });
    expect(result.firstBadBlock).to.deep.equal({
      number: 2,
      reason: 'the data hash does not match the transactions',
    });
  });

  it('builds proof bundles that name gm and carry SM3 Merkle paths, which verify only where gm is accepted', async () => {
    const ledger = await EmbeddedLedger.open({ dataDir, chaincode: KV_CHAINCODE, batch: { timeoutMs: 5 } });
    try {
      const committed = await ledger.submit(BJ, 'kv:Put', ['proved', 'value']);
      const builder = new ProofBundleBuilder(ledger, 'gm'); // a gm hub's commitments are gm too
      expect((await builder.suite()).name).to.equal('gm');
      const bundle = (await builder.build({
        kind: 'milestone',
        id: 'kv',
        anchor: {},
        txId: committed.txId,
        status: 'valid',
      })) as ProofBundle;
      expect(bundle.ledger.suite).to.equal('gm');
      const verdict = verifyProofBundle(bundle, { acceptedSuites: ['gm'] });
      const status = (name: string) => verdict.checks.find((c) => c.name === name)?.status;
      for (const name of [
        'bundle.suite',
        'genesis.suite',
        'genesis.header',
        'genesis.signature',
        'chain.signatures',
        'chain.links',
        'transaction.inclusion',
        'transaction.creator',
        'transaction.endorsements',
      ]) {
        expect(status(name), name).to.equal('verified');
      }
      expect(verdict.suite).to.equal('gm');
      expect(bundle.record.suite).to.equal('gm');
      expect(verdict.checks.filter((c) => c.status === 'failed').map((c) => c.name)).to.not.include(
        'record.suite',
      );
      const intl = verifyProofBundle(bundle);
      expect(intl.checks.find((c) => c.name === 'bundle.suite')?.status).to.equal('failed');
    } finally {
      await ledger.close();
    }
    height += 1;
  });

  it('refuses to start the chain under another LEDGER_CRYPTO, naming the variable; unset, it keeps its own', async () => {
    let failure: unknown;
    try {
      await EmbeddedLedger.open({ dataDir, chaincode: KV_CHAINCODE, cryptoSuite: 'intl' });
    } catch (error) {
      failure = error;
    }
    expect(String(failure)).to.match(
      /LEDGER_CRYPTO=intl, but this ledger was created with LEDGER_CRYPTO=gm \(block 0 fixes the crypto suite for the whole chain: SM3, SM2-SM3\)/,
    );
    const reopened = await EmbeddedLedger.open({ dataDir, chaincode: KV_CHAINCODE, batch: { timeoutMs: 5 } });
    try {
      const committed = await reopened.submit(BJ, 'kv:Put', ['after', 'reopen']);
      expect(committed.blockNumber).to.equal(height);
    } finally {
      await reopened.close();
    }
    const after = verifyChain(embeddedLedgerPaths(dataDir).database, undefined, { accepted: ['gm'] });
    expect(after).to.include({ ok: true, verifiedBlocks: height + 1 });
  });

  it('keeps an intl chain what it was: no suite in block 0, P-256 keys, refused by a gm-only verifier', async () => {
    const intlDir = dirs.make('intl-ledger-');
    const ledger = await EmbeddedLedger.open({
      dataDir: intlDir,
      chaincode: KV_CHAINCODE,
      batch: { timeoutMs: 5 },
    });
    await ledger.submit(BJ, 'kv:Put', ['k', 'v']);
    await ledger.close();
    const db = new Database(embeddedLedgerPaths(intlDir).database, { readonly: true });
    const genesis = JSON.parse(envelopeText(db, 0)) as ConfigTransactionJson;
    db.close();
    expect(genesis.config).to.not.have.property('suite');
    expect(certificateOf(genesis.config.orderer.certificate).keyCurve).to.equal('P-256');
    const database = embeddedLedgerPaths(intlDir).database;
    expect(verifyChain(database).ok).to.equal(true);
    expect(verifyChain(database, undefined, { accepted: ['gm'] }).firstBadBlock?.reason).to.match(
      /crypto suite "intl" is not accepted here \(accepted: gm\)/,
    );
    let failure: unknown;
    try {
      await EmbeddedLedger.open({ dataDir: intlDir, chaincode: KV_CHAINCODE, cryptoSuite: 'gm' });
    } catch (error) {
      failure = error;
    }
    expect(String(failure)).to.match(/LEDGER_CRYPTO=gm, but this ledger was created with LEDGER_CRYPTO=intl/);
  });
});
