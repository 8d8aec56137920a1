// `ledger verify-chain`: intact chains pass (exit 0); every kind of tampering with the stored chain is found
// and the first bad block is named (exit 2), even by someone holding the orderer's key.
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  canonicalize,
  blockHash,
  type BlockHeaderJson,
  type BlockMetadataJson,
  dataHash,
  type EndorserTransactionJson,
  headerText,
  commitHash,
} from '@approval-ledger/protocol';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { runVerifyChain } from '../src/cli/commands/verify-chain';
import { toBase64, verifyChain, verifyChainInParallel, Signer } from '@approval-ledger/fabric-engine';
import { EmbeddedLedger } from '../src/ledger/embedded/embedded-ledger';
import { embeddedLedgerPaths } from '../src/ledger/embedded/ledger-paths';
import { type LedgerIdentity } from '../src/ledger/ledger-port';
import { KV_CHAINCODE } from './support/kv-contract';
import { envelopeText, replaceEnvelope } from './support/ledger-envelopes';
import { TempDirs } from './support/temp-dirs';

const BJ: LedgerIdentity = { region: 'BJ', role: 'admin' };
const CLI = join(__dirname, '..', 'src', 'cli', 'ledger.ts');

interface Verification {
  ok: boolean;
  firstBadBlock: { number: number; reason: string };
}

interface Result {
  code: number;
  output: string;
}

async function verify(dataDir: string, json = true): Promise<Result> {
  let output = '';
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      output += chunk.toString();
      done();
    },
  });
  const code = await runVerifyChain(dataDir, { json }, out);
  return { code, output };
}

function cli(dataDir: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, ['-r', 'ts-node/register', CLI, 'verify-chain', ...args], {
    cwd: join(__dirname, '..'),
    env: { ...process.env, LEDGER_DATA_DIR: dataDir, TS_NODE_TRANSPILE_ONLY: 'true' },
    encoding: 'utf8',
  });
}

