/**
 * Public anchoring of the transparency log: once per interval, the latest checkpoint that the witnesses
 * cosigned, if it is larger than the last one anchored, goes to the CheckpointAnchor contract in one
 * transaction:
 *
 *   sign anchor(origin, size, root, sha256(cosigned note), cosigners) with the next nonce
 *   -> pending.json (the signed bytes, fsynced) -> broadcast -> mined -> anchors.jsonl (fsynced) -> drop pending
 *
 * Exactly once across kill -9: the transaction is written down before it is sent, so a restart finds it and
 * asks the chain (mined: record it; unknown: send the same bytes again, which, with the same nonce, can be
 * mined at most once; nonce taken by something else: drop it). The contract itself refuses a size not larger
 * than the last, and on start the anchorer reads the contract's Anchored logs for anything the chain has that
 * the record lacks. So the same checkpoint is never anchored twice, and none that was mined is lost.
 */
import { type AnchorReference, bytesToHex, sha256 } from '@approval-ledger/protocol';
import { type AnchorPage, type AnchorRecord } from '@approval-ledger/protocol/api';
import { type Logger } from 'pino';
import { type PublishedCheckpoint } from '../tlog/checkpointer';
import { type AnchorStore, type PendingAnchor } from './anchor-store';
import { type EvmAnchorChain, type MinedAnchor, rootBase64 } from './evm-anchor-chain';

/** What the anchorer anchors: the transparency log's latest checkpoint (the hub's checkpointer). */
export interface CheckpointSource {
  readonly origin: string;
  latest(): PublishedCheckpoint | undefined;
  /** Witnesses the log asks; when there are some, only a checkpoint one of them cosigned is anchored. */
  readonly witnessCount: number;
}

export interface CheckpointAnchorerOptions {
  readonly everyMs: number;
  /** A CheckpointAnchor to use instead of the remembered or a newly deployed one. */
  readonly contract?: string;
  /** How long to wait for a sent transaction to be mined before trying again next interval. */
  readonly mineTimeoutMs?: number;
  /** Called after the transaction is sent and before it is recorded (tests kill the process here). */
  readonly afterBroadcast?: (pending: PendingAnchor) => void;
}

/** An anchor with the cosigned checkpoint note it anchored. */
export interface CoveringAnchor {
  readonly reference: AnchorReference;
  readonly note: string;
}

export class CheckpointAnchorerError extends Error {
  override readonly name = 'CheckpointAnchorerError';
}

export class CheckpointAnchorer {
  #contract = '';
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<AnchorRecord | undefined> | undefined;

  private constructor(
    private readonly chain: EvmAnchorChain,
    private readonly store: AnchorStore,
    private readonly source: CheckpointSource,
    private readonly options: CheckpointAnchorerOptions,
    private readonly logger: Logger,
  ) {}

  /** Settles the contract (configured, remembered or deployed now) and whatever a crash left pending. */
  static async open(
    chain: EvmAnchorChain,
    store: AnchorStore,
    source: CheckpointSource,
    options: CheckpointAnchorerOptions,
    logger: Logger,
  ): Promise<CheckpointAnchorer> {
    const anchorer = new CheckpointAnchorer(chain, store, source, options, logger);
    if (await chain.fundOnDevNode())
      logger.info({ address: chain.address }, 'funded the anchoring key on the dev node');
    await anchorer.#settleContract();
    await anchorer.#recover();
    return anchorer;
  }

  get contract(): string {
    return this.#contract;
  }

  get chainId(): number {
    return this.chain.chainId;
  }

  start(): void {
    void this.anchorNow();
    this.#timer = setInterval(() => void this.anchorNow(), this.options.everyMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
    this.chain.close();
  }

  /** Anchors the latest cosigned checkpoint now unless it is anchored already (one run at a time). */
  anchorNow(): Promise<AnchorRecord | undefined> {
    this.#running ??= this.#anchorOnce()
      .catch((error: unknown) => {
        this.logger.warn({ err: error }, 'could not anchor the checkpoint; trying again next interval');
        return undefined;
      })
      .finally(() => (this.#running = undefined));
    return this.#running;
  }

  page(limit: number, before?: number): AnchorPage {
    return { chainId: this.chain.chainId, contract: this.#contract, anchors: this.store.page(limit, before) };
  }

  latest(): AnchorRecord | undefined {
    return this.store.latest();
  }

  /**
   * The newest anchor a proof bundle of a record in `block` can carry, when its checkpoint is at most
   * `atMost` (the bundle's checkpoint) and covers the block, and its anchored note was kept.
   */
  covering(block: number, atMost: number): CoveringAnchor | undefined {
    for (const record of this.store.page(Number.MAX_SAFE_INTEGER, atMost + 1)) {
      const size = record.anchor.checkpoint.size;
      if (size <= block) return undefined;
      const note = this.store.note(size);
      if (note !== undefined) return { reference: record.anchor, note };
    }
    return undefined;
  }

  async #anchorOnce(): Promise<AnchorRecord | undefined> {
    if (this.store.pending()) await this.#resolvePending();
    const checkpoint = this.#anchorable();
    if (!checkpoint) return undefined;
    const cosigned = checkpoint.cosigned;
    const noteHash = `0x${bytesToHex(sha256(new TextEncoder().encode(cosigned)))}`;
    const signed = await this.chain
      .sign(this.#contract, {
        origin: this.source.origin,
        size: checkpoint.size,
        root: checkpoint.root,
        noteHash,
        cosigners: checkpoint.cosignedBy.length,
      })
      .catch(async (error: unknown) => {
        // the gas estimate reverts when the chain already holds this size: learn what it holds
        await this.#reconcile();
        throw error;
      });
    const pending: PendingAnchor = {
      ...signed,
      checkpoint: {
        origin: this.source.origin,
        size: checkpoint.size,
        rootHash: rootBase64(checkpoint.root),
      },
      noteHash,
      cosignedBy: [...checkpoint.cosignedBy],
      note: cosigned,
    };
    this.store.savePending(pending);
    await this.chain.broadcast(signed.raw);
    this.options.afterBroadcast?.(pending);
    return this.#resolvePending();
  }

  /** The latest checkpoint when it is cosigned (if witnesses are configured) and not anchored yet. */
  #anchorable(): PublishedCheckpoint | undefined {
    const checkpoint = this.source.latest();
    if (!checkpoint) return undefined;
    if (this.source.witnessCount > 0 && checkpoint.cosignedBy.length === 0) return undefined;
    if (this.store.covers(this.source.origin, checkpoint.size)) return undefined;
    return checkpoint;
  }

