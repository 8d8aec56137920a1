/**
 * The ledger port: what the hub needs from a ledger, whichever engine sits behind it (the embedded engine in
 * `embedded/`, Hyperledger Fabric in `fabric/`). Both run the same chaincode and give the same answers; the
 * conformance suite (`hub/test/ledger-conformance.test.ts`) holds them to it.
 *
 * Errors are classes carrying data (see `errors/`): a chaincode refusal is a `ChaincodeError` subclass with its
 * stable code, a transaction that was ordered but invalidated is a `TransactionInvalidError` with its
 * validation code, an unknown block or transaction is a `BlockNotFoundError` / `TransactionNotFoundError`.
 */
import { type DepartmentCode, type RegionCode, type Role } from '@approval-ledger/protocol';
import { type LedgerScope, type NamespaceMode } from './namespace-mode';
import { type ValidationCode } from '@approval-ledger/protocol';

/** Who submits: a client identity of one region's organisation, with its role and department attributes. */
export interface LedgerIdentity {
  readonly region: RegionCode;
  readonly role: Role;
  readonly dept?: DepartmentCode;
  /** A named user; without it the region's shared identity for this role and department is used. */
  readonly user?: string;
}

/** Where a call goes (see `namespace-mode.ts`). */
export interface ScopeOptions {
  /**
   * The records the call is about: a region's (its namespace of the plan) or a recognition pair's. Default: the
   * identity's region. Ignored in the legacy mode (one namespace for all).
   */
  readonly scope?: LedgerScope;
}

export interface SubmitOptions extends ScopeOptions {
  /**
   * The organisations (MSP IDs) asked to endorse, like Fabric Gateway's `endorsingOrganizations`. Default: the
   * organisations the chaincode namespace's definition names (a region's namespace: its organisation; a
   * recognition pair: both), outside the namespace plan the creator's organisation, plus every organisation a
   * key-level endorsement policy of a written key names. Naming others is how a test forges: the commit then
   * fails with ENDORSEMENT_POLICY_FAILURE where the namespace's policy is not met.
   */
  readonly endorsingOrganizations?: readonly string[];
  /**
   * How many times a transaction invalidated with MVCC_READ_CONFLICT, PHANTOM_READ_CONFLICT or
   * ENDORSEMENT_POLICY_FAILURE (see `conflict-retry.ts`) is endorsed and submitted again (a new transaction id
   * each time). Default 3; 0 reports the first conflict.
   */
  readonly conflictRetries?: number;
}

/** One chaincode event, delivered only for valid transactions (as Fabric delivers them). */
export interface LedgerChaincodeEvent {
  readonly blockNumber: number;
  readonly txId: string;
  readonly chaincodeName: string;
  readonly eventName: string;
  readonly payload: Uint8Array;
}

/** A committed, valid transaction: what a successful submit returns. */
export interface CommittedTransaction {
  readonly txId: string;
  readonly blockNumber: number;
  readonly validationCode: 'VALID';
  /** The chaincode's response payload (the transaction function's return value, JSON-serialised). */
  readonly result: Uint8Array;
  readonly event?: LedgerChaincodeEvent;
  /** How many earlier attempts were invalidated by a read conflict and retried. */
  readonly retries: number;
}

/** A signature by an organisation's node over ledger data (an endorsement, an orderer's block signature). */
export interface LedgerSignature {
  readonly mspId: string;
  /** PEM X.509 certificate of the signer. */
  readonly certificate: string;
  /** ECDSA P-256 / SHA-256 signature, DER-encoded with low S (as Fabric signs). */
  readonly signature: Uint8Array;
  /**
   * A Fabric block (orderer) signature only: the bytes signed before the block header, `Metadata.value ‖
   * MetadataSignature.signature_header` of the block's SIGNATURES metadata, so that the signed message is
   * `signedPrefix ‖ BlockHeaderBytes(header)` (ASN.1 DER header, as Fabric's `BlockSignatureVerifier` checks
   * it). Absent for endorsements and for the embedded engine, whose orderer signs the canonical header text.
   */
  readonly signedPrefix?: Uint8Array;
}

export interface LedgerTransaction {
  readonly txId: string;
  readonly blockNumber: number;
  /** Position in the block: the Merkle leaf index of `envelope` (embedded) or its index in the block data. */
  readonly txIndex: number;
  readonly validationCode: ValidationCode;
  /** The proposal's timestamp, ISO 8601 UTC with nanoseconds as given (`getTxTimestamp()` in the chaincode). */
  readonly timestamp: string;
  /** `config` for a channel configuration transaction (block 0), else `endorser`. */
  readonly type: 'config' | 'endorser';
  readonly creator?: { readonly mspId: string; readonly certificate: string };
  readonly chaincodeName?: string;
  /** `contract:Transaction`, as invoked. */
  readonly function?: string;
  readonly args: readonly string[];
  readonly endorsements: readonly LedgerSignature[];
  readonly event?: { readonly eventName: string; readonly payload: Uint8Array };
  /** The exact bytes of the transaction envelope, as hashed into the block's data hash. */
  readonly envelope: Uint8Array;
}

