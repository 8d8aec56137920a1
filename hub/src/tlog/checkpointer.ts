/**
 * The ledger as a transparency log. The checkpointer follows the ledger's blocks through the ledger port
 * (either engine) and appends each block's header hash to an RFC 6962 tree kept on disk (`file-tree.ts`), in
 * block order (leaf i is block i's 32-byte header hash; its leaf hash H(0x00 || hash), H the log's suite's hash:
 * SHA-256 in `intl`, SM3 in `gm`, whose checkpoints also carry the line `crypto gm` and are signed and cosigned
 * with SM2 keys). After
 * `everyBlocks` blocks, or every `everyMs` while blocks came (its own checkpoint records not counted), it
 * publishes a checkpoint:
 *
 *   sync the tree -> sign the C2SP checkpoint (log key) -> store it (atomic file) -> ask each witness to
 *   cosign (consistency proof from what that witness last cosigned) -> store the cosigned note -> record
 *   the checkpoint on the ledger (checkpoints contract: the block range 0..size-1 and its root)
 *
 * Each checkpoint also commits to the status tree (protocol `tlog/status-tree.ts`) of the revocations in its
 * blocks, as the extension line `status <size> <base64 root>`: before signing, the status source (the chain
 * index, once it has indexed the checkpoint's blocks) gives the revocations, new ones are appended to the
 * status journal (`status-journal.ts`, fsynced), and the tree at that size is what the line names. Witnesses
 * cosign the whole text, extension line included.
 *
 * Nothing here ever signs a tree that is not an extension of the last one: the tree only grows, a restart
 * reopens it and checks its last leaf against the ledger's block (and the last checkpoint's root against the
 * tree) before anything is signed; a mismatch (a replaced ledger, a lost tree) stops the checkpointer with
 * a `TlogMismatchError` instead of publishing a fork.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  addSignatures,
  bytesToHex,
  canonicalize,
  consistencyProof,
  equalBytes,
  formatCheckpoint,
  hexToBytes,
  inclusionPath,
  leafHash,
  type NoteSignature,
  type RegionCode,
  signNote,
  suiteExtensions,
  SUITES,
  type TreeHead,
  formatStatusExtension,
  type StatusEntry,
  type StatusKind,
  type StatusProof,
} from '@approval-ledger/protocol';
import {
  type ConsistencyProofJson,
  type InclusionProofJson,
  type TlogStatus,
} from '@approval-ledger/protocol/api';
import { type Logger } from 'pino';
import { type EventStream, type LedgerBlock, type LedgerPort, type LedgerTransaction } from '../ledger';
import { removeStaleTemps, writeFileAtomic } from './atomic-file';
import { registerNativeEd25519 } from './ed25519-key';
import { FileTree } from './file-tree';
import { StatusJournal } from './status-journal';
import { logIdentity, type SignerIdentity } from './tlog-identity';
import { requestCosignature, type WitnessEndpoint } from './witness-client';

export interface CheckpointerOptions {
  /** The region operating this log: its key signs, its admin identity records checkpoints on the ledger. */
  readonly region: RegionCode;
  /** Publish once this many blocks (other than the log's own checkpoint records) came since the last checkpoint. */
  readonly everyBlocks: number;
  /** Publish this often when blocks other than checkpoint records came. */
  readonly everyMs: number;
  readonly witnesses: readonly WitnessEndpoint[];
  /** Record checkpoints on the ledger (default true). */
  readonly record?: boolean;
  /** Where the revocations come from; without one, checkpoints carry no status line. */
  readonly status?: StatusSource;
  /** The crypto suite of the log (the data directory's artefact suite, `artefact-suite.ts`); default `intl`. */
  readonly suite?: 'intl' | 'gm';
}

/** The revocations in the first `size` blocks (resolves once the source has seen them). */
export interface StatusSource {
  entriesAt(size: number): Promise<readonly StatusEntry[]>;
}

