// Proofs and chain checks on Fabric, from genuine Fabric 2.4.9 blocks (../shared/fabric-fixtures) served
// through the ledger port as the Fabric engine decodes them: the hub builds a Fabric proof bundle, the CLI
// verifies it offline, `verify-chain` walks the blocks, and what cannot be built is a 422 problem, never a 5xx.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import {
  base64ToBytes,
  decodeFabricBlock,
  FABRIC_PROOF_BUNDLE_FORMAT,
  type FabricProofBundle,
  verifyProofBundle,
} from '@approval-ledger/protocol';
import type { common } from '@hyperledger/fabric-protos';
import { expect } from 'chai';
import { runVerify, VERIFY_EXIT } from '../src/cli/commands/verify';
import { EXIT_BROKEN, EXIT_INTACT, runFabricVerifyChain } from '../src/cli/commands/verify-chain';
import { toHttpProblem } from '../src/http/error-mapping';
import { type AddressInfo } from 'node:net';
import pino from 'pino';
import { TokenService, loadOrCreateTokenSigningKey } from '../src/auth';
import { HubMetrics } from '../src/metrics/hub-metrics';
import { createServer } from '../src/server';
import { openStore } from '../src/store';
import { ChainIndex } from '../src/verification/chain-index';
import { ChainIndexer, blockSummary, extractBlock } from '../src/verification/chain-indexer';
import { ProofBundleBuilder, UnsupportedProofError } from '../src/verification/proof-bundle-builder';
import { VerificationService } from '../src/verification/verification.service';
import { FabricFixtureLedger, tamperedFixture } from './support/fabric-fixture-ledger';
import { fabricManifestEntry } from './support/fabric-fixtures';

const VALID_TX = '471c113dd63ff001a9261172e91d42bc9928c4e81ef692d7c2252bb6a7221cd5';
const GENESIS_HASH = fabricManifestEntry<{ expected: { header: { headerHashHex: string } } }>(
  'config-block-0.bin',
).expected.header.headerHashHex;

/** The first milestone the fixture's RecordBatch submitted, exactly as submitted. */
function anchor(): Record<string, unknown> {
  const entry = fabricManifestEntry<{ expected: { transactions: { actions: { args: string[] }[] }[] } }>(
    'block-valid.bin',
  );
  return (JSON.parse(entry.expected.transactions[0]!.actions[0]!.args[1]!) as Record<string, unknown>[])[0]!;
}

function request(chainTo?: number): Parameters<ProofBundleBuilder['build']>[0] {
  const milestone = anchor();
  return {
    kind: 'milestone',
    id: milestone.id as string,
    anchor: milestone,
    txId: VALID_TX,
    query: milestone.commitment as string,
    status: 'valid',
    tampered: false,
    ...(chainTo === undefined ? {} : { chainTo }),
  };
}

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

function forgeFilterValid(block: common.Block): void {
  block.getMetadata()!.getMetadataList_asU8()[2] = new Uint8Array([0, 0]);
}

