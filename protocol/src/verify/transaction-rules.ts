/**
 * THE rules that make a transaction valid, for both engines, in one place. The committer (validation codes),
 * `ledger verify-chain`, proof bundles and the explorer all call these; none of them re-implements a rule.
 *
 * An embedded endorser transaction (`approval-ledger/embedded-block@1`) is valid when:
 *   transaction.envelope     its proposal names the transaction it is stored as;
 *   transaction.id           its id = SHA-256(nonce ‖ SerializedIdentity(creator)), Fabric's derivation;
 *   transaction.creator      the creator's certificate chains to its organisation's CA in the channel
 *                            configuration, and its low-S signature over canonical(proposal) verifies;
 *   transaction.endorsement  (each) the endorser's certificate chains to its organisation's CA, and its low-S
 *                            signature over canonical({endorser, responseHash}) verifies;
 *   transaction.endorsements at least one endorsement, and every one verifies (what an auditor requires of a
 *                            committed VALID transaction);
 *   transaction.policy       at commit, the verified endorsers satisfy the endorsement policy of every written
 *                            key (`endorsement-policy.ts`), evaluated by the engine against its state.
 * A Fabric endorser transaction (protobuf `Envelope`) the same, in Fabric's bytes: id = SHA-256(nonce ‖ creator),
 * the creator signs the payload, each endorsed response must answer this proposal (its proposal hash) and each
 * endorser signs `proposal_response_payload ‖ endorser`.
 *
 * `commitValidationCode` says which Fabric validation code a failed rule gives at commit.
 */
import { base64ToBytes } from '../proof/base64.js';
import { bytesToHex, utf8Encode } from '../bytes.js';
import {
  type ConfigTransactionJson,
  configTransactionId,
  endorsementMessage,
  type EndorserTransactionJson,
  type IdentityJson,
  type ProposalJson,
  parseTransactionEnvelope,
  proposalText,
  type SignatureJson,
  timestampDate,
  transactionId,
  transactionResponseHash,
} from '../block-format/embedded-block.js';
import {
  decodeFabricEnvelope,
  FABRIC_HEADER_TYPE,
  type FabricEndorsedAction,
  type FabricEnvelope,
  type FabricIdentity,
  fabricEndorsementMessage,
  fabricProposalHash,
  fabricResponseProposalHash,
  fabricTransactionId,
} from '../block-format/fabric-envelope.js';
import { type FabricNamespaceRwSet } from '../block-format/fabric-transaction.js';
import { isValidAt } from '../proof/x509.js';
import { SUITES, type SuiteAlgorithms } from './crypto-suite.js';
import { type ChannelTrust } from './channel-trust.js';
import { type Check, checkOf, failed, notApplicable, passed, renamed, unchecked, verified } from './check.js';
import { certificateOf, nodeRoleOf, signatureBy, signedByMember } from './identity-rules.js';
import { allOf, type Rule } from './rule.js';

export const TRANSACTION_CHECKS = {
  envelope: 'transaction.envelope',
  id: 'transaction.id',
  creator: 'transaction.creator',
  endorsement: 'transaction.endorsement',
  endorsements: 'transaction.endorsements',
  policy: 'transaction.policy',
  validationCode: 'transaction.validationCode',
} as const;

export type EndorserRole = 'client' | 'peer' | 'admin' | 'orderer' | 'member';

export interface EndorsementCheck {
  readonly mspId: string;
  readonly certificate: string;
  /** The endorser's NodeOU role, when its certificate could be read. */
  readonly role?: EndorserRole;
  readonly check: Check;
}

/** The verdict on one transaction: each rule's check, and whether all of them passed. */
export interface TransactionVerdict {
  readonly txId: string;
  readonly envelope: Check;
  readonly txIdCheck: Check;
  readonly creatorSignature: Check;
  readonly endorsements: readonly EndorsementCheck[];
  /** `transaction.endorsements`: at least one, all verified (not applicable to configuration transactions). */
  readonly endorsementSet: Check;
  readonly ok: boolean;
}

