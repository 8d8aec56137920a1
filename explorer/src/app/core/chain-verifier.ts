/**
 * What the explorer checks itself, in the browser, before it shows a check mark. Pages depend on this
 * interface only; today's implementation is `WebCryptoChainVerifier`: proof bundles with the protocol
 * package's `verifyProofBundle`; blocks and transactions with WebCrypto ECDSA and the protocol's canonical
 * JSON, SHA-256 and RFC 6962 Merkle functions. When the protocol package exports block and endorsement
 * verifiers too, an implementation over them replaces it through the `CHAIN_VERIFIER` token
 * (`chain-verifier.token.ts`) without touching a page.
 */
import { type ProofVerdict } from '@approval-ledger/protocol';
import {
  type BlockHeaderJson,
  type BlockJson,
  type ProofBundle,
  type BlockTransactionJson,
} from '@approval-ledger/protocol/api';

/**
 * `verified`: re-computed here and equal; `failed`: re-computed here and different; `unchecked`: could not be
 * done here (the reason says why); `not-applicable`: there is nothing to check (a configuration transaction
 * has no creator signature).
 */
export type CheckStatus = 'verified' | 'failed' | 'unchecked' | 'not-applicable';

export interface Check {
  readonly status: CheckStatus;
  /** Why it failed or was not checked, in English (shown as detail). */
  readonly detail?: string;
}

/** The organisations' trust anchors, taken from the channel configuration in block 0 (or a proof bundle). */
export interface ChannelTrust {
  /** CA certificate (PEM) by MSP ID of every organisation, the orderer's included. */
  readonly caByMspId: ReadonlyMap<string, string>;
  /**
   * Every CA certificate (PEM) of an organisation, when its MSP has more than the one in `caByMspId`: a Fabric
   * channel configuration lists each MSP's root CAs and intermediate CAs.
   */
  readonly casByMspId?: ReadonlyMap<string, OrganisationCas>;
  readonly ordererMspId: string;
  /**
   * Every orderer organisation (a Fabric channel configuration's `Orderer` group may list several); without
   * it, `ordererMspId` is the only one.
   */
  readonly ordererMspIds?: readonly string[];
}

export interface OrganisationCas {
  readonly roots: readonly string[];
  readonly intermediates: readonly string[];
}

export interface EndorsementCheck {
  readonly mspId: string;
  readonly certificate: string;
  readonly check: Check;
}

export interface WriteSummary {
  readonly key: string;
  readonly isDelete: boolean;
  /** The written value as text (state values are canonical JSON), shortened. */
  readonly preview: string;
}

export interface TransactionCheck {
  readonly txId: string;
  /** The envelope parses, is in canonical form and agrees with the summary fields. */
  readonly envelope: Check;
  readonly txIdCheck: Check;
  readonly creatorSignature: Check;
  readonly endorsements: readonly EndorsementCheck[];
  readonly writes: readonly WriteSummary[];
  /** All of the above verified. */
  readonly ok: boolean;
}

export interface BlockCheck {
  readonly number: number;
  readonly headerHash: Check;
  readonly dataHash: Check;
  readonly previousLink: Check;
  readonly ordererSignature: Check;
  readonly transactions: readonly TransactionCheck[];
  readonly ok: boolean;
}

export interface ChainVerifier {
  /** The trust anchors in block 0's channel configuration; undefined when block 0 carries none. */
  channelTrust(genesis: BlockJson): ChannelTrust | undefined;
  /** The header hash a block header has (by the block's data hash scheme). */
  headerHash(header: BlockHeaderJson, scheme: BlockJson['dataHashScheme']): string;
  /** Header hash, data hash, link to `previous` (its header), orderer signature, and every transaction. */
  verifyBlock(
    block: BlockJson,
    context: { readonly trust?: ChannelTrust; readonly previous?: BlockHeaderJson },
  ): Promise<BlockCheck>;
  verifyTransaction(tx: BlockTransactionJson, trust: ChannelTrust | undefined): Promise<TransactionCheck>;
  /**
   * Checks an `approval-ledger/proof@1` bundle offline, trusting only what is inside it, and that it is a
   * proof for the hash `sha256` that was asked about (its record's commitment or a document digest).
   */
  verifyProofBundle(bundle: ProofBundle, sha256: string): ProofVerdict;
}

export const VERIFIED: Check = { status: 'verified' };
export const NOT_APPLICABLE: Check = { status: 'not-applicable' };

/** Verified, or nothing to verify. */
export function passed(check: Check): boolean {
  return check.status === 'verified' || check.status === 'not-applicable';
}

export function failed(detail: string): Check {
  return { status: 'failed', detail };
}

export function unchecked(detail: string): Check {
  return { status: 'unchecked', detail };
}

/** The weakest of several checks: failed beats unchecked beats verified. */
export function combineChecks(checks: readonly Check[]): Check {
  return (
    checks.find((c) => c.status === 'failed') ?? checks.find((c) => c.status === 'unchecked') ?? VERIFIED
  );
}