export interface LedgerBlock {
  readonly number: number;
  /** Hex SHA-256 of the block header (embedded: of its canonical JSON; Fabric: of its ASN.1 DER form). */
  readonly hash: string;
  readonly previousHash: string;
  readonly dataHash: string;
  /**
   * How `dataHash` is computed over the envelopes: `rfc6962` (embedded: RFC 6962 Merkle root of the envelopes)
   * or `fabric` (SHA-256 of the concatenated envelopes).
   */
  readonly dataHashScheme: 'rfc6962' | 'fabric';
  readonly signatures: readonly LedgerSignature[];
  readonly transactions: readonly LedgerTransaction[];
  /**
   * Fabric: the block exactly as the peer returned it (a serialized `common.Block`, from qscc or deliver), so
   * proofs and `ledger verify-chain` check Fabric's own bytes (metadata included). Absent for embedded blocks.
   */
  readonly raw?: Uint8Array;
}

/** A resume point for event streams, with Fabric Gateway's semantics. */
export interface LedgerCheckpoint {
  /** The block to resume from; undefined when nothing was checkpointed yet. */
  readonly blockNumber: number | undefined;
  /** The last transaction processed in that block: events up to and including it are not delivered again. */
  readonly transactionId: string | undefined;
}

/** Records progress; a consumer calls it after it has processed an event, so a restart resumes after it. */
export interface LedgerCheckpointer extends LedgerCheckpoint {
  checkpointBlock(blockNumber: number): Promise<void>;
  checkpointTransaction(blockNumber: number, transactionId: string): Promise<void>;
  checkpointChaincodeEvent(event: LedgerChaincodeEvent): Promise<void>;
}

export interface EventOptions {
  /** The first block to deliver; ignored when `checkpoint` names a block. Default: the next block committed. */
  readonly startBlock?: number;
  readonly checkpoint?: LedgerCheckpoint;
}

/** An endless stream of events; `close()` ends it (a pending `next()` then completes with `done`). */
export interface EventStream<T> extends AsyncIterable<T> {
  close(): void;
}

export interface LedgerPort {
  /** Which engine this is: `embedded` or `fabric`. */
  readonly engine: 'embedded' | 'fabric';
  /** The namespace mode the ledger was created with (embedded: at genesis; Fabric: as configured). */
  readonly namespaceMode: NamespaceMode;
  /**
   * Endorses, orders and commits one transaction as `identity` and waits for its block. Resolves only for a
   * valid transaction; throws a `ChaincodeError` subclass when the chaincode refuses it, or a
   * `TransactionInvalidError` (with the validation code) when it was ordered but invalidated at commit.
   */
  submit(
    identity: LedgerIdentity,
    fn: string,
    args: readonly string[],
    options?: SubmitOptions,
  ): Promise<CommittedTransaction>;
  /** Runs a transaction function as a query on one peer: nothing is ordered. */
  evaluate(
    identity: LedgerIdentity,
    fn: string,
    args: readonly string[],
    options?: ScopeOptions,
  ): Promise<Uint8Array>;
  /** Number of blocks: the next block's number. */
  height(): Promise<number>;
  getBlock(blockNumber: number): Promise<LedgerBlock>;
  getTransaction(txId: string): Promise<LedgerTransaction>;
  /** Blocks `from` to `to` inclusive (default: the last committed block), in order. */
  blocks(from: number, to?: number): AsyncIterable<LedgerBlock>;
  /** Blocks as they are committed, from `startBlock` or the checkpoint (catching up first). */
  blockEvents(options?: EventOptions): EventStream<LedgerBlock>;
  /**
   * Chaincode events of valid transactions of every namespace of the mode, in block order, as they are
   * committed, from `startBlock` or the checkpoint (one stream, one checkpoint).
   */
  chaincodeEvents(options?: EventOptions): EventStream<LedgerChaincodeEvent>;
  /**
   * A checkpointer kept in the data directory under `name` (`<dataDir>/ledger/checkpoints/<engine>-<name>.json`):
   * pass it to an event stream and call it after each event processed, and a restarted consumer resumes there.
   */
  checkpointer(name: string): Promise<LedgerCheckpointer>;
  /** Stops accepting work, finishes what is in flight, releases resources. */
  close(): Promise<void>;
}

/** The JSON a transaction function returned, parsed (an empty result is `undefined`). */
export function parseResult<T = unknown>(result: Uint8Array): T | undefined {
  if (result.length === 0) return undefined;
  return JSON.parse(Buffer.from(result).toString('utf8')) as T;
}