/** Every check of a transaction verdict, in order. */
export function transactionChecks(verdict: TransactionVerdict): Check[] {
  return [
    verdict.envelope,
    verdict.txIdCheck,
    verdict.creatorSignature,
    ...verdict.endorsements.map((e) => e.check),
    verdict.endorsementSet,
  ];
}

// ------------------------------------------------------------------------------------------- embedded

/** What an embedded endorser transaction's signatures cover, as the committer already holds it. */
export interface EmbeddedSignedParts {
  readonly proposal: Pick<ProposalJson, 'txId' | 'nonce' | 'creator'> &
    Partial<Pick<ProposalJson, 'timestamp'>>;
  /** canonical(proposal): what the creator signed. */
  readonly proposalText: string;
  /** DER. */
  readonly creatorSignature: Uint8Array;
  /** SHA-256 (SM3 in a `gm` chain) of canonical({proposalHash, response, rwset, event}). */
  readonly responseHash: string;
  readonly endorsements: readonly SignatureJson[];
}

export interface EmbeddedTransactionOptions {
  /** Also require the creator's certificate to be valid at the proposal's timestamp (proof bundles). */
  readonly creatorValidAtProposal?: boolean;
}

/** The signed parts of a parsed embedded endorser transaction, its hashes under the chain's suite. */
export function embeddedSignedParts(
  tx: EndorserTransactionJson,
  suite: SuiteAlgorithms = SUITES.intl,
): EmbeddedSignedParts {
  return {
    proposal: tx.proposal,
    proposalText: proposalText(tx.proposal),
    creatorSignature: base64ToBytes(tx.creatorSignature),
    responseHash: transactionResponseHash(tx, suite),
    endorsements: tx.endorsements,
  };
}

function embeddedTxId(proposal: EmbeddedSignedParts['proposal'], suite: SuiteAlgorithms): Check {
  try {
    const { nonce, creator, txId } = proposal;
    const computed = transactionId(base64ToBytes(nonce), creator.mspId, creator.certificate, suite);
    return computed === txId
      ? verified(TRANSACTION_CHECKS.id)
      : failed(TRANSACTION_CHECKS.id, `transaction id re-computed as ${computed}`);
  } catch (error) {
    return failed(TRANSACTION_CHECKS.id, `the nonce could not be read: ${String(error)}`);
  }
}

function* embeddedCreator(
  parts: EmbeddedSignedParts,
  trust: ChannelTrust | undefined,
  options: EmbeddedTransactionOptions,
): Rule<Check> {
  const { creator, timestamp } = parts.proposal;
  const signer = { ...creator, signature: parts.creatorSignature };
  const check = yield* signedByMember(
    TRANSACTION_CHECKS.creator,
    trust,
    signer,
    utf8Encode(parts.proposalText),
  );
  if (!passed(check) || !options.creatorValidAtProposal || !timestamp) return check;
  const at = timestampDate(timestamp);
  return isValidAt(certificateOf(creator.certificate), at)
    ? check
    : failed(TRANSACTION_CHECKS.creator, `the creator's certificate was not valid at ${at.toISOString()}`);
}

function* embeddedEndorsement(
  e: SignatureJson,
  responseHash: string,
  trust: ChannelTrust | undefined,
): Rule<EndorsementCheck> {
  let signature: Uint8Array;
  try {
    signature = base64ToBytes(e.signature);
  } catch {
    return endorsementOf(e, failed(TRANSACTION_CHECKS.endorsement, 'the signature is not base64'));
  }
  const message = endorsementMessage(e, responseHash);
  const check = yield* signedByMember(TRANSACTION_CHECKS.endorsement, trust, { ...e, signature }, message);
  return endorsementOf(e, check);
}

function endorsementOf(identity: IdentityJson, check: Check): EndorsementCheck {
  let role: EndorserRole | undefined;
  try {
    role = nodeRoleOf(certificateOf(identity.certificate));
  } catch {
    role = undefined;
  }
  return { mspId: identity.mspId, certificate: identity.certificate, ...(role ? { role } : {}), check };
}

