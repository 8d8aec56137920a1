/**
 * Builds proof bundles (see hub/README.md "Proof bundles") from the ledger's blocks, read through the port.
 *
 * - Embedded blocks (`approval-ledger/proof@1`): the genesis block with the channel configuration (the trust
 *   anchors), the crypto suite block 0 names (`ledger.suite`, written only when not `intl`; Merkle paths and
 *   hashes are the suite's: SM3 for `gm`), the anchoring transaction's envelope and its RFC 6962 path to the
 *   block's data hash, the
 *   revocation's when there is one (a certificate's revocation, or the REVOKED milestone that revokes a
 *   milestone), and the signed headers that chain them.
 * - Fabric blocks (`approval-ledger/fabric-proof@1`, built by protocol's `buildFabricProofBundle`): the
 *   channel's configuration blocks from block 0 to the one in force, the anchoring block whole (Fabric's data
 *   hash covers all its envelopes), the revocation's block, and the later blocks' signed headers.
 *
 * A record whose bundle cannot be built from what the engine gives is an {@link UnsupportedProofError}, which
 * the API answers with a `proof-unavailable` problem (422), never a 5xx.
 */
import {
  type AnyProofBundle,
  buildFabricProofBundle,
  decodeFabricBlock,
  type FabricProofBundle,
  bytesToBase64,
  bytesToHex,
  EMBEDDED_BLOCK_FORMAT,
  FABRIC_PROOF_BUNDLE_FORMAT,
  leafHash,
  nodeHash,
  PROOF_BUNDLE_FORMAT,
  type ProofBundle,
  type ProofRecordKind,
  type ProofStatus,
  type SignedHeader,
  SUITES,
  type SuiteAlgorithms,
  suiteOfConfig,
  type ConfigTransactionJson,
  type TransactionProof,
  versionOf,
} from '@approval-ledger/protocol';
import { type LedgerBlock, type LedgerPort } from '../ledger';

export interface BundleRequest {
  readonly kind: ProofRecordKind;
  readonly id: string;
  /** The anchor exactly as submitted (from the transaction's arguments). */
  readonly anchor: Record<string, unknown>;
  readonly txId: string;
  /** A certificate's revocation, or the transaction that recorded the REVOKED milestone revoking a milestone. */
  readonly revocationTxId?: string;
  /** For a holder: the full record and its salt. */
  readonly opening?: { readonly record: Record<string, unknown>; readonly salt: string };
  readonly query?: string;
  readonly status: ProofStatus;
  readonly tampered?: boolean;
  /** The proved version is the latest of its key (corrections, 更正); default true. */
  readonly latest?: boolean;
  /** Extend the header chain to this block (e.g. the head), beyond the blocks the proof needs. */
  readonly chainTo?: number;
}

/** No proof bundle can be built from what the ledger engine gives for this record (the message says why). */
export class UnsupportedProofError extends Error {
  override readonly name = 'UnsupportedProofError';
}

interface BlockProofData {
  readonly header: SignedHeader;
  /** Merkle tree levels over the transaction envelopes, leaves first. */
  readonly levels: Uint8Array[][];
  readonly envelopes: string[];
  readonly txIndex: ReadonlyMap<string, number>;
  readonly validation: ReadonlyMap<string, string>;
}

const CACHED_BLOCKS = 32;

export class ProofBundleBuilder {
  readonly #blocks = new Map<number, Promise<BlockProofData>>();
  #genesis: Promise<ProofBundle['ledger']['genesis']> | undefined;
  #format: Promise<AnyProofBundle['format']> | undefined;
  #suite: Promise<SuiteAlgorithms> | undefined;

  constructor(
    private readonly ledger: LedgerPort,
    /** The suite of the hub's commitments (named by a bundle as `record.suite` when not `intl`). */
    private readonly artefactSuite: 'intl' | 'gm' = 'intl',
  ) {}

  /** Block 0's header hash: the ledger's identity, which a verifier pins. */
  async genesisHash(): Promise<string> {
    return (await this.ledger.getBlock(0)).hash;
  }

