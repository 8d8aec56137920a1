/**
 * What every proof bundle's verification shares, whatever the engine's block format: the verdict and its
 * checks, the record rules (the transaction submitted this anchor and wrote it, the record's region proposed
 * and endorsed it, the opening opens the commitment, the hash asked about is the record's) and the revocation
 * rules. The engines' bundle verifiers (`verify-proof-bundle.ts`, `verify-fabric-proof-bundle.ts`) establish
 * the transaction from their own blocks and hand it here as a {@link VerifiedTransaction}.
 */
import { type CryptoSuiteName, requireSuite, SuiteNotAcceptedError } from './crypto-suite.js';
import { canonicalize } from '../canonical-json.js';
import { chaincodeDefinition } from '../registries/namespaces.js';
import { REGIONS, type RegionCode } from '../registries/regions.js';
import { sha256Hex } from '../sha256.js';
import { type EndorserTransactionJson } from '../block-format/embedded-block.js';
import { type ProofBundle, type ProofRecordKind, type ProofStatus } from '../proof/proof-bundle.js';
import {
  ANCHOR_WRITERS,
  anchorId,
  isObject,
  parseJson,
  REVOKE_FUNCTION,
  revocationWritten,
} from '../proof/transaction-writers.js';
import { findMilestoneRevocation } from '../proof/milestone-revocation-evidence.js';
import { type Check, checkOf, passed } from './check.js';
import { type NoteVerifier } from '../tlog/signed-note.js';
import { type AnchorReference } from '../anchor/anchor-reference.js';
import { certificateOf } from './identity-rules.js';
import { recordNamespaceChecks } from './namespace-rules.js';
import { recordOpeningCheck } from './record-rules.js';

/** The parts of a bundle (either engine's) the record and revocation rules read. */
export type BundleParts = Pick<ProofBundle, 'record' | 'query'> & {
  readonly transaction: { readonly txId: string };
};

/** A transaction whose signatures verified, in engine-neutral terms. */
export interface VerifiedTransaction {
  /** The chaincode namespace (definition name) the transaction invoked. */
  readonly chaincode: string;
  /** The chaincode function invoked, and its arguments as text. */
  readonly function: string;
  readonly args: readonly string[];
  /** The chaincode namespace's writes, as endorsed (values base64). */
  readonly writes: EndorserTransactionJson['rwset']['writes'];
  readonly creator: ProofIdentity;
  readonly endorsedBy: ProofIdentity[];
  /** The chaincode's response payload, parsed as JSON. */
  readonly response: unknown;
  readonly timestamp: Date;
}

/** A check of a proof bundle: the core's one verdict vocabulary (`transaction.inclusion`, `record.opening`, …). */
export type ProofCheck = Check;

export interface ProofIdentity {
  readonly mspId: string;
  readonly subject: string;
  /** SHA-256 of the certificate's DER bytes. */
  readonly fingerprint: string;
}

export interface ProofVerdict {
  /** True when every check passed (the status may still be `revoked` or `expired`). */
  readonly ok: boolean;
  /**
   * What the verifier was told to trust. With nothing pinned a bundle is checked only against the genesis and
   * CAs it carries itself, so a bundle of any other ledger under the same names passes too: a caller must say so.
   */
  readonly pinned?: { readonly genesis: boolean; readonly cas: boolean };
  readonly status: ProofStatus;
  readonly checks: readonly ProofCheck[];
  readonly record?: {
    readonly kind: ProofRecordKind;
    readonly id: string;
    readonly region?: string;
    readonly commitment?: string;
    /** The suite of the commitment (`record.suite`) when it is not `intl`. */
    readonly commitmentSuite?: CryptoSuiteName;
    readonly matchedBy?: 'commitment' | 'document' | 'record';
  };
  readonly anchoredAt?: {
    readonly txId: string;
    readonly blockNumber: number;
    /** The block's header hash (a leaf of the transparency log: what a public anchor's inclusion proves). */
    readonly blockHash?: string;
    readonly timestamp: string;
  };
  readonly creator?: ProofIdentity;
  readonly endorsedBy: readonly ProofIdentity[];
  /** A certificate's `revokedAt`, or the decision time of the REVOKED milestone that revokes a milestone. */
  readonly revokedAt?: string;
  /** The revocation transaction, and for a milestone the REVOKED milestone it recorded. */
  readonly revokedBy?: { readonly txId: string; readonly milestone?: string };
  readonly genesisHash?: string;
  /** The crypto suite the ledger's blocks were hashed and signed with (embedded bundles: `ledger.suite`). */
  readonly suite?: CryptoSuiteName;
  readonly head?: { readonly number: number; readonly hash: string };
  /** The organisations' CA certificates the bundle's signatures chain to. */
  readonly trust: readonly { readonly mspId: string; readonly caFingerprint: string }[];
  /** What was proven, level by level, and against which anchors (every bundle; v1 states its lower assurance). */
  readonly assurance?: Assurance;
  /** Which version of the record the bundle proves (corrections, 更正) and whether it is the latest. */
  readonly version?: VersionVerdict;
}