/** The rules of an embedded endorser transaction stored (or asked about) as `txId`. */
export function* embeddedEndorserTransaction(
  parts: EmbeddedSignedParts,
  txId: string,
  trust: ChannelTrust | undefined,
  options: EmbeddedTransactionOptions = {},
): Rule<TransactionVerdict> {
  const envelope = checkOf(
    TRANSACTION_CHECKS.envelope,
    parts.proposal.txId === txId,
    `endorser transaction ${txId}`,
    `the envelope is transaction ${parts.proposal.txId}, not ${txId}`,
  );
  const txIdCheck = embeddedTxId(parts.proposal, trust?.suite ?? SUITES.intl);
  const [creator, ...endorsements] = yield* allOf<Check | EndorsementCheck>([
    embeddedCreator(parts, trust, options),
    ...parts.endorsements.map((e) => embeddedEndorsement(e, parts.responseHash, trust)),
  ]);
  return verdictOf(txId, [envelope, txIdCheck, creator as Check], endorsements as EndorsementCheck[], true);
}

function embeddedConfigTransaction(envelope: ConfigTransactionJson, txId: string): TransactionVerdict {
  let computed: string;
  try {
    computed = configTransactionId(envelope.config);
  } catch (error) {
    return unreadableTransaction(txId, failed(TRANSACTION_CHECKS.id, errorText(error)));
  }
  const txIdCheck =
    computed === envelope.txId && txId === envelope.txId
      ? verified(TRANSACTION_CHECKS.id)
      : failed(TRANSACTION_CHECKS.id, `configuration transaction id re-computed as ${computed}`);
  return verdictOf(
    txId,
    [verified(TRANSACTION_CHECKS.envelope), txIdCheck, notApplicable(TRANSACTION_CHECKS.creator)],
    [],
    false,
  );
}

function verdictOf(
  txId: string,
  [envelope, txIdCheck, creatorSignature]: readonly [Check, Check, Check],
  endorsements: readonly EndorsementCheck[],
  needsEndorsements: boolean,
): TransactionVerdict {
  const endorsementSet = needsEndorsements
    ? endorsementSetCheck(endorsements)
    : notApplicable(TRANSACTION_CHECKS.endorsements);
  const ok = [envelope, txIdCheck, creatorSignature, endorsementSet].every(passed);
  return { txId, envelope, txIdCheck, creatorSignature, endorsements, endorsementSet, ok };
}

function endorsementSetCheck(endorsements: readonly EndorsementCheck[]): Check {
  const name = TRANSACTION_CHECKS.endorsements;
  if (endorsements.length === 0) return failed(name, 'a transaction without endorsements');
  const bad = endorsements.filter((e) => !passed(e.check));
  if (bad.length === 0) return verified(name, `endorsed by ${endorsements.map((e) => e.mspId).join(', ')}`);
  const weakest = bad.find((e) => e.check.status === 'failed') ?? bad[0];
  const detail = `${bad.length} of ${endorsements.length} endorsement(s) do not verify`;
  return weakest?.check.status === 'failed' ? failed(name, detail) : unchecked(name, detail);
}

/** An unreadable envelope: every rule fails (or is unchecked) for the same reason. */
export function unreadableTransaction(txId: string, reason: Check): TransactionVerdict {
  const as = (name: string): Check => renamed(reason, name);
  return {
    txId,
    envelope: as(TRANSACTION_CHECKS.envelope),
    txIdCheck: as(TRANSACTION_CHECKS.id),
    creatorSignature: as(TRANSACTION_CHECKS.creator),
    endorsements: [],
    endorsementSet: as(TRANSACTION_CHECKS.endorsements),
    ok: false,
  };
}

// --------------------------------------------------------------------------------------------- fabric

const ISSUER_UNCHECKED =
  'the signature matches the certificate in the envelope, but who issued that certificate was not checked: ' +
  'no CA certificates for the channel (block 0’s configuration could not be read)';

/**
 * A Fabric identity's signature: with the channel's CAs, as `signedByMember`; without them, the signature is
 * still checked against the certificate in the envelope, but a good one stays unchecked (issuer unknown).
 */
function* fabricSignedBy(
  name: string,
  trust: ChannelTrust | undefined,
  identity: FabricIdentity,
  signature: Uint8Array,
  message: Uint8Array,
): Rule<Check> {
  if (trust) return yield* signedByMember(name, trust, { ...identity, signature }, message);
  const check = yield* signatureBy(name, identity.certificate, message, signature);
  return passed(check) ? unchecked(name, ISSUER_UNCHECKED) : check;
}

