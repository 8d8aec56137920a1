/**
 * Starts public anchoring from the configuration: the key (data dir or keystore), the chain behind
 * LEDGER_ANCHOR_RPC, the contract (configured, remembered, or deployed now). A chain that cannot be reached
 * is logged and anchoring stays off: the hub serves on, its checkpoints just are not anchored.
 */
import { type Logger } from 'pino';
import { type HubConfig } from '../config';
import { type Checkpointer } from '../tlog/checkpointer';
import { AnchorStore } from './anchor-store';
import { CheckpointAnchorer } from './checkpoint-anchorer';
import { EvmAnchorChain, loadAnchorWallet } from './evm-anchor-chain';

export async function startAnchorer(
  checkpointer: Checkpointer | undefined,
  config: HubConfig,
  logger: Logger,
): Promise<CheckpointAnchorer | undefined> {
  const anchor = config.anchor;
  if (!anchor || !checkpointer) return undefined;
  const store = new AnchorStore(config.dataDir);
  try {
    const wallet = await loadAnchorWallet(store.dir, anchor.keystore);
    const chain = await EvmAnchorChain.connect(anchor.rpcUrl, wallet);
    const source = {
      origin: checkpointer.origin,
      latest: () => checkpointer.latest(),
      witnessCount: checkpointer.status().witnesses.length,
    };
    const anchorer = await CheckpointAnchorer.open(
      chain,
      store,
      source,
      { everyMs: anchor.everyMs, ...(anchor.contract ? { contract: anchor.contract } : {}) },
      logger,
    );
    anchorer.start();
    logger.info(
      { rpc: anchor.rpcUrl, chainId: chain.chainId, contract: anchorer.contract, from: chain.address },
      'public anchoring started',
    );
    return anchorer;
  } catch (error) {
    logger.error(
      { err: error, rpc: anchor.rpcUrl },
      'public anchoring could not start; checkpoints are not anchored',
    );
    return undefined;
  }
}