/**
 * The version a bundle proves: the anchor's `version` (1 unless corrected). `latest` is `true` or `false` when
 * known and absent when not: `basis` says from what. `checkpoint`: a v2 bundle's supersession proof in the
 * status tree of a checkpoint (`asOfCheckpoint`); `statement`: only the hub's statement in a v1 bundle, which
 * is believed when it says superseded (a claim against interest) but proves nothing when it says latest.
 */
export interface VersionVerdict {
  readonly number: number;
  readonly latest?: boolean;
  readonly basis: 'checkpoint' | 'statement' | 'none';
  /** The version that superseded it: its number and the transaction and block that anchored it. */
  readonly supersededBy?: { readonly version: number; readonly txId: string; readonly block: number };
  /** The checkpoint (tree size) the answer holds as of. */
  readonly asOfCheckpoint?: number;
}

/** One level of what a bundle proves, from the ledger up to a public anchor. */
export interface AssuranceLevel {
  readonly level: 'ledger' | 'pinned-ledger' | 'checkpoint' | 'witnessed' | 'status' | 'public-anchor';
  readonly status: 'proven' | 'not-proven' | 'failed';
  /** What was proven and against which anchor, or why not (English). */
  readonly detail: string;
}

export interface Assurance {
  readonly bundle: 'v1' | 'v2';
  readonly levels: readonly AssuranceLevel[];
  /**
   * The status proof: `current` (verified against a checkpoint the pinned log signed, within the age limit),
   * `stale` (older than the limit, or older than a revocation the bundle shows), `unauthenticated` (the
   * checkpoint's signature could not be checked against a pinned key), `missing`, or `failed`.
   */
  readonly statusProof: 'current' | 'stale' | 'unauthenticated' | 'missing' | 'failed';
  /** The checkpoint the bundle is proven against. */
  readonly checkpoint?: {
    readonly origin: string;
    readonly size: number;
    readonly root: string;
    /** The log's crypto suite: SHA-256 trees and Ed25519 keys (`intl`), or SM3 and SM2 (`gm`). */
    readonly suite: CryptoSuiteName;
    readonly cosignedBy: readonly string[];
    /** Newest verified cosignature time, ISO 8601. */
    readonly cosignedAt?: string;
  };
  /**
   * The public anchor (v2): `not-anchored` (the bundle carries none: its block is newer than the last
   * anchor), `offline` (the anchor names the anchored checkpoint, which holds the record and which the bundle's
   * checkpoint extends; the chain itself not asked), `on-chain` (an RPC of the chain confirmed it), `failed`.
   */
  readonly anchor?: {
    readonly state: 'not-anchored' | 'offline' | 'on-chain' | 'failed';
    /** The anchored checkpoint A (root hex). */
    readonly checkpoint?: { readonly origin: string; readonly size: number; readonly root: string };
    /** Where the chain recorded A (chain id, contract, transaction, block, log index). */
    readonly reference?: AnchorReference;
    /** SHA-256 (hex) of A's note as the bundle carries it: the contract's event must name the same. */
    readonly noteHash?: string;
    /** Counted online. */
    readonly confirmations?: number;
  };
  /** Plain sentences, e.g. "in checkpoint 1200 of … cosigned by TJ and HE". */
  readonly summary: readonly string[];
}