  /** The crypto suite of this ledger: block 0's (an embedded `gm` chain: SM3 / SM2), `intl` for Fabric. */
  suite(): Promise<SuiteAlgorithms> {
    this.#suite ??= this.ledger.getBlock(0).then(
      (b) => {
        if (b.dataHashScheme !== 'rfc6962') return SUITES.intl;
        const genesis = JSON.parse(
          Buffer.from(b.transactions[0]!.envelope).toString('utf8'),
        ) as ConfigTransactionJson;
        return suiteOfConfig(genesis.config);
      },
      (error: unknown) => {
        this.#suite = undefined;
        throw error;
      },
    );
    return this.#suite;
  }

  /** The bundle format of this ledger's engine (Fabric when block 0 is a Fabric block). */
  format(): Promise<AnyProofBundle['format']> {
    this.#format ??= this.ledger.getBlock(0).then(
      (b) => (b.dataHashScheme === 'fabric' ? FABRIC_PROOF_BUNDLE_FORMAT : PROOF_BUNDLE_FORMAT),
      (error: unknown) => {
        this.#format = undefined;
        throw error;
      },
    );
    return this.#format;
  }

  async build(request: BundleRequest): Promise<AnyProofBundle> {
    const tx = await this.ledger.getTransaction(request.txId);
    const block = await this.ledger.getBlock(tx.blockNumber);
    if (block.dataHashScheme === 'fabric') return this.#fabric(request, block);
    return this.#embedded(request);
  }

  async #embedded(request: BundleRequest): Promise<ProofBundle> {
    const anchored = await this.#transactionProof(request.txId);
    const revocation = request.revocationTxId
      ? await this.#transactionProof(request.revocationTxId)
      : undefined;
    const [first, last] = chainRange(anchored, revocation, request.chainTo);
    const suite = (await this.suite()).name;
    return {
      format: PROOF_BUNDLE_FORMAT,
      createdAt: new Date().toISOString(),
      ledger: {
        blockFormat: EMBEDDED_BLOCK_FORMAT,
        ...(suite === 'intl' ? {} : { suite }),
        genesis: await this.#genesisOf(),
      },
      ...(request.query ? { query: { sha256: request.query } } : {}),
      record: recordOf(request, this.artefactSuite),
      transaction: anchored,
      ...(revocation ? { revocation: { transaction: revocation } } : {}),
      chain: await this.#chain(first, last),
      statement: await this.#statement(request),
    };
  }

  async #fabric(request: BundleRequest, anchoring: LedgerBlock): Promise<FabricProofBundle> {
    const revocation = request.revocationTxId
      ? { txId: request.revocationTxId, block: await this.#blockOf(request.revocationTxId) }
      : undefined;
    const last = Math.max(anchoring.number, revocation?.block.number ?? 0, request.chainTo ?? 0);
    const chain: Uint8Array[] = [];
    for (let n = anchoring.number + 1; n <= last; n++) chain.push(rawOf(await this.ledger.getBlock(n)));
    const raw = rawOf(anchoring);
    // every configuration a block of the bundle is under, up to the newest one any of them names
    const blocks = [raw, ...chain, ...(revocation ? [rawOf(revocation.block)] : [])];
    const configBlocks = await this.#configBlocks(
      Math.max(...blocks.map((b) => fabricBlock(b).signatures.lastConfigIndex)),
    );
    try {
      return buildFabricProofBundle({
        configBlocks,
        transaction: { txId: request.txId, block: raw },
        ...(revocation ? { revocation: { txId: revocation.txId, block: rawOf(revocation.block) } } : {}),
        chain,
        record: recordOf(request, this.artefactSuite),
        ...(request.query ? { query: request.query } : {}),
        statement: await this.#statement(request),
      });
    } catch (error) {
      throw new UnsupportedProofError(
        `the Fabric proof bundle of ${request.kind} ${request.id} could not be built: ${errorText(error)}`,
      );
    }
  }

  async #blockOf(txId: string): Promise<LedgerBlock> {
    return this.ledger.getBlock((await this.ledger.getTransaction(txId)).blockNumber);
  }

  /**
   * Block 0 and every later configuration block up to `lastConfig`: each configuration block's predecessor
   * block names (in its LAST_CONFIG) the configuration block before it.
   */
  async #configBlocks(lastConfig: number): Promise<Uint8Array[]> {
    const numbers: number[] = [];
    for (let n = lastConfig; n > 0;) {
      numbers.unshift(n);
      const before = fabricBlock(rawOf(await this.ledger.getBlock(n - 1))).signatures.lastConfigIndex;
      if (before >= n) {
        throw new UnsupportedProofError(
          `block ${n - 1} names configuration block ${before}, not an earlier one`,
        );
      }
      n = before;
    }
    return Promise.all([0, ...numbers].map(async (n) => rawOf(await this.ledger.getBlock(n))));
  }

  async #statement(request: BundleRequest): Promise<NonNullable<ProofBundle['statement']>> {
    return {
      status: request.status,
      ...(request.tampered === undefined ? {} : { tampered: request.tampered }),
      headBlock: (await this.ledger.height()) - 1,
      version: versionOf(request.anchor),
      latest: request.latest ?? true,
    };
  }

  async #transactionProof(txId: string): Promise<TransactionProof> {
    const tx = await this.ledger.getTransaction(txId);
    const block = await this.#block(tx.blockNumber);
    const index = block.txIndex.get(txId) ?? tx.txIndex;
    return {
      txId,
      blockNumber: tx.blockNumber,
      txIndex: index,
      validationCode: block.validation.get(txId) ?? tx.validationCode,
      envelope: block.envelopes[index] as string,
      inclusion: { treeSize: block.envelopes.length, path: auditPath(block.levels, index).map(bytesToHex) },
    };
  }

  async #chain(from: number, to: number): Promise<SignedHeader[]> {
    const headers: SignedHeader[] = [];
    for (let n = from; n <= to; n++) headers.push((await this.#block(n)).header);
    return headers;
  }

  #genesisOf(): Promise<ProofBundle['ledger']['genesis']> {
    this.#genesis ??= this.#block(0).then((b) => ({
      header: b.header,
      configEnvelope: b.envelopes[0] as string,
    }));
    return this.#genesis;
  }

  #block(number: number): Promise<BlockProofData> {
    let cached = this.#blocks.get(number);
    if (!cached) {
      cached = this.suite().then(async (suite) => blockProofData(await this.ledger.getBlock(number), suite));
      cached.catch(() => this.#blocks.delete(number));
      if (this.#blocks.size >= CACHED_BLOCKS) this.#blocks.delete(this.#blocks.keys().next().value as number);
      this.#blocks.set(number, cached);
    }
    return cached;
  }
}

