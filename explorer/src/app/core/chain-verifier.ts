/**
 * What the explorer checks itself, in the browser, before it shows a check mark. Pages depend on this
 * interface only; its implementation, `WebCryptoChainVerifier`, is a thin adapter: every rule is the
 * protocol package's verification core (`@approval-ledger/protocol`, `src/verify/`), the same code the
 * committer and `ledger verify-chain` run, with WebCrypto doing the signature arithmetic. The verdict types
 * are the core's (`Check`: stable name, status, detail), so a page shows exactly what the core decided.
 */
import {
  type Check,
  type ChannelTrust,
  type EndorsementCheck,
  type ProofVerdict,
  type TransactionVerdict,
  type VerifiableProofBundle,
  type VerifyProofOptions,
} from '@approval-ledger/protocol';
import {
  type BlockHeaderJson,
  type BlockJson,
  type BlockTransactionJson,
} from '@approval-ledger/protocol/api';

export {
  type Check,
  type CheckStatus,
  type ChannelTrust,
  type EndorsementCheck,
  type OrganisationCas,
  combineChecks,
  failed,
  notApplicable,
  passed,
  unchecked,
  verified,
} from '@approval-ledger/protocol';

export interface WriteSummary {
  readonly key: string;
  readonly isDelete: boolean;
  /** The written value as text (state values are canonical JSON), shortened. */
  readonly preview: string;
}

/** The core's verdict on a transaction, with its writes for display (embedded transactions). */
export interface TransactionCheck extends TransactionVerdict {
  readonly endorsements: readonly EndorsementCheck[];
  readonly writes: readonly WriteSummary[];
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
  /** The header hash a block header has (by the block's data hash scheme and the chain's crypto suite). */
  headerHash(
    header: BlockHeaderJson,
    scheme: BlockJson['dataHashScheme'],
    suite?: ChannelTrust['suite'],
  ): string;
  /** Header hash, data hash, link to `previous` (its header), orderer signature, and every transaction. */
  verifyBlock(
    block: BlockJson,
    context: { readonly trust?: ChannelTrust; readonly previous?: BlockHeaderJson },
  ): Promise<BlockCheck>;
  verifyTransaction(tx: BlockTransactionJson, trust: ChannelTrust | undefined): Promise<TransactionCheck>;
  /**
   * Checks a proof bundle offline (`approval-ledger/proof@1`, `approval-ledger/fabric-proof@1` from a Fabric
   * network, whose signatures are checked with the page's crypto, or `approval-ledger/proof@2` with its
   * checkpoint, witnesses, status proof and public anchor), against the anchors `pinned` (from the explorer's
   * side, `PinnedTrustService`; none: only against what the bundle carries), and that it is a proof for the hash
   * `sha256` that was asked about (its record's commitment or a document digest).
   */
  verifyProofBundle(
    bundle: VerifiableProofBundle,
    sha256: string,
    pinned?: VerifyProofOptions,
  ): Promise<ProofVerdict>;
}