/** Fabric's id = hex SHA-256(nonce ‖ creator); configuration transactions the orderer makes have none. */
function fabricTxId(envelope: FabricEnvelope, creator: FabricIdentity, isEndorser: boolean): Check {
  if (!isEndorser && envelope.channelHeader.txId === '') return notApplicable(TRANSACTION_CHECKS.id);
  const computed = fabricTransactionId(envelope.nonce, creator.serialized);
  return computed === envelope.channelHeader.txId
    ? verified(TRANSACTION_CHECKS.id)
    : failed(TRANSACTION_CHECKS.id, `transaction id re-computed as ${computed}`);
}

/**
 * The endorsed response answers this transaction's proposal: its `proposal_hash` is SHA-256 of the channel
 * header, signature header and chaincode proposal payload, as Fabric's committer requires.
 */
function proposalBinding(envelope: FabricEnvelope, action: FabricEndorsedAction): Check {
  const name = TRANSACTION_CHECKS.endorsement;
  let claimed: string;
  try {
    claimed = bytesToHex(fabricResponseProposalHash(action.proposalResponsePayload));
  } catch (error) {
    return failed(name, `the endorsed response could not be read: ${errorText(error)}`);
  }
  const computed = bytesToHex(fabricProposalHash(envelope, action));
  return claimed === computed
    ? verified(name)
    : failed(
        name,
        `the endorsed response is for another proposal (proposal hash ${claimed}, this one ${computed})`,
      );
}

function* fabricEndorsements(
  trust: ChannelTrust | undefined,
  envelope: FabricEnvelope,
  action: FabricEndorsedAction,
): Rule<EndorsementCheck[]> {
  const binding = proposalBinding(envelope, action);
  return yield* allOf(
    action.endorsements.map(function* (e): Rule<EndorsementCheck> {
      const check = passed(binding)
        ? yield* fabricSignedBy(
            TRANSACTION_CHECKS.endorsement,
            trust,
            e.endorser,
            e.signature,
            fabricEndorsementMessage(action, e),
          )
        : binding;
      return endorsementOf(e.endorser, check);
    }),
  );
}

/** The rules of a Fabric transaction `Envelope` (protobuf bytes) stored as `txId`. */
export function* fabricTransaction(
  bytes: Uint8Array,
  txId: string,
  trust: ChannelTrust | undefined,
): Rule<TransactionVerdict> {
  let envelope: FabricEnvelope;
  try {
    envelope = decodeFabricEnvelope(bytes);
  } catch (error) {
    return unreadableTransaction(
      txId,
      failed(
        TRANSACTION_CHECKS.envelope,
        `the envelope is neither canonical JSON nor a readable Fabric envelope: ${errorText(error)}`,
      ),
    );
  }
  const { channelHeader, creator } = envelope;
  const envelopeCheck = checkOf(
    TRANSACTION_CHECKS.envelope,
    channelHeader.txId === txId,
    `Fabric transaction ${txId}`,
    `the envelope is transaction ${channelHeader.txId || '(no id)'}, not ${txId}`,
  );
  const isEndorser = channelHeader.type === FABRIC_HEADER_TYPE.ENDORSER_TRANSACTION;
  const unsignedId =
    channelHeader.txId === '' || channelHeader.txId === fabricTransactionId(envelope.nonce, new Uint8Array());
  if (!isEndorser && !creator && envelope.signature.length === 0 && unsignedId) {
    // A configuration block made by configtxgen (block 0): no creator, no signature, and no transaction id or
    // one of SHA-256(nonce ‖ empty creator). Only a genesis block may be so (the block rules hold it to that).
    const none = (name: string): Check => notApplicable(name);
    return verdictOf(
      txId,
      [envelopeCheck, none(TRANSACTION_CHECKS.id), none(TRANSACTION_CHECKS.creator)],
      [],
      false,
    );
  }
  if (!creator) {
    const none = 'the envelope names no creator, so its signature cannot be checked';
    return verdictOf(
      txId,
      [envelopeCheck, failed(TRANSACTION_CHECKS.id, none), failed(TRANSACTION_CHECKS.creator, none)],
      [],
      isEndorser,
    );
  }
  const txIdCheck = fabricTxId(envelope, creator, isEndorser);
  const [creatorCheck, endorsements] = yield* allOf<Check | EndorsementCheck[]>([
    fabricSignedBy(TRANSACTION_CHECKS.creator, trust, creator, envelope.signature, envelope.payload),
    (function* (): Rule<EndorsementCheck[]> {
      const lists = yield* allOf(envelope.actions.map((a) => fabricEndorsements(trust, envelope, a)));
      return lists.flat();
    })(),
  ]);
  return verdictOf(
    txId,
    [envelopeCheck, txIdCheck, creatorCheck as Check],
    endorsements as EndorsementCheck[],
    isEndorser,
  );
}