  /** Finds out what became of the pending transaction and records it; sends it again when the chain lost it. */
  async #resolvePending(): Promise<AnchorRecord | undefined> {
    const pending = this.store.pending();
    if (!pending) return undefined;
    let receipt = await this.chain.receipt(pending.txHash);
    if (!receipt) {
      if ((await this.chain.broadcast(pending.raw)) === 'already-used') {
        this.logger.warn(
          { txHash: pending.txHash },
          'the pending anchor’s nonce was used by another transaction',
        );
        this.store.clearPending();
        await this.#reconcile();
        return undefined;
      }
      receipt = await this.chain.waitMined(pending.txHash, this.options.mineTimeoutMs ?? 60_000);
      if (!receipt) throw new CheckpointAnchorerError(`anchor transaction ${pending.txHash} not mined yet`);
    }
    const mined = receipt.status === 1 ? this.chain.minedAnchor(this.#contract, receipt) : undefined;
    if (!mined) {
      this.store.clearPending();
      this.logger.warn({ txHash: pending.txHash }, 'the anchor transaction reverted; reading the contract');
      await this.#reconcile();
      return undefined;
    }
    const record = this.#record(mined, pending.cosignedBy, pending.note);
    this.store.clearPending();
    return record;
  }

  #record(mined: MinedAnchor, cosignedBy: readonly string[], note?: string): AnchorRecord {
    if (note !== undefined && `0x${bytesToHex(sha256(new TextEncoder().encode(note)))}` === mined.noteHash) {
      this.store.saveNote(mined.anchor.checkpoint.size, note);
    }
    const record: AnchorRecord = {
      anchor: mined.anchor,
      noteHash: mined.noteHash,
      cosignedBy: [...cosignedBy],
      from: mined.from,
      gasUsed: mined.gasUsed,
      anchoredAt: new Date().toISOString(),
    };
    this.store.append(record);
    this.logger.info(
      { size: mined.anchor.checkpoint.size, txHash: mined.anchor.txHash, block: mined.anchor.blockNumber },
      'checkpoint anchored',
    );
    return record;
  }

  async #recover(): Promise<void> {
    if (this.store.pending()) await this.#resolvePending();
    await this.#reconcile();
  }

  /** Records the contract's anchors of this origin that the record lacks (sent, mined, never written down). */
  async #reconcile(): Promise<void> {
    const origin = this.source.origin;
    const onChain = await this.chain.latestSize(this.#contract, origin);
    if (onChain === 0 || this.store.covers(origin, onChain)) return;
    const from = this.store.contract()?.deployedAtBlock ?? 0;
    for (const mined of await this.chain.anchoredLogs(this.#contract, origin, from)) {
      if (!this.store.covers(origin, mined.anchor.checkpoint.size)) this.#record(mined, []);
    }
  }

  async #settleContract(): Promise<void> {
    const chainId = this.chain.chainId;
    const configured = this.options.contract;
    if (configured) {
      if (!(await this.chain.hasCode(configured))) {
        throw new CheckpointAnchorerError(
          `LEDGER_ANCHOR_CONTRACT ${configured} has no code on chain ${chainId}`,
        );
      }
      const known = this.store.contract();
      const same = known?.address.toLowerCase() === configured.toLowerCase() && known.chainId === chainId;
      this.store.saveContract({
        chainId,
        address: configured,
        deployedAtBlock: same ? known.deployedAtBlock : null,
        rpcUrl: this.chain.rpcUrl,
      });
      this.#contract = configured;
      return;
    }
    const remembered = this.store.contract();
    if (remembered && remembered.chainId === chainId && (await this.chain.hasCode(remembered.address))) {
      this.store.saveContract({ ...remembered, rpcUrl: this.chain.rpcUrl });
      this.#contract = remembered.address;
      return;
    }
    if (remembered) {
      this.logger.error(
        { remembered },
        'the remembered CheckpointAnchor is not on this chain (a new chain, or its state was lost): deploying a ' +
          'new one; anchors recorded before stay in the record but cannot be found on this chain',
      );
      this.store.clearPending();
    }
    const deployed = await this.chain.deploy();
    this.store.saveContract({
      chainId,
      address: deployed.address,
      deployedAtBlock: deployed.block,
      rpcUrl: this.chain.rpcUrl,
    });
    this.logger.info({ chainId, contract: deployed.address }, 'deployed the CheckpointAnchor contract');
    this.#contract = deployed.address;
  }
}