/** The transparency log a verifier pins: the log keys, the witnesses' keys and how many must cosign. */
export interface TlogTrust {
  readonly logKeys: readonly NoteVerifier[];
  readonly witnessKeys: readonly NoteVerifier[];
  readonly quorum: number;
  /**
   * The log's crypto suite (trust anchors' `crypto`; default `intl`): its tree hash (SHA-256 or SM3) and the
   * only suite its checkpoints may name. It must also be one of the verifier's `acceptedSuites`.
   */
  readonly suite?: CryptoSuiteName;
}

export interface VerifyProofOptions {
  /** Refuse the bundle unless its genesis block has this hash (the ledger's identity). */
  readonly trustedGenesisHash?: string;
  /** Refuse the bundle unless every organisation CA it uses has one of these fingerprints. */
  readonly trustedCaFingerprints?: readonly string[];
  /** When to judge a certificate's validity window (default: now). */
  readonly now?: Date;
  /** The transparency log's keys (from trust anchors): a v2 bundle's checkpoint is checked against them. */
  readonly tlog?: TlogTrust;
  /** A v2 bundle's status proof older than this (seconds since its newest pinned cosignature) is stale. */
  readonly maxStatusAgeSeconds?: number;
  /**
   * The crypto suites this verifier accepts (default `intl` only): an embedded bundle whose ledger names another
   * (`ledger.suite`, which block 0's configuration must name too) is invalid (`bundle.suite`).
   */
  readonly acceptedSuites?: readonly CryptoSuiteName[];
}

/** Checks that are about the record's content rather than the ledger: failing them means `tampered`. */
export const TAMPER_CHECKS = new Set(['record.opening', 'query.match']);

export class Checks {
  readonly list: Check[] = [];

  add(name: string, ok: boolean, detail: string): boolean {
    this.list.push(checkOf(name, ok, detail, detail));
    return ok;
  }

  push(check: Check): void {
    this.list.push(check);
  }

  get ok(): boolean {
    return this.list.every(passed);
  }

  get tampered(): boolean {
    return this.list.some((c) => !passed(c) && TAMPER_CHECKS.has(c.name));
  }

  get invalid(): boolean {
    return this.list.some((c) => !passed(c) && !TAMPER_CHECKS.has(c.name));
  }
}

export function statusOf(checks: Checks, revokedAt: string | undefined, expired: boolean): ProofStatus {
  if (checks.invalid) return 'invalid';
  if (checks.tampered) return 'tampered';
  if (revokedAt) return 'revoked';
  return expired ? 'expired' : 'valid';
}

export function identityOf(mspId: string, pem: string): ProofIdentity {
  const certificate = certificateOf(pem);
  return { mspId, subject: certificate.subject, fingerprint: certificate.fingerprint };
}

// ----------------------------------------------------------------------------------------------- record

/** What the record rules need to know about suites: which the verifier accepts, and the ledger's own. */
export interface RecordSuiteContext {
  /** The suites the verifier accepts (`VerifyProofOptions.acceptedSuites`, default `intl`). */
  readonly accepted?: readonly CryptoSuiteName[] | undefined;
  /**
   * The embedded ledger's suite: the hub that runs it makes its commitments in the same suite, so a bundle naming
   * another mixes suites. Absent for Fabric, whose ledger is `intl` whatever the hub's artefacts are.
   */
  readonly embeddedLedger?: CryptoSuiteName;
}

export function verifyRecord(
  bundle: BundleParts,
  verified: VerifiedTransaction,
  checks: Checks,
  suites: RecordSuiteContext = {},
): ProofVerdict['record'] {
  const { kind, id, anchor } = bundle.record;
  const region = typeof anchor.region === 'string' ? anchor.region : undefined;
  const commitment = typeof anchor.commitment === 'string' ? anchor.commitment : undefined;
  verifyAnchorWritten(bundle, verified, checks);
  verifyRegion(region, verified, checks);
  const suite = recordSuite(bundle, suites, checks);
  if (suite) verifyOpening(bundle, commitment, suite, checks);
  const matchedBy = verifyQuery(bundle, commitment, checks);
  return {
    kind,
    id,
    ...(region ? { region } : {}),
    ...(commitment ? { commitment } : {}),
    ...(suite && suite !== 'intl' ? { commitmentSuite: suite } : {}),
    ...(matchedBy ? { matchedBy } : {}),
  };
}

