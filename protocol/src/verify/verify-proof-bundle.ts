/**
 * Offline verification of a proof bundle (`approval-ledger/proof@1`). It trusts only what the bundle carries
 * (the genesis block's CA and orderer certificates) and, when given, the genesis hash or CA fingerprints the
 * caller pins. It needs no network, no Node API and no hub: the same code runs in the CLI and the browser.
 */
import { bytesToHex, hexToBytes, utf8Encode } from '../bytes.js';
import { canonicalize } from '../canonical-json.js';
import { merkleRoot, verifyInclusion } from '../merkle.js';
import { chaincodeDefinition } from '../registries/namespaces.js';
import { REGIONS, type RegionCode } from '../registries/regions.js';
import { sha256Hex } from '../sha256.js';
import { base64ToBytes } from '../proof/base64.js';
import {
  blockHash,
  type ChannelConfigJson,
  configTransactionId,
  type ConfigTransactionJson,
  type EndorserTransactionJson,
  timestampDate,
  ZERO_HASH,
} from '../block-format/embedded-block.js';
import {
  PROOF_BUNDLE_FORMAT,
  type ProofBundle,
  ProofBundleSchema,
  type ProofRecordKind,
  type ProofStatus,
  type SignedHeader,
  type TransactionProof,
} from '../proof/proof-bundle.js';
import {
  ANCHOR_WRITERS,
  anchorId,
  isObject,
  parseJson,
  REVOKE_FUNCTION,
  revocationWritten,
} from '../proof/transaction-writers.js';
import { findMilestoneRevocation } from '../proof/milestone-revocation-evidence.js';
import { type Certificate, parseCertificate } from '../proof/x509.js';
import { headerSignedBy, previousLinkCheck } from './block-rules.js';
import { trustOfConfig } from './channel-trust.js';
import { type Check, checkOf, passed } from './check.js';
import { cryptoSuite } from './crypto-suite.js';
import { recordNamespaceChecks } from './namespace-rules.js';
import { recordOpeningCheck } from './record-rules.js';
import { certificateIssuedBy, certificateOf } from './identity-rules.js';
import { runSync } from './rule.js';
import {
  embeddedEndorserTransaction,
  embeddedSignedParts,
  type TransactionVerdict,
} from './transaction-rules.js';

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
  readonly status: ProofStatus;
  readonly checks: readonly ProofCheck[];
  readonly record?: {
    readonly kind: ProofRecordKind;
    readonly id: string;
    readonly region?: string;
    readonly commitment?: string;
    readonly matchedBy?: 'commitment' | 'document' | 'record';
  };
  readonly anchoredAt?: { readonly txId: string; readonly blockNumber: number; readonly timestamp: string };
  readonly creator?: ProofIdentity;
  readonly endorsedBy: readonly ProofIdentity[];
  /** A certificate's `revokedAt`, or the decision time of the REVOKED milestone that revokes a milestone. */
  readonly revokedAt?: string;
  /** The revocation transaction, and for a milestone the REVOKED milestone it recorded. */
  readonly revokedBy?: { readonly txId: string; readonly milestone?: string };
  readonly genesisHash?: string;
  readonly head?: { readonly number: number; readonly hash: string };
  /** The organisations' CA certificates the bundle's signatures chain to. */
  readonly trust: readonly { readonly mspId: string; readonly caFingerprint: string }[];
}

export interface VerifyProofOptions {
  /** Refuse the bundle unless its genesis block has this hash (the ledger's identity). */
  readonly trustedGenesisHash?: string;
  /** Refuse the bundle unless every organisation CA it uses has one of these fingerprints. */
  readonly trustedCaFingerprints?: readonly string[];
  /** When to judge a certificate's validity window (default: now). */
  readonly now?: Date;
}

/** Checks that are about the record's content rather than the ledger: failing them means `tampered`. */
const TAMPER_CHECKS = new Set(['record.opening', 'query.match']);