/** A status proof for a key at a checkpoint, with the status commitment it is checked against. */
export interface StatusAnswer {
  readonly checkpoint: { readonly size: number; readonly root: string };
  readonly statusSize: number;
  /** hex root of the status tree */
  readonly statusRoot: string;
  readonly proof: StatusProof;
}

export interface PublishedCheckpoint {
  readonly size: number;
  /** hex root */
  readonly root: string;
  /** The checkpoint signed by the log only. */
  readonly note: string;
  /** The same with every cosignature gathered so far. */
  readonly cosigned: string;
  readonly cosignedBy: readonly string[];
  readonly publishedAt: string;
  readonly recordedInTx: string | null;
  /** Per witness region, the size it last cosigned. */
  readonly witnessSizes: Readonly<Record<string, number>>;
  /** The status tree it commits to (absent on checkpoints published without a status source). */
  readonly status?: { readonly size: number; readonly root: string };
}

/** What `ledger trust export` reads: the log's identity and the ledger it logs. */
export interface LogDescription {
  readonly origin: string;
  readonly vkey: string;
  readonly region: RegionCode;
  readonly genesis: { readonly engine: 'embedded' | 'fabric'; readonly blockHash: string };
  /** The log's suite (its trees, checkpoints and keys), what trust anchors' `crypto` line says. */
  readonly crypto: 'intl' | 'gm';
}

export class TlogMismatchError extends Error {
  override readonly name = 'TlogMismatchError';
}

export class TlogRangeError extends RangeError {
  override readonly name = 'TlogRangeError';
}

const CHECKPOINT_RECORD = 'checkpoints:Record';

export function tlogDir(dataDir: string): string {
  return join(dataDir, 'tlog');
}

export class Checkpointer {
  readonly #ledger: LedgerPort;
  readonly #options: CheckpointerOptions;
  readonly #logger: Logger;
  readonly #dir: string;
  readonly #tree: FileTree;
  readonly #identity: SignerIdentity;
  readonly #journal: StatusJournal;
  #latest: PublishedCheckpoint | undefined;
  #stream: EventStream<LedgerBlock> | undefined;
  #following: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #publishing: Promise<PublishedCheckpoint | undefined> | undefined;
  /** Blocks since the last checkpoint that hold more than checkpoint records. */
  #substantive = 0;
  #waiters: { size: number; resolve: () => void }[] = [];
  #failure: Error | undefined;

  private constructor(
    ledger: LedgerPort,
    dataDir: string,
    options: CheckpointerOptions,
    logger: Logger,
    tree: FileTree,
  ) {
    this.#ledger = ledger;
    this.#options = options;
    this.#logger = logger;
    this.#dir = tlogDir(dataDir);
    this.#tree = tree;
    this.#identity = logIdentity(dataDir, options.region, this.suite);
    this.#journal = StatusJournal.open(join(this.#dir, 'status.jsonl'), tree.digest);
    this.#latest = this.#readLatest();
    // blocks logged after the last checkpoint, before a restart, are not known to be records only
    this.#substantive = tree.size > (this.#latest?.size ?? 0) ? 1 : 0;
  }

  /** Opens the log of `ledger` in `<dataDir>/tlog`, checking that tree, checkpoint and ledger agree. */
  static async open(
    ledger: LedgerPort,
    dataDir: string,
    options: CheckpointerOptions,
    logger: Logger,
  ): Promise<Checkpointer> {
    registerNativeEd25519();
    mkdirSync(tlogDir(dataDir), { recursive: true });
    removeStaleTemps(join(tlogDir(dataDir), 'checkpoint.json'));
    const tree = FileTree.open(join(tlogDir(dataDir), 'tree'), SUITES[options.suite ?? 'intl'].digest);
    try {
      const checkpointer = new Checkpointer(ledger, dataDir, options, logger, tree);
      await checkpointer.#checkAgainstLedger();
      await checkpointer.#describe();
      return checkpointer;
    } catch (error) {
      tree.close();
      throw error;
    }
  }

  get origin(): string {
    return this.#identity.name;
  }

  /** The log's crypto suite. */
  get suite(): 'intl' | 'gm' {
    return this.#options.suite ?? 'intl';
  }