/**
 * `record.suite`: the suite of the commitment, if the verifier accepts it and it does not mix with the embedded
 * ledger's. An `intl` commitment on an `intl` (or Fabric) ledger adds no check, so such verdicts read as before.
 */
export function recordSuite(
  bundle: BundleParts,
  suites: RecordSuiteContext,
  checks: Checks,
): CryptoSuiteName | undefined {
  const named = bundle.record.suite;
  if (named === undefined && (suites.embeddedLedger ?? 'intl') === 'intl') return 'intl';
  const name = named ?? 'intl';
  if (suites.embeddedLedger !== undefined && name !== suites.embeddedLedger) {
    checks.add(
      'record.suite',
      false,
      `record.suite: the commitment is ${name}, the ledger ${suites.embeddedLedger}: an embedded hub makes both in one suite`,
    );
    return undefined;
  }
  let suite: CryptoSuiteName;
  try {
    suite = requireSuite(named, suites.accepted ?? ['intl'], 'record.suite').name;
  } catch (error) {
    if (!(error instanceof SuiteNotAcceptedError)) throw error;
    checks.add('record.suite', false, error.message);
    return undefined;
  }
  checks.add('record.suite', true, `the commitment is in the ${suite} suite`);
  return suite;
}

function verifyAnchorWritten(bundle: BundleParts, verified: VerifiedTransaction, checks: Checks): void {
  const { kind, id, anchor } = bundle.record;
  const writer = ANCHOR_WRITERS[verified.function];
  const submitted =
    writer?.kind === kind &&
    anchorId(kind, anchor) === id &&
    writer
      .anchors(verified.args)
      .some((a) => anchorId(kind, a) === id && canonicalize(a) === canonicalize(anchor));
  checks.add(
    'record.anchor',
    submitted,
    submitted
      ? `${verified.function} submitted ${kind} ${id} exactly as given`
      : `the transaction did not submit this ${kind} anchor`,
  );
  const wrote = submitted && writer.wrote(verified.response, id, bundle.transaction.txId);
  checks.add(
    'record.written',
    wrote,
    wrote
      ? 'the chaincode recorded it in this transaction'
      : 'the response does not show this transaction recording it',
  );
}

function verifyRegion(region: string | undefined, verified: VerifiedTransaction, checks: Checks): void {
  const mspId = region !== undefined && region in REGIONS ? REGIONS[region as RegionCode].mspId : undefined;
  const ok =
    mspId !== undefined &&
    verified.creator.mspId === mspId &&
    verified.endorsedBy.some((e) => e.mspId === mspId);
  checks.add(
    'record.region',
    ok,
    ok
      ? `written and endorsed by ${mspId}, the record's region ${region}`
      : `region ${String(region)} did not write and endorse it`,
  );
  verifyNamespace(region, verified, checks);
}

/**
 * A transaction in a namespace of the plan (`registries/namespaces.ts`) must be the record's region's, endorsed by
 * that region's peer (`record.namespace`, `record.endorsement`): a Beijing record that a malicious Tianjin peer
 * wrote into Tianjin's namespace is valid to Fabric but not to a verifier. A transaction under the legacy single
 * definition has no namespace to check; `record.region` above then stands alone.
 */
function verifyNamespace(region: string | undefined, verified: VerifiedTransaction, checks: Checks): void {
  if (!chaincodeDefinition(verified.chaincode)) return;
  if (region === undefined || !(region in REGIONS)) return;
  const endorsers = verified.endorsedBy.map((e) => ({ mspId: e.mspId, role: 'peer' as const }));
  for (const check of recordNamespaceChecks(
    { region: region as RegionCode, kind: 'record' },
    { namespace: verified.chaincode, endorsers },
  ))
    checks.push(check);
}

function verifyOpening(
  bundle: BundleParts,
  commitment: string | undefined,
  suite: CryptoSuiteName,
  checks: Checks,
): void {
  const opening = bundle.record.opening;
  if (opening) checks.push(recordOpeningCheck(opening.record, opening.salt, commitment, suite));
}