class Checks {
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

interface Trust {
  readonly config: ChannelConfigJson;
  /** The core's trust anchors of the same configuration. */
  readonly channel: ReturnType<typeof trustOfConfig>;
  readonly orderer: Certificate;
  readonly cas: ReadonlyMap<string, Certificate>;
  readonly genesisHash: string;
}

interface VerifiedTransaction {
  readonly tx: EndorserTransactionJson;
  readonly creator: ProofIdentity;
  readonly endorsedBy: ProofIdentity[];
  readonly response: unknown;
  readonly timestamp: Date;
}

/** Checks a proof bundle (parsed JSON) offline; never throws. */
export function verifyProofBundle(input: unknown, options: VerifyProofOptions = {}): ProofVerdict {
  const checks = new Checks();
  const parsed = ProofBundleSchema.safeParse(input);
  if (!parsed.success) {
    checks.add('bundle.format', false, formatError(parsed.error));
    return { ok: false, status: 'invalid', checks: checks.list, endorsedBy: [], trust: [] };
  }
  checks.add('bundle.format', true, PROOF_BUNDLE_FORMAT);
  try {
    return verifyParsed(parsed.data, options, checks);
  } catch (error) {
    checks.add('bundle.structure', false, error instanceof Error ? error.message : String(error));
    return { ok: false, status: 'invalid', checks: checks.list, endorsedBy: [], trust: [] };
  }
}

function verifyParsed(bundle: ProofBundle, options: VerifyProofOptions, checks: Checks): ProofVerdict {
  const trust = verifyGenesis(bundle, options, checks);
  const trustList = trust
    ? [...trust.cas].map(([mspId, ca]) => ({ mspId, caFingerprint: ca.fingerprint }))
    : [];
  if (!trust) return { ok: false, status: 'invalid', checks: checks.list, endorsedBy: [], trust: trustList };
  const headers = verifyChain(bundle.chain, trust, checks);
  const anchored = verifyTransaction('transaction', bundle.transaction, headers, trust, checks);
  const record = anchored && verifyRecord(bundle, anchored, checks);
  const revocation = verifyRevocation(bundle, headers, trust, checks);
  const revokedAt = revocation?.at;
  const expired = !revokedAt && isExpired(bundle, options.now ?? new Date());
  const last = bundle.chain[bundle.chain.length - 1] as SignedHeader;
  return {
    ok: checks.ok,
    status: statusOf(checks, revokedAt, expired),
    checks: checks.list,
    ...(record ? { record } : {}),
    ...(anchored ? anchoredFields(bundle.transaction, anchored) : { endorsedBy: [] }),
    ...(revocation ? { revokedAt: revocation.at, revokedBy: revocation.by } : {}),
    genesisHash: trust.genesisHash,
    head: { number: last.number, hash: blockHash(last) },
    trust: trustList,
  };
}

function statusOf(checks: Checks, revokedAt: string | undefined, expired: boolean): ProofStatus {
  if (checks.invalid) return 'invalid';
  if (checks.tampered) return 'tampered';
  if (revokedAt) return 'revoked';
  return expired ? 'expired' : 'valid';
}

function anchoredFields(
  proof: TransactionProof,
  verified: VerifiedTransaction,
): Pick<ProofVerdict, 'anchoredAt' | 'creator' | 'endorsedBy'> {
  return {
    anchoredAt: {
      txId: proof.txId,
      blockNumber: proof.blockNumber,
      timestamp: verified.timestamp.toISOString(),
    },
    creator: verified.creator,
    endorsedBy: verified.endorsedBy,
  };
}

// ---------------------------------------------------------------------------------------------- genesis

function verifyGenesis(bundle: ProofBundle, options: VerifyProofOptions, checks: Checks): Trust | undefined {
  const { header, configEnvelope } = bundle.ledger.genesis;
  const configTx = parseConfigTransaction(configEnvelope);
  checks.add(
    'genesis.config',
    configTx !== undefined,
    configTx
      ? 'channel configuration is canonical and matches its id'
      : 'the genesis configuration is not a canonical config transaction',
  );
  if (!configTx) return undefined;
  const expectedDataHash = bytesToHex(merkleRoot([utf8Encode(configEnvelope)]));
  const headerOk =
    header.number === 0 && header.previousHash === ZERO_HASH && header.dataHash === expectedDataHash;
  checks.add(
    'genesis.header',
    headerOk,
    headerOk ? 'block 0 holds exactly the configuration' : 'block 0 header does not match the configuration',
  );
  const trust = trustOf(configTx.config, blockHash(header), checks);
  if (!trust) return undefined;
  checks.add(
    'genesis.signature',
    signedByOrderer(header, trust),
    'block 0 is signed by the configured orderer',
  );
  pinChecks(trust, options, checks);
  return trust;
}

function parseConfigTransaction(text: string): ConfigTransactionJson | undefined {
  const tx = parseJson(text);
  if (!isObject(tx) || tx.type !== 'config' || canonicalize(tx) !== text) return undefined;
  const config = tx as unknown as ConfigTransactionJson;
  return config.txId === configTransactionId(config.config) ? config : undefined;
}

function trustOf(config: ChannelConfigJson, genesisHash: string, checks: Checks): Trust | undefined {
  try {
    parseCertificate(config.orderer.caCertificate); // an unreadable CA is genesis.certificates, below
    const orderer = parseCertificate(config.orderer.certificate);
    const cas = new Map(config.organisations.map((o) => [o.mspId, parseCertificate(o.caCertificate)]));
    const issued = runSync(
      certificateIssuedBy('genesis.orderer', config.orderer.certificate, config.orderer.caCertificate),
      cryptoSuite(),
    );
    const ok = passed(issued) && orderer.organisationalUnits.includes('orderer');
    checks.add(
      'genesis.orderer',
      ok,
      ok ? `orderer ${orderer.subject}` : 'the orderer certificate is not issued by the orderer CA',
    );
    return ok ? { config, channel: trustOfConfig(config), orderer, cas, genesisHash } : undefined;
  } catch (error) {
    checks.add(
      'genesis.certificates',
      false,
      error instanceof Error ? error.message : 'unreadable certificate',
    );
    return undefined;
  }
}

function pinChecks(trust: Trust, options: VerifyProofOptions, checks: Checks): void {
  if (options.trustedGenesisHash !== undefined) {
    const ok = options.trustedGenesisHash.toLowerCase() === trust.genesisHash;
    checks.add(
      'trust.genesis',
      ok,
      ok
        ? 'genesis hash is the pinned one'
        : `genesis hash ${trust.genesisHash} is not the pinned ${options.trustedGenesisHash}`,
    );
  }
  if (options.trustedCaFingerprints !== undefined) {
    const pinned = new Set(options.trustedCaFingerprints.map((f) => f.toLowerCase().replace(/:/g, '')));
    const unknown = [...trust.cas].filter(([, ca]) => !pinned.has(ca.fingerprint)).map(([mspId]) => mspId);
    checks.add(
      'trust.cas',
      unknown.length === 0,
      unknown.length === 0 ? 'every CA is pinned' : `CAs not pinned: ${unknown.join(', ')}`,
    );
  }
}

function signedByOrderer(header: SignedHeader, trust: Trust): boolean {
  const rule = headerSignedBy(
    'block.ordererSignature',
    header,
    trust.config.orderer.certificate,
    header.signature,
  );
  return passed(runSync(rule, cryptoSuite()));
}

// ------------------------------------------------------------------------------------------------ chain

function verifyChain(
  chain: readonly SignedHeader[],
  trust: Trust,
  checks: Checks,
): Map<number, SignedHeader> {
  const unsigned = chain.filter((h) => !signedByOrderer(h, trust)).map((h) => h.number);
  checks.add(
    'chain.signatures',
    unsigned.length === 0,
    unsigned.length === 0
      ? `${chain.length} block header(s) signed by the orderer`
      : `bad orderer signature on block(s) ${unsigned.join(', ')}`,
  );
  const broken = chain.findIndex((h, i) => i > 0 && !linked(chain[i - 1] as SignedHeader, h));
  const first = chain[0] as SignedHeader;
  const genesisLinked = first.number !== 1 || first.previousHash === trust.genesisHash;
  const ok = broken === -1 && genesisLinked && first.number > 0;
  checks.add(
    'chain.links',
    ok,
    ok
      ? `blocks ${first.number}..${first.number + chain.length - 1} are chained by hash`
      : `the header chain is broken${broken > 0 ? ` at block ${chain[broken]?.number}` : ''}`,
  );
  return new Map(chain.map((h) => [h.number, h]));
}

function linked(previous: SignedHeader, next: SignedHeader): boolean {
  return passed(previousLinkCheck(next, previous, 'embedded'));
}

// ------------------------------------------------------------------------------------------ transaction

function verifyTransaction(
  name: string,
  proof: TransactionProof,
  headers: ReadonlyMap<number, SignedHeader>,
  trust: Trust,
  checks: Checks,
): VerifiedTransaction | undefined {
  const included = isIncluded(proof, headers.get(proof.blockNumber));
  checks.add(
    `${name}.inclusion`,
    included,
    included
      ? `transaction ${proof.txIndex + 1} of ${proof.inclusion.treeSize} in block ${proof.blockNumber}`
      : `the transaction is not in block ${proof.blockNumber} of the chain`,
  );
  checks.add(
    `${name}.validation`,
    proof.validationCode === 'VALID',
    `the committing peer marked it ${proof.validationCode}`,
  );
  const tx = parseEndorserTransaction(proof);
  checks.add(
    `${name}.envelope`,
    tx !== undefined,
    tx
      ? `endorser transaction ${proof.txId}`
      : 'the envelope is not the canonical endorser transaction named',
  );
  if (!tx) return undefined;
  const verdict = transactionVerdict(tx, trust);
  const creator = verifyCreator(name, tx, verdict, checks);
  const endorsedBy = verifyEndorsements(name, tx, verdict, checks);
  const response = responseOf(name, tx, checks);
  if (!creator) return undefined;
  return { tx, creator, endorsedBy, response, timestamp: timestampDate(tx.proposal.timestamp) };
}

function isIncluded(proof: TransactionProof, header: SignedHeader | undefined): boolean {
  if (!header) return false;
  const path = proof.inclusion.path.map(hexToBytes);
  const leaf = utf8Encode(proof.envelope);
  return verifyInclusion(leaf, proof.txIndex, proof.inclusion.treeSize, path, hexToBytes(header.dataHash));
}

function parseEndorserTransaction(proof: TransactionProof): EndorserTransactionJson | undefined {
  const tx = parseJson(proof.envelope);
  if (!isObject(tx) || tx.type !== 'endorser' || canonicalize(tx) !== proof.envelope) return undefined;
  const endorser = tx as unknown as EndorserTransactionJson;
  return isObject(endorser.proposal) && endorser.proposal.txId === proof.txId ? endorser : undefined;
}

/** The core's rules for the transaction, the creator's certificate also valid when it proposed. */
function transactionVerdict(tx: EndorserTransactionJson, trust: Trust): TransactionVerdict {
  const rule = embeddedEndorserTransaction(embeddedSignedParts(tx), tx.proposal.txId, trust.channel, {
    creatorValidAtProposal: true,
  });
  return runSync(rule, cryptoSuite());
}

function identityOf(mspId: string, pem: string): ProofIdentity {
  const certificate = certificateOf(pem);
  return { mspId, subject: certificate.subject, fingerprint: certificate.fingerprint };
}

function verifyCreator(
  name: string,
  tx: EndorserTransactionJson,
  verdict: TransactionVerdict,
  checks: Checks,
): ProofIdentity | undefined {
  const { creator } = tx.proposal;
  const ok = passed(verdict.txIdCheck) && passed(verdict.creatorSignature);
  const identity = ok ? identityOf(creator.mspId, creator.certificate) : undefined;
  checks.add(
    `${name}.creator`,
    ok,
    identity
      ? `proposed by ${creator.mspId} (${identity.subject})`
      : `the creator's certificate, signature or transaction id does not verify (${creator.mspId})`,
  );
  return identity;
}

/** Every endorsement must verify and be a peer's (NodeOU `peer`). */
function verifyEndorsements(
  name: string,
  tx: EndorserTransactionJson,
  verdict: TransactionVerdict,
  checks: Checks,
): ProofIdentity[] {
  const valid = verdict.endorsements
    .filter((e) => e.check.status === 'verified' && e.role === 'peer')
    .map((e) => identityOf(e.mspId, e.certificate));
  const ok = valid.length > 0 && valid.length === tx.endorsements.length;
  checks.add(
    `${name}.endorsements`,
    ok,
    ok
      ? `endorsed by ${valid.map((v) => v.mspId).join(', ')}`
      : `${tx.endorsements.length - valid.length} of ${tx.endorsements.length} endorsement(s) do not verify`,
  );
  return valid;
}

function responseOf(name: string, tx: EndorserTransactionJson, checks: Checks): unknown {
  const ok = tx.response.status === 200;
  checks.add(
    `${name}.response`,
    ok,
    ok ? 'the chaincode accepted it (status 200)' : `chaincode status ${tx.response.status}`,
  );
  return parseJson(new TextDecoder().decode(base64ToBytes(tx.response.payload)));
}

// ----------------------------------------------------------------------------------------------- record

function verifyRecord(
  bundle: ProofBundle,
  verified: VerifiedTransaction,
  checks: Checks,
): ProofVerdict['record'] {
  const { kind, id, anchor } = bundle.record;
  const region = typeof anchor.region === 'string' ? anchor.region : undefined;
  const commitment = typeof anchor.commitment === 'string' ? anchor.commitment : undefined;
  verifyAnchorWritten(bundle, verified, checks);
  verifyRegion(region, verified, checks);
  verifyOpening(bundle, commitment, checks);
  const matchedBy = verifyQuery(bundle, commitment, checks);
  return {
    kind,
    id,
    ...(region ? { region } : {}),
    ...(commitment ? { commitment } : {}),
    ...(matchedBy ? { matchedBy } : {}),
  };
}

function verifyAnchorWritten(bundle: ProofBundle, verified: VerifiedTransaction, checks: Checks): void {
  const { kind, id, anchor } = bundle.record;
  const writer = ANCHOR_WRITERS[verified.tx.proposal.function];
  const submitted =
    writer?.kind === kind &&
    anchorId(kind, anchor) === id &&
    writer
      .anchors(verified.tx.proposal.args)
      .some((a) => anchorId(kind, a) === id && canonicalize(a) === canonicalize(anchor));
  checks.add(
    'record.anchor',
    submitted,
    submitted
      ? `${verified.tx.proposal.function} submitted ${kind} ${id} exactly as given`
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
  const namespace = verified.tx.proposal.chaincode;
  if (!chaincodeDefinition(namespace)) return;
  if (region === undefined || !(region in REGIONS)) return;
  const endorsers = verified.endorsedBy.map((e) => ({ mspId: e.mspId, role: 'peer' as const }));
  for (const check of recordNamespaceChecks(
    { region: region as RegionCode, kind: 'record' },
    { namespace, endorsers },
  ))
    checks.push(check);
}

function verifyOpening(bundle: ProofBundle, commitment: string | undefined, checks: Checks): void {
  const opening = bundle.record.opening;
  if (opening) checks.push(recordOpeningCheck(opening.record, opening.salt, commitment));
}

function verifyQuery(
  bundle: ProofBundle,
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

// ------------------------------------------------------------------------------------------- revocation

function verifyRevocation(
  bundle: ProofBundle,
  headers: ReadonlyMap<number, SignedHeader>,
  trust: Trust,
  checks: Checks,
): Revocation | undefined {
  const proof = bundle.revocation?.transaction;
  if (!proof) return undefined;
  const verified = verifyTransaction('revocation', proof, headers, trust, checks);
  if (!verified) return undefined;
  return bundle.record.kind === 'milestone'
    ? milestoneRevocation(bundle, verified, proof.txId, checks)
    : certificateRevocation(bundle, verified, proof.txId, checks);
}

interface Revocation {
  readonly at: string;
  readonly by: NonNullable<ProofVerdict['revokedBy']>;
}

function certificateRevocation(
  bundle: ProofBundle,
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
function revokedAtOf(bundle: ProofBundle, verified: VerifiedTransaction, txId: string): string | undefined {
  const { proposal } = verified.tx;
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
function milestoneRevocation(
  bundle: ProofBundle,
  verified: VerifiedTransaction,
  txId: string,
  checks: Checks,
): Revocation | undefined {
  const finding = findMilestoneRevocation(bundle.record.anchor, verified.tx, txId);
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

function mspOfRegion(region: unknown): string | undefined {
  return typeof region === 'string' && region in REGIONS ? REGIONS[region as RegionCode].mspId : undefined;
}

function isExpired(bundle: ProofBundle, now: Date): boolean {
  const until = bundle.record.kind === 'certificate' ? bundle.record.anchor.validUntil : undefined;
  return typeof until === 'string' && Date.parse(until) <= now.getTime();
}

function formatError(error: {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(bundle)'}: ${i.message}`)
    .join('; ');
}