describe('proofs on Fabric (genuine Fabric blocks through the ledger port)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'fabric-proofs-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('builds a Fabric proof bundle that the offline verifier accepts against block 0 pinned', async () => {
    const builder = new ProofBundleBuilder(new FabricFixtureLedger());
    expect(await builder.format()).to.equal(FABRIC_PROOF_BUNDLE_FORMAT);
    const bundle = (await builder.build(request(239))) as FabricProofBundle;
    expect(bundle.format).to.equal(FABRIC_PROOF_BUNDLE_FORMAT);
    expect(bundle.ledger.configBlocks).to.have.length(1);
    expect(decodeFabricBlock(base64ToBytes(bundle.transaction.block)).header.number).to.equal(236);
    expect(bundle.chain.map((h) => h.number)).to.deep.equal([237, 238, 239]);
    expect(bundle.statement).to.deep.include({ status: 'valid', headBlock: 239 });
    const verdict = verifyProofBundle(bundle, { trustedGenesisHash: GENESIS_HASH });
    expect(verdict.checks.filter((c) => c.status === 'failed')).to.deep.equal([]);
    expect(verdict).to.include({ ok: true, status: 'valid' });
    expect(verdict.head).to.deep.include({ number: 239 });
  });

  it('with LEDGER_CRYPTO=gm on Fabric: the bundle keeps Fabric’s SHA-256 / P-256 ledger and names its gm commitment', async () => {
    const bundle = (await new ProofBundleBuilder(new FabricFixtureLedger(), 'gm').build(
      request(239),
    )) as FabricProofBundle;
    expect(bundle.format).to.equal(FABRIC_PROOF_BUNDLE_FORMAT);
    expect(bundle.record.suite).to.equal('gm');
    const refused = verifyProofBundle(bundle, { trustedGenesisHash: GENESIS_HASH });
    expect(refused.status).to.equal('invalid');
    expect(refused.checks.find((c) => c.name === 'record.suite')?.detail).to.equal(
      'record.suite: crypto suite "gm" is not accepted here (accepted: intl)',
    );
    const accepted = verifyProofBundle(bundle, {
      trustedGenesisHash: GENESIS_HASH,
      acceptedSuites: ['intl', 'gm'],
    });
    expect(accepted.checks.filter((c) => c.status === 'failed')).to.deep.equal([]);
    expect(accepted).to.include({ ok: true, status: 'valid' });
    expect(accepted.record?.commitmentSuite).to.equal('gm');
  });

  it('ledger verify --bundle: 0 for the hub’s Fabric bundle, 2 when a byte of its block is changed', async () => {
    const bundle = (await new ProofBundleBuilder(new FabricFixtureLedger()).build(
      request(),
    )) as FabricProofBundle;
    const good = join(dir, 'fabric-proof.json');
    writeFileSync(good, JSON.stringify(bundle));
    const out = sink();
    expect(
      await runVerify(undefined, { bundle: good, genesis: GENESIS_HASH }, out.stream, sink().stream),
    ).to.equal(VERIFY_EXIT.valid);
    expect(out.text()).to.match(/VALID/);
    const block = base64ToBytes(bundle.transaction.block);
    block[block.length - 400] = (block[block.length - 400] ?? 0) ^ 0x01;
    const bad = join(dir, 'fabric-proof-tampered.json');
    writeFileSync(
      bad,
      JSON.stringify({
        ...bundle,
        transaction: { ...bundle.transaction, block: Buffer.from(block).toString('base64') },
      }),
    );
    const json = sink();
    expect(await runVerify(undefined, { bundle: bad, json: true }, json.stream, sink().stream)).to.equal(
      VERIFY_EXIT.invalid,
    );
    const verdict = JSON.parse(json.text()) as { checks: { name: string; status: string }[] };
    expect(verdict.checks.filter((c) => c.status === 'failed').map((c) => c.name)).to.not.be.empty;
  });

  it('POST /verify’s service on Fabric: the chain index of the genuine blocks finds the record, with a Fabric bundle', async () => {
    const ledger = new FabricFixtureLedger();
    const index = ChainIndex.open(join(dir, 'chain-index.sqlite'));
    const store = await openStore({ dataDir: join(dir, 'store') });
    try {
      for (const n of [0, 236, 237, 238, 239]) {
        const block = await ledger.getBlock(n);
        index.applyBlock(blockSummary(block), extractBlock(block));
      }
      const service = new VerificationService(index, store, new ProofBundleBuilder(ledger));
      const milestone = anchor();
      const result = await service.verifyHash(milestone.commitment as string, { bundles: true });
      expect(result.anchored).to.equal(true);
      const [match] = result.matches;
      expect(match).to.deep.include({ kind: 'milestone', id: milestone.id, matchedBy: 'commitment' });
      expect(match!.proof.format).to.equal(FABRIC_PROOF_BUNDLE_FORMAT);
      const verdict = verifyProofBundle(match!.bundle, { trustedGenesisHash: GENESIS_HASH });
      expect(verdict.checks.filter((c) => c.status === 'failed')).to.deep.equal([]);
      expect(verdict.status).to.equal('valid');
    } finally {
      index.close();
      await store.close();
    }
  });

  it('answers a bundle it cannot build with proof-unavailable (422), naming what is missing', async () => {
    const builder = new ProofBundleBuilder(new FabricFixtureLedger({ keepRaw: false }));
    let caught: unknown;
    try {
      await builder.build(request());
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(UnsupportedProofError);
    const problem = toHttpProblem(caught);
    expect(problem.status).to.equal(422);
    const body = problem.toProblem('/api/v1/proofs/milestone/x');
    expect(body.type).to.match(/\/proof-unavailable$/);
    expect(body.detail).to.contain('without its original Fabric bytes');
  });

  it('verify-chain --from 236: intact over the genuine blocks, checked against block 0’s configuration', async () => {
    const out = sink();
    const code = await runFabricVerifyChain(new FabricFixtureLedger(), { from: 236 }, out.stream);
    expect(code, out.text()).to.equal(EXIT_INTACT);
    expect(out.text()).to.match(/chain intact: 4 blocks \(blocks 236-239\), 6 transactions/);
  });

  it('verify-chain from block 0 reports the first block it cannot read (the capture skips 1-235)', async () => {
    const out = sink();
    const code = await runFabricVerifyChain(new FabricFixtureLedger(), { json: true }, out.stream);
    expect(code).to.equal(EXIT_BROKEN);
    const result = JSON.parse(out.text()) as { verifiedBlocks: number; firstBadBlock: { number: number } };
    expect(result.verifiedBlocks).to.equal(1);
    expect(result.firstBadBlock.number).to.equal(1);
  });

  it('verify-chain fails at a tampered block, naming the check', async () => {
    const cases: [number, (b: common.Block) => void, RegExp][] = [
      [238, forgeFilterValid, /transaction\.validationCode: .*ENDORSEMENT_POLICY_FAILURE/],
      [
        237,
        (b) => b.getHeader()!.setDataHash(new Uint8Array(32).fill(3)),
        /block\.previousLink|block\.dataHash/,
      ],
      [239, (b) => b.getHeader()!.setPreviousHash(new Uint8Array(32).fill(3)), /block\.previousLink/],
    ];
    const files: Record<number, string> = {
      237: 'block-two-endorsements.bin',
      238: 'block-endorsement-policy-failure.bin',
      239: 'block-mvcc-read-conflict.bin',
    };
    for (const [number, change, reason] of cases) {
      const ledger = new FabricFixtureLedger({
        replace: { [number]: tamperedFixture(files[number]!, change) },
      });
      const out = sink();
      const code = await runFabricVerifyChain(ledger, { from: 236, json: true }, out.stream);
      expect(code, `block ${number}`).to.equal(EXIT_BROKEN);
      const result = JSON.parse(out.text()) as { firstBadBlock: { number: number; reason: string } };
      expect(result.firstBadBlock.number).to.equal(number);
      expect(result.firstBadBlock.reason).to.match(reason);
    }
  });

  describe('over HTTP (the hub’s real app on the Fabric fixture ledger)', () => {
    /** The real app on a ledger port, its chain index built from the genuine blocks, listening for `use`. */
    async function withHub<T>(ledger: FabricFixtureLedger, use: (url: string) => Promise<T>): Promise<T> {
      const dataDir = mkdtempSync(join(dir, 'hub-'));
      const index = ChainIndex.open(join(dataDir, 'chain-index.sqlite'));
      const store = await openStore({ dataDir });
      const logger = pino({ level: 'silent' });
      try {
        for (const n of [0, 236, 237, 238, 239]) {
          const block = await ledger.getBlock(n);
          index.applyBlock(blockSummary(block), extractBlock(block));
        }
        const server = createServer({
          ledger,
          store,
          tokens: new TokenService({ key: await loadOrCreateTokenSigningKey(dataDir), tokens: store.tokens }),
          indexer: new ChainIndexer(ledger, index, logger),
          metrics: new HubMetrics({ defaultMetrics: false }),
          logger,
          options: { requestLog: false },
        });
        const listener = server.app.listen(0, '127.0.0.1');
        await new Promise((resolve) => listener.once('listening', resolve));
        try {
          const { port } = listener.address() as AddressInfo;
          return await use(`http://127.0.0.1:${port}`);
        } finally {
          await new Promise((resolve) => listener.close(resolve));
        }
      } finally {
        index.close();
        await store.close();
      }
    }

    /** Calls one route of the hub on `ledger`. */
    function call(
      ledger: FabricFixtureLedger,
      method: 'GET' | 'POST',
      path: string,
      body?: unknown,
    ): Promise<{ status: number; type: string | null; json: Record<string, unknown> }> {
      return withHub(ledger, async (url) => {
        const response = await fetch(`${url}/api/v1${path}`, {
          method,
          ...(body === undefined
            ? {}
            : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
        });
        return {
          status: response.status,
          type: response.headers.get('content-type'),
          json: (await response.json()) as Record<string, unknown>,
        };
      });
    }

    it('ledger verify <sha256>: through the hub on Fabric, every bundle re-checked offline, exit 0', async () => {
      const milestone = anchor();
      const out = sink();
      const err = sink();
      const code = await withHub(new FabricFixtureLedger(), (url) =>
        runVerify(
          milestone.commitment as string,
          { hub: url, json: true, genesis: GENESIS_HASH },
          out.stream,
          err.stream,
        ),
      );
      expect(code, err.text()).to.equal(VERIFY_EXIT.valid);
      const result = JSON.parse(out.text()) as { matches: { id: string; offline: { status: string } }[] };
      expect(result.matches.map((m) => [m.id, m.offline.status])).to.deep.equal([[milestone.id, 'valid']]);
    });

    it('GET /proofs and POST /verify with bundle: 200 with a Fabric bundle that verifies', async () => {
      const milestone = anchor();
      const proof = await call(
        new FabricFixtureLedger(),
        'GET',
        `/proofs/milestone/${milestone.id as string}`,
      );
      expect(proof.status, JSON.stringify(proof.json)).to.equal(200);
      expect(proof.json.format).to.equal(FABRIC_PROOF_BUNDLE_FORMAT);
      expect(verifyProofBundle(proof.json, { trustedGenesisHash: GENESIS_HASH }).status).to.equal('valid');
      const verified = await call(new FabricFixtureLedger(), 'POST', '/verify', {
        sha256: milestone.commitment,
        bundle: true,
      });
      expect(verified.status, JSON.stringify(verified.json)).to.equal(200);
      const [match] = verified.json.matches as { bundle: unknown; proof: { format: string } }[];
      expect(match!.proof.format).to.equal(FABRIC_PROOF_BUNDLE_FORMAT);
      expect(verifyProofBundle(match!.bundle).status).to.equal('valid');
    });

    it('GET /proofs and POST /verify with bundle: 422 proof-unavailable, not 500/502, when no bundle can be built', async () => {
      const milestone = anchor();
      const noBytes = (): FabricFixtureLedger => new FabricFixtureLedger({ keepRaw: false });
      const proof = await call(noBytes(), 'GET', `/proofs/milestone/${milestone.id as string}`);
      expect(proof.status).to.equal(422);
      expect(proof.type).to.match(/^application\/problem\+json/);
      expect(proof.json.type).to.match(/\/proof-unavailable$/);
      expect(proof.json.detail).to.contain('without its original Fabric bytes');
      const verified = await call(noBytes(), 'POST', '/verify', {
        sha256: milestone.commitment,
        bundle: true,
      });
      expect(verified.status).to.equal(422);
      expect(verified.json.type).to.match(/\/proof-unavailable$/);
      const linked = await call(noBytes(), 'POST', '/verify', { sha256: milestone.commitment });
      expect(linked.status, 'without bundle: true nothing is built').to.equal(200);
    });
  });
});