// -------------------------------------------------------------------------------------------- either

/** The first byte of a JSON (embedded) envelope; a Fabric `Envelope` never starts with it (field 15, group). */
const JSON_OPEN_BRACE = 0x7b;

/**
 * The rules of a transaction envelope of either engine, by its bytes: canonical JSON (first byte `{`) is an
 * embedded transaction (endorser or configuration), anything else a Fabric `Envelope`; bytes that read as
 * neither fail, saying why.
 */
export function* transactionEnvelope(
  bytes: Uint8Array,
  txId: string,
  trust: ChannelTrust | undefined,
  options: EmbeddedTransactionOptions = {},
): Rule<TransactionVerdict> {
  if (bytes[0] !== JSON_OPEN_BRACE) return yield* fabricTransaction(bytes, txId, trust);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return unreadableTransaction(txId, failed(TRANSACTION_CHECKS.envelope, 'the envelope is not UTF-8 JSON'));
  }
  const envelope = parseTransactionEnvelope(text);
  if (envelope === undefined) {
    return unreadableTransaction(
      txId,
      failed(
        TRANSACTION_CHECKS.envelope,
        'the envelope is not a transaction in canonical JSON form (its bytes were altered)',
      ),
    );
  }
  if (envelope.type === 'config') return embeddedConfigTransaction(envelope, txId);
  return yield* embeddedEndorserTransaction(
    embeddedSignedParts(envelope, trust?.suite ?? SUITES.intl),
    txId,
    trust,
    options,
  );
}

// -------------------------------------------------------------------------------------------- commit

/** The Fabric validation codes a transaction's signature rules decide at commit. */
export type SignatureValidationCode = 'VALID' | 'BAD_CREATOR_SIGNATURE' | 'BAD_PROPOSAL_TXID';

/**
 * The validation code the signature rules give a transaction at commit, as a Fabric peer's validator: a creator
 * whose certificate or signature fails is BAD_CREATOR_SIGNATURE, then a wrong id BAD_PROPOSAL_TXID. Endorsements
 * do not fail here: the endorsement policy is evaluated over the ones that verify ({@link policyEndorsers}).
 */
export function commitValidationCode(verdict: TransactionVerdict): SignatureValidationCode {
  if (!passed(verdict.creatorSignature)) return 'BAD_CREATOR_SIGNATURE';
  if (!passed(verdict.txIdCheck) || !passed(verdict.envelope)) return 'BAD_PROPOSAL_TXID';
  return 'VALID';
}