describe('ledger verify-chain', function () {
  this.timeout(60_000);
  const dirs = new TempDirs();
  let pristine: string;
  let height: number;
  after(() => dirs.removeAll());

  before(async () => {
    pristine = dirs.make('verify-chain-');
    const ledger = await EmbeddedLedger.open({
      dataDir: pristine,
      chaincode: KV_CHAINCODE,
      batch: { timeoutMs: 5 },
    });
    for (let i = 0; i < 6; i++) await ledger.submit(BJ, 'kv:Put', [`k${i}`, `v${i}`]);
    await Promise.all([1, 2, 3].map((i) => ledger.submit(BJ, 'kv:Put', [`p${i}`, 'x'])));
    height = await ledger.height();
    await ledger.close();
  });

  /** A copy of the ledger, tampered with by `edit` on its database. */
  function tampered(edit: (db: Database.Database, dataDir: string) => void): string {
    const dataDir = dirs.make('verify-chain-tampered-');
    cpSync(join(pristine, 'ledger'), join(dataDir, 'ledger'), { recursive: true });
    const db = new Database(embeddedLedgerPaths(dataDir).database);
    try {
      edit(db, dataDir);
    } finally {
      db.close();
    }
    return dataDir;
  }

  function envelopeOf(db: Database.Database, block: number): EndorserTransactionJson {
    return JSON.parse(envelopeText(db, block)) as EndorserTransactionJson;
  }

  it('accepts an intact chain (exit 0) and reports what it verified', async () => {
    const { code, output } = await verify(pristine);
    expect(code).to.equal(0);
    expect(JSON.parse(output)).to.include({
      ok: true,
      height,
      verifiedBlocks: height,
      verifiedTransactions: 9,
    });
    expect((await verify(pristine, false)).output).to.match(
      /^chain intact: \d+ blocks, 9 transactions verified in \d+ ms\n$/,
    );
  });

  it('finds a changed transaction: the data hash no longer matches (exit 2, first bad block named)', async () => {
    const dataDir = tampered((db) => {
      const tx = envelopeOf(db, 3);
      const writes = tx.rwset.writes.map((w) => ({ ...w, value: toBase64(new TextEncoder().encode('v9')) }));
      replaceEnvelope(db, 3, canonicalize({ ...tx, rwset: { ...tx.rwset, writes } }));
    });
    const { code, output } = await verify(dataDir);
    expect(code).to.equal(2);
    expect(JSON.parse(output)).to.deep.include({
      ok: false,
      firstBadBlock: { number: 3, reason: 'the data hash does not match the transactions' },
    });
  });

  it('finds a flipped validation code', async () => {
    const dataDir = tampered((db) =>
      db
        .prepare("UPDATE transactions SET validation_code = 'MVCC_READ_CONFLICT' WHERE block_number = 4")
        .run(),
    );
    expect((JSON.parse((await verify(dataDir)).output) as Verification).firstBadBlock.number).to.equal(4);
  });

  it('finds a block removed from the middle of the chain', async () => {
    const dataDir = tampered((db) => {
      db.prepare('DELETE FROM transactions WHERE block_number = 2').run();
      db.prepare('DELETE FROM blocks WHERE number = 2').run();
    });
    const result = JSON.parse((await verify(dataDir)).output) as {
      firstBadBlock: { number: number; reason: string };
    };
    expect(result.firstBadBlock.number).to.equal(2);
    expect(result.firstBadBlock.reason).to.match(/missing/);
  });

  it('finds a header rewritten without the orderer key', async () => {
    const dataDir = tampered((db) => {
      const row = db.prepare('SELECT header FROM blocks WHERE number = 5').get() as { header: string };
      const header = { ...(JSON.parse(row.header) as BlockHeaderJson), dataHash: 'ff'.repeat(32) };
      db.prepare('UPDATE blocks SET header = ?, hash = ? WHERE number = 5').run(
        headerText(header),
        blockHash(header),
      );
    });
    expect((JSON.parse((await verify(dataDir)).output) as Verification).firstBadBlock.number).to.equal(5);
  });

  it("finds a forged transaction even when the forger re-signs the block with the orderer's own key", async () => {
    const dataDir = tampered((db, dir) => {
      const orderer = join(embeddedLedgerPaths(dir).msp, 'orderer');
      const signer = new Signer(
        'OrdererMSP',
        readFileSync(join(orderer, 'orderer-cert.pem'), 'utf8'),
        readFileSync(join(orderer, 'orderer-key.pem'), 'utf8'),
      );
      const tx = envelopeOf(db, 3);
      const forged = {
        ...tx,
        rwset: {
          ...tx.rwset,
          writes: tx.rwset.writes.map((w) => ({ ...w, value: toBase64(new TextEncoder().encode('forged')) })),
        },
      };
      const text = canonicalize(forged);
      const block = db.prepare('SELECT header, metadata FROM blocks WHERE number = 3').get() as {
        header: string;
        metadata: string;
      };
      const header = { ...(JSON.parse(block.header) as BlockHeaderJson), dataHash: dataHash([text]) };
      const metadata = JSON.parse(block.metadata) as BlockMetadataJson;
      const previous = JSON.parse(
        (db.prepare('SELECT metadata FROM blocks WHERE number = 2').get() as { metadata: string }).metadata,
      ) as BlockMetadataJson;
      const hash = blockHash(header);
      const resigned: BlockMetadataJson = {
        ...metadata,
        signature: {
          ...metadata.signature,
          signature: toBase64(signer.sign(new TextEncoder().encode(headerText(header)))),
        },
        commitHash: commitHash(previous.commitHash, hash, metadata.validationCodes),
      };
      replaceEnvelope(db, 3, text);
      db.prepare('UPDATE blocks SET header = ?, hash = ?, metadata = ? WHERE number = 3').run(
        headerText(header),
        hash,
        JSON.stringify(resigned),
      );
    });
    const result = JSON.parse((await verify(dataDir)).output) as {
      firstBadBlock: { number: number; reason: string };
    };
    expect(result.firstBadBlock.number).to.equal(3);
    expect(result.firstBadBlock.reason).to.match(/endorsement signature of BeijingMSP does not verify/);
  });

  it('runs as `ledger verify-chain`: exit 0 intact, exit 2 broken with the first bad block printed, exit 1 without a ledger', () => {
    expect(cli(pristine).status).to.equal(0);
    const broken = tampered((db) => db.prepare("UPDATE blocks SET hash = 'x' WHERE number = 6").run());
    const run = cli(broken);
    expect(run.status).to.equal(2);
    expect(run.stdout).to.match(/^chain BROKEN at block 6: /);
    expect(cli(dirs.make('verify-chain-empty-'), '--json').status).to.equal(1);
  });

  it('verifies a chain while its ledger is open and committing (read-only, beside the writer)', async () => {
    const dataDir = dirs.make('verify-chain-live-');
    cpSync(join(pristine, 'ledger'), join(dataDir, 'ledger'), { recursive: true });
    const ledger = await EmbeddedLedger.open({ dataDir, chaincode: KV_CHAINCODE, batch: { timeoutMs: 5 } });
    try {
      const writes = Promise.all([1, 2, 3, 4].map((i) => ledger.submit(BJ, 'kv:Put', [`live${i}`, 'x'])));
      expect((await verify(dataDir)).code).to.equal(0);
      await writes;
      const result = JSON.parse((await verify(dataDir)).output) as { ok: boolean; height: number };
      expect(result).to.include({ ok: true, height: await ledger.height() });
    } finally {
      await ledger.close();
    }
  });

  it('verifies long chains on several threads with the same verdict, naming the same first bad block', async function () {
    this.timeout(120_000);
    const dataDir = dirs.make('verify-chain-long-');
    const ledger = await EmbeddedLedger.open({
      dataDir,
      chaincode: KV_CHAINCODE,
      batch: { maxTransactions: 1 },
      endorsementWorkers: 0,
    });
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (let i = 0; i < 40; i++) await ledger.submit(BJ, 'kv:Put', [`long${w}-${i}`, 'x']);
      }),
    );
    await ledger.close();
    const database = embeddedLedgerPaths(dataDir).database;
    const sequential = verifyChain(database);
    const parallel = await verifyChainInParallel(database, { workers: 3, minBlocks: 0 });
    expect(parallel).to.deep.include({
      ok: true,
      height: sequential.height,
      verifiedBlocks: sequential.height,
      verifiedTransactions: sequential.verifiedTransactions,
    });

    const db = new Database(database);
    db.prepare(
      "UPDATE transactions SET validation_code = 'MVCC_READ_CONFLICT' WHERE block_number = 250",
    ).run();
    db.close();
    const broken = await verifyChainInParallel(database, { workers: 3, minBlocks: 0 });
    expect(broken.ok).to.equal(false);
    expect(broken.firstBadBlock?.number).to.equal(250);
    expect(broken.firstBadBlock).to.deep.equal(verifyChain(database).firstBadBlock);
  });
});
