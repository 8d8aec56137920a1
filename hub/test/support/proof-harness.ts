/**
 * What the proof suites share: an embedded ledger of a data dir, the chain index following its blocks, the
 * bundle builder, Tianjin's and Hebei's witnesses over HTTP, a checkpointer of the Beijing log committing to the
 * status tree the index derives, and the trust a verifier pins (block 0, the log key, the witnesses' keys).
 */
import { join } from 'node:path';
import { type CryptoSuiteName, type VerifyProofOptions } from '@approval-ledger/protocol';
import { pino } from 'pino';
import { EmbeddedLedger } from '../../src/ledger/embedded/embedded-ledger';
import { Checkpointer, type CheckpointerOptions } from '../../src/tlog/checkpointer';
import { registerNativeEd25519 } from '../../src/tlog/ed25519-key';
import { logIdentity } from '../../src/tlog/tlog-identity';
import { type WitnessEndpoint } from '../../src/tlog/witness-client';
import { ChainIndex } from '../../src/verification/chain-index';
import { ChainIndexer } from '../../src/verification/chain-indexer';
import { ProofBundleBuilder } from '../../src/verification/proof-bundle-builder';
import { statusEntries } from '../../src/verification/status-entries';
import { listenRegionalWitnesses, type RegionalWitnesses } from './regional-witnesses';
import { type TempDirs } from './temp-dirs';

const logger = pino({ level: 'silent' });

export interface ProofHarness {
  readonly dataDir: string;
  readonly ledger: EmbeddedLedger;
  readonly index: ChainIndex;
  readonly indexer: ChainIndexer;
  readonly builder: ProofBundleBuilder;
  readonly witnesses: WitnessEndpoint[];
  /** A checkpointer of the Beijing log (publishing only when asked), its status tree from the chain index. */
  openCheckpointer(): Promise<Checkpointer>;
  /** Waits until the checkpointer has every block, publishes, and returns the new checkpoint's size. */
  publishAll(checkpointer: Checkpointer): Promise<number>;
  /** The trust a verifier pins: this ledger's block 0, the log key, the two witnesses (quorum 2). */
  pinned(): Promise<VerifyProofOptions>;
  close(): Promise<void>;
}

export async function openProofHarness(
  dirs: TempDirs,
  prefix: string,
  options: { cryptoSuite?: CryptoSuiteName } = {},
): Promise<ProofHarness> {
  registerNativeEd25519();
  const dataDir = dirs.make(prefix);
  // one hub, one suite: the embedded ledger's is also its log's and its commitments'
  const suite = options.cryptoSuite ?? 'intl';
  const ledger = await EmbeddedLedger.open({
    dataDir,
    batch: { timeoutMs: 5 },
    endorsementWorkers: 0,
    ...(options.cryptoSuite ? { cryptoSuite: options.cryptoSuite } : {}),
  });
  const index = ChainIndex.open(join(dataDir, 'index.sqlite'));
  const indexer = new ChainIndexer(ledger, index, logger);
  indexer.start();
  let regional: RegionalWitnesses | undefined;
  try {
    regional = await listenRegionalWitnesses(dataDir, ['TJ', 'HE'], suite);
  } catch (error) {
    await indexer.stop();
    index.close();
    await ledger.close();
    throw error;
  }
  const witnesses = regional.endpoints;
  const checkpointerOptions: CheckpointerOptions = {
    region: 'BJ',
    everyBlocks: 10_000,
    everyMs: 3_600_000,
    witnesses,
    suite,
    record: false,
    status: {
      entriesAt: async (size) => {
        await indexer.waitFor(size - 1);
        return statusEntries(index, size);
      },
    },
  };
  return {
    dataDir,
    ledger,
    index,
    indexer,
    builder: new ProofBundleBuilder(ledger, suite),
    witnesses,
    openCheckpointer: () => Checkpointer.open(ledger, dataDir, checkpointerOptions, logger),
    async publishAll(checkpointer) {
      await checkpointer.waitForSize(await ledger.height());
      return (await checkpointer.publish())!.size;
    },
    async pinned() {
      return {
        trustedGenesisHash: (await ledger.getBlock(0)).hash,
        ...(options.cryptoSuite ? { acceptedSuites: [options.cryptoSuite] } : {}),
        tlog: {
          logKeys: [logIdentity(dataDir, 'BJ', suite).verifier],
          witnessKeys: witnesses.map((w) => w.key),
          quorum: 2,
          suite,
        },
      };
    },
    async close() {
      await regional?.close();
      await indexer.stop();
      index.close();
      await ledger.close();
    },
  };
}