/** The endorsers an endorsement policy counts: those whose endorsement verified, with their NodeOU role. */
export function policyEndorsers(
  verdict: TransactionVerdict,
): { readonly mspId: string; readonly role: Exclude<EndorserRole, 'orderer'> }[] {
  return verdict.endorsements
    .filter((e) => e.check.status === 'verified')
    .map((e) => ({ mspId: e.mspId, role: e.role === 'orderer' || e.role === undefined ? 'member' : e.role }));
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// ------------------------------------------------------------------------------ recorded validation codes

/** One transaction of a Fabric block as the validation-code rule sees it. */
export interface RecordedTransaction {
  /** TRANSACTIONS_FILTER's code name for it (what the committing peer recorded; no one signs it). */
  readonly recorded: string;
  /** Its read-write sets (endorser transactions); undefined for configuration transactions. */
  readonly rwsets?: readonly FabricNamespaceRwSet[];
  /** Its signature rules passed (creator, id, endorsements). */
  readonly signaturesValid: boolean;
}

const STATE_DEPENDENT =
  'not contradicted by this block; conflicts with state written by earlier blocks are not checkable from one block';

function keysOf(
  rwsets: readonly FabricNamespaceRwSet[],
  pick: (ns: FabricNamespaceRwSet) => readonly string[],
): Set<string> {
  return new Set(rwsets.flatMap((ns) => pick(ns).map((key) => `${ns.namespace}\u0000${key}`)));
}

function keyName(namespacedKey: string): string {
  return JSON.stringify(namespacedKey.split('\u0000').slice(1).join('\u0000'));
}

/** The first key of `keys` that an earlier transaction recorded VALID has in `pick`, and that transaction. */
function touchedEarlier(
  keys: ReadonlySet<string>,
  earlier: readonly RecordedTransaction[],
  pick: (ns: FabricNamespaceRwSet) => readonly string[],
): { key: string; index: number } | undefined {
  for (const [index, before] of earlier.entries()) {
    if (before.recorded !== 'VALID' || !before.rwsets) continue;
    const touched = keysOf(before.rwsets, pick);
    const key = [...keys].find((k) => touched.has(k));
    if (key !== undefined) return { key, index };
  }
  return undefined;
}

/** What a block alone says a transaction's code must be, given the earlier transactions recorded VALID. */
function derivedCode(
  tx: RecordedTransaction,
  earlier: readonly RecordedTransaction[],
): { code: string; why: string } | undefined {
  if (!tx.signaturesValid) return { code: 'not VALID', why: 'its signatures do not verify' };
  if (!tx.rwsets) return undefined;
  const writes = keysOf(tx.rwsets, (ns) => [...ns.writes, ...ns.metadataWrites.map((m) => m.key)]);
  const changed = touchedEarlier(writes, earlier, (ns) => ns.metadataWrites.map((m) => m.key));
  if (changed) {
    return {
      code: 'ENDORSEMENT_POLICY_FAILURE',
      why: `transaction ${changed.index} of this block changed the validation parameter of ${keyName(changed.key)}, which it writes`,
    };
  }
  const stale = touchedEarlier(
    keysOf(tx.rwsets, (ns) => ns.reads),
    earlier,
    (ns) => ns.writes,
  );
  if (stale) {
    return {
      code: 'MVCC_READ_CONFLICT',
      why: `transaction ${stale.index} of this block wrote ${keyName(stale.key)}, which it read before`,
    };
  }
  return undefined;
}

/**
 * `transaction.validationCode` of every transaction of a Fabric block: the codes in TRANSACTIONS_FILTER are the
 * committing peer's word, signed by no one, so they are re-derived where the block alone decides them, as a
 * peer's validator and committer do: signatures that do not verify make a transaction invalid; a transaction
 * that writes a key whose validation parameter an earlier VALID transaction of the block changed is
 * ENDORSEMENT_POLICY_FAILURE; one that read a key an earlier VALID transaction of the block wrote is
 * MVCC_READ_CONFLICT. A recorded VALID that one of these contradicts fails; what depends on the state before
 * the block (conflicts with earlier blocks, phantom reads) stays the peer's word and is said so.
 */
export function recordedValidationCodes(transactions: readonly RecordedTransaction[]): Check[] {
  const name = TRANSACTION_CHECKS.validationCode;
  return transactions.map((tx, i) => {
    const derived = derivedCode(tx, transactions.slice(0, i));
    if (tx.recorded === 'VALID') {
      return derived
        ? failed(name, `recorded VALID, but it is ${derived.code}: ${derived.why}`)
        : verified(name, `recorded VALID; ${STATE_DEPENDENT}`);
    }
    if (derived && (derived.code === tx.recorded || derived.code === 'not VALID')) {
      return verified(name, `recorded ${tx.recorded}: ${derived.why}`);
    }
    return notApplicable(
      name,
      `recorded ${tx.recorded} by the committing peer (an invalid transaction changes nothing)`,
    );
  });
}