/**
 * The blocks the header chain spans: from the earlier of the anchoring and revocation blocks (a REVOKED
 * milestone can be recorded before the milestone it revokes: decision times, not block order, decide) to the
 * later one, or `chainTo`.
 */
function chainRange(
  anchored: TransactionProof,
  revocation: TransactionProof | undefined,
  chainTo = 0,
): [number, number] {
  const blocks = [anchored.blockNumber, ...(revocation ? [revocation.blockNumber] : [])];
  return [Math.min(...blocks), Math.max(...blocks, chainTo)];
}

function recordOf(request: BundleRequest, suite: 'intl' | 'gm'): ProofBundle['record'] {
  return {
    kind: request.kind,
    id: request.id,
    anchor: request.anchor,
    ...(request.opening ? { opening: request.opening } : {}),
    ...(suite === 'intl' ? {} : { suite }),
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A Fabric block's original bytes; an engine that does not keep them cannot give a Fabric proof. */
function rawOf(block: LedgerBlock): Uint8Array {
  if (!block.raw) {
    throw new UnsupportedProofError(
      `block ${block.number} came without its original Fabric bytes, which a Fabric proof bundle carries`,
    );
  }
  return block.raw;
}

function fabricBlock(raw: Uint8Array): ReturnType<typeof decodeFabricBlock> {
  try {
    return decodeFabricBlock(raw);
  } catch (error) {
    throw new UnsupportedProofError(`a Fabric block could not be read: ${errorText(error)}`);
  }
}

function blockProofData(block: LedgerBlock, suite: SuiteAlgorithms): BlockProofData {
  if (block.dataHashScheme !== 'rfc6962') {
    throw new UnsupportedProofError(
      `block ${block.number} uses the ${block.dataHashScheme} data hash; proof bundles need the embedded ledger's RFC 6962 blocks`,
    );
  }
  const orderer = block.signatures[0];
  if (!orderer) throw new UnsupportedProofError(`block ${block.number} carries no orderer signature`);
  const envelopes = block.transactions.map((t) => Buffer.from(t.envelope).toString('utf8'));
  return {
    header: {
      number: block.number,
      previousHash: block.previousHash,
      dataHash: block.dataHash,
      signature: bytesToBase64(orderer.signature),
    },
    levels: merkleLevels(
      block.transactions.map((t) => t.envelope),
      suite,
    ),
    envelopes,
    txIndex: new Map(block.transactions.map((t, i) => [t.txId, i])),
    validation: new Map(block.transactions.map((t) => [t.txId, t.validationCode])),
  };
}

/**
 * RFC 6962 tree levels, built bottom-up as protocol's merkleRoot builds them (odd last node moves up), with the
 * chain's suite's hash.
 */
export function merkleLevels(
  leaves: readonly Uint8Array[],
  suite: SuiteAlgorithms = SUITES.intl,
): Uint8Array[][] {
  const levels: Uint8Array[][] = [leaves.map((leaf) => leafHash(leaf, suite.digest))];
  for (let level = levels[0] as Uint8Array[]; level.length > 1;) {
    const parents: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2)
      parents.push(nodeHash(level[i] as Uint8Array, level[i + 1] as Uint8Array, suite.digest));
    if (level.length % 2 === 1) parents.push(level[level.length - 1] as Uint8Array);
    levels.push(parents);
    level = parents;
  }
  return levels;
}

/** The sibling hashes from leaf `index` up (the same path as protocol's inclusionProof). */
export function auditPath(levels: readonly Uint8Array[][], index: number): Uint8Array[] {
  const path: Uint8Array[] = [];
  let position = index;
  for (const level of levels.slice(0, -1)) {
    const sibling = level[position ^ 1];
    if (sibling) path.push(sibling);
    position >>= 1;
  }
  return path;
}
