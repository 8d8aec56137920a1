/** Checkpoints for anchoring tests, and an anchorer over a data dir and an RPC (the test's real anvil). */
import { bytesToHex, sha256 } from '@approval-ledger/protocol';
import pino from 'pino';
import { AnchorStore } from '../../src/anchor/anchor-store';
import {
  type CheckpointAnchorerOptions,
  type CheckpointSource,
  CheckpointAnchorer,
} from '../../src/anchor/checkpoint-anchorer';
import { EvmAnchorChain, loadAnchorWallet } from '../../src/anchor/evm-anchor-chain';
import { type PublishedCheckpoint } from '../../src/tlog/checkpointer';

export const ORIGIN = 'bj.approval-ledger.example/log/0badc0de';

/** A checkpoint of `size` with a root derived from the size (or `root`), cosigned by `cosignedBy`. */
export function checkpointOf(
  size: number,
  cosignedBy = ['tj.approval-ledger.example/witness'],
  root?: string,
) {
  const hex = root ?? bytesToHex(sha256(new TextEncoder().encode(`root ${size}`)));
  const note = `${ORIGIN}\n${size}\n${hex}\n\n— test signature\n`;
  const published: PublishedCheckpoint = {
    size,
    root: hex,
    note,
    cosigned: `${note}— ${cosignedBy.join('\n— ')}\n`,
    cosignedBy,
    publishedAt: new Date().toISOString(),
    recordedInTx: null,
    witnessSizes: {},
  };
  return published;
}

/** A source whose latest checkpoint the test sets. */
export class TestSource implements CheckpointSource {
  readonly origin = ORIGIN;
  readonly witnessCount = 2;
  current: PublishedCheckpoint | undefined;

  latest(): PublishedCheckpoint | undefined {
    return this.current;
  }
}

export async function openAnchorer(
  dataDir: string,
  rpcUrl: string,
  source: CheckpointSource,
  options: Partial<CheckpointAnchorerOptions> = {},
): Promise<{ anchorer: CheckpointAnchorer; store: AnchorStore; chain: EvmAnchorChain }> {
  const store = new AnchorStore(dataDir);
  const chain = await EvmAnchorChain.connect(rpcUrl, await loadAnchorWallet(store.dir, undefined));
  const anchorer = await CheckpointAnchorer.open(
    chain,
    store,
    source,
    { everyMs: 3_600_000, mineTimeoutMs: 10_000, ...options },
    pino({ level: 'silent' }),
  );
  return { anchorer, store, chain };
}