function verifyQuery(
  bundle: BundleParts,
  commitment: string | undefined,
  checks: Checks,
): 'commitment' | 'document' | 'record' | undefined {
  const wanted = bundle.query?.sha256;
  if (wanted === undefined) return undefined;
  const documents = Array.isArray(bundle.record.anchor.documentDigests)
    ? (bundle.record.anchor.documentDigests as unknown[])
    : [];
  const opening = bundle.record.opening;
  const matchedBy =
    wanted === commitment
      ? 'commitment'
      : documents.includes(wanted)
        ? 'document'
        : opening && sha256Hex(canonicalize(opening.record)) === wanted
          ? 'record'
          : undefined;
  checks.add(
    'query.match',
    matchedBy !== undefined,
    matchedBy ? `${wanted} is the record's ${matchedBy} hash` : `${wanted} is not a hash of this record`,
  );
  return matchedBy;
}

export interface Revocation {
  readonly at: string;
  readonly by: NonNullable<ProofVerdict['revokedBy']>;
}

export function certificateRevocation(
  bundle: BundleParts,
  verified: VerifiedTransaction,
  txId: string,
  checks: Checks,
): Revocation | undefined {
  const revokedAt = revokedAtOf(bundle, verified, txId);
  checks.add(
    'revocation.record',
    revokedAt !== undefined,
    revokedAt
      ? `certificate ${bundle.record.id} revoked by its issuing region at ${revokedAt}`
      : 'the revocation transaction does not revoke this certificate',
  );
  return revokedAt ? { at: revokedAt, by: { txId } } : undefined;
}

/** When `verified` is the issuing region's revocation of the bundle's certificate: its revocation time. */
function revokedAtOf(bundle: BundleParts, verified: VerifiedTransaction, txId: string): string | undefined {
  const proposal = verified;
  const revocation = parseJson(proposal.args[0]);
  const applies =
    bundle.record.kind === 'certificate' &&
    proposal.function === REVOKE_FUNCTION &&
    isObject(revocation) &&
    revocation.number === bundle.record.id;
  if (!applies || typeof revocation.revokedAt !== 'string') return undefined;
  const byIssuer = verified.creator.mspId === mspOfRegion(bundle.record.anchor.region);
  return byIssuer && revocationWritten(verified.response, bundle.record.id, txId)
    ? revocation.revokedAt
    : undefined;
}

/**
 * A milestone is revoked by a REVOKED milestone that the revocation transaction wrote (its write set, which
 * the endorsements cover), that revokes it under protocol's revokesMilestone, and that its own region proposed
 * and endorsed (the rule makes that the milestone's region).
 */
export function milestoneRevocation(
  bundle: BundleParts,
  verified: VerifiedTransaction,
  txId: string,
  checks: Checks,
): Revocation | undefined {
  const finding = findMilestoneRevocation(bundle.record.anchor, { rwset: { writes: verified.writes } }, txId);
  const mspId = finding.ok ? mspOfRegion(finding.revoking.region) : undefined;
  const byRegion =
    mspId !== undefined &&
    verified.creator.mspId === mspId &&
    verified.endorsedBy.some((e) => e.mspId === mspId);
  const ok = finding.ok && byRegion;
  checks.add(
    'revocation.record',
    ok,
    !finding.ok
      ? `the revocation transaction does not revoke milestone ${bundle.record.id}: ${finding.reason}`
      : ok
        ? `milestone ${bundle.record.id} revoked by REVOKED milestone ${finding.revoking.id} of ${finding.revoking.region}, decided at ${finding.revoking.decidedAt}`
        : `REVOKED milestone ${finding.revoking.id} was not proposed and endorsed by its region ${finding.revoking.region} (${verified.creator.mspId} proposed it)`,
  );
  return ok ? { at: finding.revoking.decidedAt, by: { txId, milestone: finding.revoking.id } } : undefined;
}

export function mspOfRegion(region: unknown): string | undefined {
  return typeof region === 'string' && region in REGIONS ? REGIONS[region as RegionCode].mspId : undefined;
}

export function isExpired(bundle: BundleParts, now: Date): boolean {
  const until = bundle.record.kind === 'certificate' ? bundle.record.anchor.validUntil : undefined;
  return typeof until === 'string' && Date.parse(until) <= now.getTime();
}

export function formatError(error: {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(bundle)'}: ${i.message}`)
    .join('; ');
}