  get vkey(): string {
    return this.#identity.verifier.vkey;
  }

  get treeSize(): number {
    return this.#tree.size;
  }

  latest(): PublishedCheckpoint | undefined {
    return this.#latest;
  }

  /** Follows the ledger from the tree's size and publishes on the configured triggers. */
  start(): void {
    this.#stream = this.#ledger.blockEvents({ startBlock: this.#tree.size });
    this.#following = this.#follow(this.#stream);
    this.#timer = setInterval(() => {
      if (this.#substantive > 0 && this.#tree.size > (this.#latest?.size ?? 0)) void this.publish();
    }, this.#options.everyMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#stream?.close();
    await this.#following;
    await this.#publishing;
    this.#tree.close();
  }

  /** Resolves once the tree holds `size` blocks. */
  waitForSize(size: number): Promise<void> {
    if (this.#tree.size >= size) return Promise.resolve();
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve) => this.#waiters.push({ size, resolve }));
  }

  /** Publishes a checkpoint of the tree now, unless one of this size exists (one publication at a time). */
  publish(): Promise<PublishedCheckpoint | undefined> {
    this.#publishing ??= this.#publishOnce().finally(() => (this.#publishing = undefined));
    return this.#publishing;
  }

  /** The audit path of block `block` in the tree of `size` blocks (default: the latest checkpoint's). */
  async inclusion(block: number, size = this.#latest?.size): Promise<InclusionProofJson> {
    const treeSize = this.#checkedSize(size);
    if (!Number.isSafeInteger(block) || block < 0 || block >= treeSize) {
      throw new TlogRangeError(`block ${block} is not in a tree of ${treeSize} blocks`);
    }
    const { hash } = await this.#ledger.getBlock(block);
    if (!equalBytes(leafHash(hexToBytes(hash), this.#tree.digest), this.#tree.leaf(block))) {
      throw new TlogMismatchError(`the ledger's block ${block} is not the log's leaf ${block}`);
    }
    return {
      origin: this.origin,
      block,
      blockHash: hash,
      treeSize,
      root: bytesToHex(this.#tree.rangeHash(0, treeSize)),
      proof: inclusionPath(this.#tree, block, treeSize).map(bytesToHex),
    };
  }

  /**
   * The status proof of `<kind>/<id>` (with `version`: of that version's supersession, `<kind>@<version>/<id>`)
   * at the checkpoint of size `checkpoint` (default: the latest). Any size a checkpoint was published at is
   * answered from the journal exactly as that checkpoint committed to it.
   */
  statusProof(kind: StatusKind, id: string, checkpoint = this.#latest?.size, version?: number): StatusAnswer {
    const size = this.#checkedSize(checkpoint);
    if (!this.#latest?.status || size > this.#latest.size) {
      throw new TlogRangeError(`no checkpoint with a status commitment covers size ${size}`);
    }
    const tree = this.#journal.treeAt(size);
    return {
      checkpoint: { size, root: bytesToHex(this.#tree.rangeHash(0, size)) },
      statusSize: tree.size,
      statusRoot: bytesToHex(tree.root()),
      proof: tree.prove(kind, id, version),
    };
  }

  consistency(from: number, to = this.#latest?.size): ConsistencyProofJson {
    const toSize = this.#checkedSize(to);
    if (from > toSize) throw new TlogRangeError(`from ${from} is above to ${toSize}`);
    return {
      origin: this.origin,
      from,
      to: toSize,
      fromRoot: bytesToHex(this.#tree.rangeHash(0, from)),
      toRoot: bytesToHex(this.#tree.rangeHash(0, toSize)),
      proof: consistencyProof(this.#tree, from, toSize).map(bytesToHex),
    };
  }

  status(): TlogStatus {
    const latest = this.#latest;
    return {
      origin: this.origin,
      logKey: this.vkey,
      treeSize: this.#tree.size,
      checkpoint: latest
        ? {
            size: latest.size,
            root: latest.root,
            publishedAt: latest.publishedAt,
            cosignedBy: [...latest.cosignedBy],
            recordedInTx: latest.recordedInTx,
          }
        : null,
      witnesses: this.#options.witnesses.map((w) => ({
        region: w.region,
        name: w.key.name,
        url: w.url,
        vkey: w.key.vkey,
      })),
    };
  }

  #checkedSize(size: number | undefined): number {
    if (size === undefined) throw new TlogRangeError('no checkpoint is published yet: give a size');
    if (size < 1 || size > this.#tree.size) {
      throw new TlogRangeError(`size ${size} is not 1..${this.#tree.size} (the tree's size)`);
    }
    return size;
  }

  async #follow(stream: EventStream<LedgerBlock>): Promise<void> {
    try {
      for await (const block of stream) this.#add(block);
    } catch (error) {
      this.#failure = error as Error;
      this.#logger.error({ err: error }, 'the transparency log stopped following the ledger');
    }
  }

  #add(block: LedgerBlock): void {
    if (block.number < this.#tree.size) return;
    if (block.number > this.#tree.size) {
      throw new TlogMismatchError(`block ${block.number} came while the tree expects ${this.#tree.size}`);
    }
    this.#tree.append([leafHash(hexToBytes(block.hash), this.#tree.digest)]);
    if (!block.transactions.every((tx) => this.#isOwnRecord(tx))) this.#substantive++;
    this.#waiters = this.#waiters.filter((w) => (w.size <= this.#tree.size ? (w.resolve(), false) : true));
    // the log's own checkpoint records do not count, or each checkpoint would call for the next
    if (this.#substantive >= this.#options.everyBlocks) void this.publish();
  }

  /** A transaction recording one of this log's checkpoints (its id is `tlog-<key hash>-<size>`). */
  #isOwnRecord(tx: LedgerTransaction): boolean {
    return tx.function === CHECKPOINT_RECORD && (tx.args[0] ?? '').includes(`"id":"${this.#recordId('')}`);
  }

  #recordId(size: number | ''): string {
    return `tlog-${this.origin.split('/').pop()}-${size}`;
  }

  async #publishOnce(): Promise<PublishedCheckpoint | undefined> {
    const size = this.#tree.size;
    const previous = this.#latest;
    if (size === 0 || (previous && previous.size >= size)) return previous;
    try {
      this.#tree.sync();
      const root = this.#tree.rangeHash(0, size);
      const status = await this.#statusAt(size);
      const note = signNote(formatCheckpoint(this.#head(size, root, status)), [this.#identity.signer]);
      this.#substantive = 0;
      let published: PublishedCheckpoint = {
        size,
        root: bytesToHex(root),
        note,
        cosigned: note,
        cosignedBy: [],
        publishedAt: new Date().toISOString(),
        recordedInTx: null,
        witnessSizes: previous?.witnessSizes ?? {},
        ...(status ? { status } : {}),
      };
      this.#store(published);
      published = await this.#cosign(published);
      this.#store(published);
      if (this.#options.record ?? true) published = await this.#record(published);
      this.#store(published);
      return published;
    } catch (error) {
      this.#logger.error({ err: error, size }, 'could not publish a checkpoint');
      return this.#latest;
    }
  }

  async #cosign(published: PublishedCheckpoint): Promise<PublishedCheckpoint> {
    const text = formatCheckpoint(this.#head(published.size, hexToBytes(published.root), published.status));
    const results = await Promise.allSettled(
      this.#options.witnesses.map((w) =>
        requestCosignature(
          w,
          published.note,
          text,
          published.size,
          this.#tree,
          published.witnessSizes[w.region] ?? 0,
        ),
      ),
    );
    const signatures: NoteSignature[] = [];
    const cosignedBy: string[] = [];
    const witnessSizes = { ...published.witnessSizes };
    results.forEach((result, i) => {
      const witness = this.#options.witnesses[i]!;
      if (result.status === 'fulfilled') {
        signatures.push(result.value.signature);
        cosignedBy.push(witness.key.name);
        witnessSizes[witness.region] = result.value.size;
      } else {
        this.#logger.warn({ err: result.reason, witness: witness.key.name }, 'a witness did not cosign');
      }
    });
    return { ...published, cosigned: addSignatures(published.note, signatures), cosignedBy, witnessSizes };
  }

  /** The tree head of a checkpoint, with its status line when it commits to a status tree. */
  #head(size: number, root: Uint8Array, status: PublishedCheckpoint['status']): TreeHead {
    const extensions = [
      ...suiteExtensions(this.suite),
      ...(status ? [formatStatusExtension(status.size, hexToBytes(status.root))] : []),
    ];
    return { origin: this.origin, size, root, ...(extensions.length ? { extensions } : {}) };
  }

  /** Journals the revocations of the first `size` blocks and returns the status tree's size and root. */
  async #statusAt(size: number): Promise<PublishedCheckpoint['status']> {
    if (!this.#options.status) return undefined;
    this.#journal.record(size, await this.#options.status.entriesAt(size));
    const tree = this.#journal.treeAt(size);
    return { size: tree.size, root: bytesToHex(tree.root()) };
  }

  async #record(published: PublishedCheckpoint): Promise<PublishedCheckpoint> {
    const checkpoint = {
      id: this.#recordId(published.size),
      kind: 'blocks',
      region: this.#options.region,
      fromBlock: 0,
      toBlock: published.size - 1,
      size: published.size,
      root: published.root,
      createdAt: published.publishedAt,
    };
    try {
      const tx = await this.#ledger.submit(
        { region: this.#options.region, role: 'admin' },
        CHECKPOINT_RECORD,
        [canonicalize(checkpoint)],
      );
      return { ...published, recordedInTx: tx.txId };
    } catch (error) {
      this.#logger.warn(
        { err: error, size: published.size },
        'could not record the checkpoint on the ledger',
      );
      return published;
    }
  }

  #store(published: PublishedCheckpoint): void {
    writeFileAtomic(join(this.#dir, 'checkpoint.json'), `${JSON.stringify(published, null, 2)}\n`);
    this.#latest = published;
  }

  #readLatest(): PublishedCheckpoint | undefined {
    const path = join(this.#dir, 'checkpoint.json');
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as PublishedCheckpoint) : undefined;
  }

  async #checkAgainstLedger(): Promise<void> {
    const size = this.#tree.size;
    const height = await this.#ledger.height();
    if (size > height) {
      throw new TlogMismatchError(
        `the log's tree holds ${size} blocks but the ledger only ${height}: not this ledger`,
      );
    }
    if (size > 0) {
      const block = await this.#ledger.getBlock(size - 1);
      if (!equalBytes(leafHash(hexToBytes(block.hash), this.#tree.digest), this.#tree.leaf(size - 1))) {
        throw new TlogMismatchError(
          `the log's leaf ${size - 1} is not the ledger's block ${size - 1} (${block.hash}): the ledger was replaced`,
        );
      }
    }
    const latest = this.#latest;
    if (latest && (latest.size > size || bytesToHex(this.#tree.rangeHash(0, latest.size)) !== latest.root)) {
      throw new TlogMismatchError(
        `the published checkpoint of size ${latest.size} is not a prefix of the log's tree (${size} blocks)`,
      );
    }
    if (latest?.status && bytesToHex(this.#journal.treeAt(latest.size).root()) !== latest.status.root) {
      throw new TlogMismatchError(
        `the status journal does not rebuild the status root of the checkpoint of size ${latest.size}`,
      );
    }
  }

  async #describe(): Promise<void> {
    const genesis = await this.#ledger.getBlock(0);
    const description: LogDescription = {
      origin: this.origin,
      vkey: this.vkey,
      region: this.#options.region,
      genesis: { engine: this.#ledger.engine, blockHash: genesis.hash },
      crypto: this.suite,
    };
    writeFileAtomic(join(this.#dir, 'log.json'), `${JSON.stringify(description, null, 2)}\n`);
  }
}
