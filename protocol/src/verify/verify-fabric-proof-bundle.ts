/**
 * Offline verification of a Fabric proof bundle (`approval-ledger/fabric-proof@1`), by the same block and
 * transaction rules `ledger verify-chain` runs on Fabric, from genuine Fabric bytes:
 *
 *   genesis block (pinned by its header hash) ─► its configuration: organisations' CAs, BlockValidation
 *     └─► later configuration blocks, each signed under the configuration before it
 *   anchoring block ─► data hash over all its envelopes, orderer signatures satisfying BlockValidation of the
 *     configuration its LAST_CONFIG names, one validation code per envelope
 *     └─► the record's envelope: id, creator and endorsement signatures against the configuration's CAs,
 *         the endorsement policy (pluggable: by default a peer of the record's region), its recorded VALID
 *         re-derived where the block decides it (same-block MVCC and validation-parameter conflicts)
 *         └─► the record: the transaction submitted this anchor and wrote it; opening; query
 *   later headers ─► linked by previous hash to the anchoring block, each signed under BlockValidation
 *
 * Written as a rule (`rule.ts`), so it runs synchronously (Node, the CLI) or with WebCrypto (the explorer).
 */
import { base64ToBytes, bytesToBase64 } from '../proof/base64.js';
import { hexToBytes } from '../bytes.js';
import {
  decodeFabricBlock,
  decodeFabricBlockSignatures,
  fabricBlockHash,
} from '../block-format/fabric-block.js';
import { decodeFabricEnvelope, type FabricEnvelope } from '../block-format/fabric-envelope.js';
import { type FabricActionEffect } from '../block-format/fabric-transaction.js';
import {
  FABRIC_PROOF_BUNDLE_FORMAT,
  type FabricProofBundle,
  FabricProofBundleSchema,
  type FabricSignedHeader,
  type FabricTransactionProof,
} from '../proof/proof-bundle.js';
import { parseJson } from '../proof/transaction-writers.js';
import { isValidAt } from '../proof/x509.js';
import { REGIONS, type RegionCode } from '../registries/regions.js';
import { BLOCK_CHECKS, fabricBlockValidation } from './block-rules.js';
import { type ChannelTrust } from './channel-trust.js';
import { type Check, checkOf, failed, passed, renamed, unchecked, verified } from './check.js';
import { type PolicyEndorser } from './endorsement-policy.js';
import {
  FabricChainWalker,
  type FabricBlockVerdict,
  type FabricTransactionResult,
} from './fabric-block-rules.js';
import { certificateOf } from './identity-rules.js';
import {
  Checks,
  certificateRevocation,
  formatError,
  identityOf,
  isExpired,
  milestoneRevocation,
  type ProofIdentity,
  type ProofVerdict,
  type Revocation,
  statusOf,
  type VerifiedTransaction,
  type VerifyProofOptions,
  verifyRecord,
} from './proof-checks.js';
import { allOf, type Rule } from './rule.js';
import { policyEndorsers, TRANSACTION_CHECKS } from './transaction-rules.js';

/**
 * The endorsement policy the anchoring transaction must satisfy, given the record's region and the endorsers
 * whose signatures verified (`transaction.policy`). Pluggable: per-region namespaces may name another rule.
 */
export type RecordEndorsementPolicy = (
  region: string | undefined,
  endorsers: readonly PolicyEndorser[],
) => Check;

/** The default: a peer of the record's region's organisation endorsed it (its key-level policy). */
export const regionPeerEndorsed: RecordEndorsementPolicy = (region, endorsers) => {
  const mspId = region !== undefined && region in REGIONS ? REGIONS[region as RegionCode].mspId : undefined;
  if (mspId === undefined)
    return failed(TRANSACTION_CHECKS.policy, `the record names no known region (${String(region)})`);
  return checkOf(
    TRANSACTION_CHECKS.policy,
    endorsers.some((e) => e.mspId === mspId && e.role === 'peer'),
    `a peer of ${mspId}, the record's region ${region}, endorsed it`,
    `no peer of ${mspId}, the record's region ${region}, endorsed it (endorsers: ${endorsers.map((e) => `${e.mspId} ${e.role}`).join(', ') || 'none'})`,
  );
};

export interface FabricVerifyOptions extends VerifyProofOptions {
  readonly endorsementPolicy?: RecordEndorsementPolicy;
}

interface Trusted {
  /** The configuration of the last configuration block the bundle carries. */
  readonly trust: ChannelTrust;
  /** Every configuration the bundle carries, by its configuration block's number. */
  readonly byConfigBlock: ReadonlyMap<number, ChannelTrust>;
  readonly genesisHash: string;
}

interface AnchoredTransaction {
  readonly verified: VerifiedTransaction;
  readonly blockHash: string;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const INVALID = (checks: Checks, trust: ProofVerdict['trust'] = []): ProofVerdict => ({
  ok: false,
  status: 'invalid',
  checks: checks.list,
  endorsedBy: [],
  trust,
});

/** Checks a Fabric proof bundle (parsed JSON) as a rule; never throws. */
export function* fabricProofBundleRule(
  input: unknown,
  options: FabricVerifyOptions = {},
): Rule<ProofVerdict> {
  const checks = new Checks();
  const parsed = FabricProofBundleSchema.safeParse(input);
  if (!parsed.success) {
    checks.add('bundle.format', false, formatError(parsed.error));
    return INVALID(checks);
  }
  checks.add('bundle.format', true, FABRIC_PROOF_BUNDLE_FORMAT);
  try {
    return yield* verifyParsed(parsed.data, options, checks);
  } catch (error) {
    checks.add('bundle.structure', false, errorText(error));
    return INVALID(checks);
  }
}

function* verifyParsed(
  bundle: FabricProofBundle,
  options: FabricVerifyOptions,
  checks: Checks,
): Rule<ProofVerdict> {
  const trusted = yield* verifyConfiguration(bundle, options, checks);
  if (!trusted) return INVALID(checks);
  const { anchored, revoked } = yield* verifyTransactions(bundle, trusted, options, checks);
  const head = anchored ? yield* verifyChain(bundle, anchored.blockHash, trusted, checks) : undefined;
  const record = anchored
    ? verifyRecord(bundle, anchored.verified, checks, { accepted: options.acceptedSuites })
    : undefined;
  const revocation = revocationOf(bundle, revoked, checks);
  const expired = !revocation && isExpired(bundle, options.now ?? new Date());
  return {
    ok: checks.ok,
    status: statusOf(checks, revocation?.at, expired),
    checks: checks.list,
    ...(record ? { record } : {}),
    ...anchoredFields(bundle, anchored),
    ...(revocation ? { revokedAt: revocation.at, revokedBy: revocation.by } : {}),
    genesisHash: trusted.genesisHash,
    ...(head ? { head } : {}),
    trust: [...trusted.trust.caByMspId].map(([mspId, pem]) => ({
      mspId,
      caFingerprint: certificateOf(pem).fingerprint,
    })),
  };
}

function* verifyTransactions(
  bundle: FabricProofBundle,
  trust: Trusted,
  options: FabricVerifyOptions,
  checks: Checks,
): Rule<{ anchored?: AnchoredTransaction; revoked?: AnchoredTransaction }> {
  const policy = options.endorsementPolicy ?? regionPeerEndorsed;
  const region = typeof bundle.record.anchor.region === 'string' ? bundle.record.anchor.region : undefined;
  const anchored = yield* verifyTransaction('transaction', bundle.transaction, trust, checks, (e) =>
    policy(region, e),
  );
  const revoked = bundle.revocation
    ? yield* verifyTransaction('revocation', bundle.revocation.transaction, trust, checks)
    : undefined;
  return { ...(anchored ? { anchored } : {}), ...(revoked ? { revoked } : {}) };
}

function anchoredFields(
  bundle: FabricProofBundle,
  anchored: AnchoredTransaction | undefined,
): Pick<ProofVerdict, 'anchoredAt' | 'creator' | 'endorsedBy'> {
  if (!anchored) return { endorsedBy: [] };
  return {
    anchoredAt: {
      txId: bundle.transaction.txId,
      blockNumber: bundle.transaction.blockNumber,
      blockHash: anchored.blockHash,
      timestamp: anchored.verified.timestamp.toISOString(),
    },
    creator: anchored.verified.creator,
    endorsedBy: anchored.verified.endorsedBy,
  };
}

function revocationOf(
  bundle: FabricProofBundle,
  revoked: AnchoredTransaction | undefined,
  checks: Checks,
): Revocation | undefined {
  if (!revoked) return undefined;
  const { verified } = revoked;
  const txId = bundle.revocation?.transaction.txId ?? '';
  return bundle.record.kind === 'milestone'
    ? milestoneRevocation(bundle, verified, txId, checks)
    : certificateRevocation(bundle, verified, txId, checks);
}

// ------------------------------------------------------------------------------------------ configuration

/** Block 0 establishes the trust; each later configuration block must verify under the one before. */
function* verifyConfiguration(
  bundle: FabricProofBundle,
  options: FabricVerifyOptions,
  checks: Checks,
): Rule<Trusted | undefined> {
  const [genesisText, ...updates] = bundle.ledger.configBlocks;
  const walker = new FabricChainWalker();
  const genesis = yield* walker.next(base64ToBytes(genesisText ?? ''));
  const trust = walker.trust;
  const ok = genesis.number === 0 && genesis.ok && trust !== undefined;
  checks.add(
    'genesis.config',
    ok,
    ok
      ? `block 0 of channel ${bundle.ledger.channel}: ${[...trust.caByMspId.keys()].join(', ')}`
      : `configBlocks[0] is not a readable Fabric genesis block: ${firstFailure(genesis)}`,
  );
  if (!ok) return undefined;
  pinChecks(genesis.hash, trust, options, checks);
  const byConfigBlock = yield* configUpdates(walker, trust, updates, checks);
  const latest = byConfigBlock && [...byConfigBlock.values()].at(-1);
  return byConfigBlock && latest ? { trust: latest, byConfigBlock, genesisHash: genesis.hash } : undefined;
}

/** Each later configuration block, in order, under the one before; undefined at the first that fails. */
function* configUpdates(
  walker: FabricChainWalker,
  genesis: ChannelTrust,
  updates: readonly string[],
  checks: Checks,
): Rule<Map<number, ChannelTrust> | undefined> {
  const byConfigBlock = new Map<number, ChannelTrust>([[0, genesis]]);
  let inForce = genesis;
  for (const [i, text] of updates.entries()) {
    const installed = yield* configUpdate(walker, inForce, base64ToBytes(text), i + 1, checks);
    if (!installed?.configBlock) return undefined;
    byConfigBlock.set(installed.configBlock.number, installed);
    inForce = installed;
  }
  return byConfigBlock;
}

/** A later configuration block, verified under the configuration before it; the configuration it installs. */
function* configUpdate(
  walker: FabricChainWalker,
  inForce: ChannelTrust,
  bytes: Uint8Array,
  index: number,
  checks: Checks,
): Rule<ChannelTrust | undefined> {
  walker.startWith(inForce);
  const update = yield* walker.next(bytes);
  const installed = update.installs;
  checks.add(
    'config.update',
    installed !== undefined,
    installed
      ? `configuration block ${update.number} signed under block ${inForce.configBlock?.number ?? '?'}'s BlockValidation`
      : `configBlocks[${index}] (block ${update.number}) is not a configuration block signed under the one before: ${firstFailure(update)}`,
  );
  return installed;
}

/** Why a block did not verify: its first failed check, else its first one not made (never the unchecked link). */
function firstFailure(verdict: FabricBlockVerdict): string {
  const all = [
    ...verdict.checks,
    ...verdict.transactions.flatMap((t) => [t.code, t.verdict.creatorSignature, t.verdict.endorsementSet]),
  ].filter((c) => !passed(c) && !(c.name === BLOCK_CHECKS.previousLink && c.status === 'unchecked'));
  const check = all.find((c) => c.status === 'failed') ?? all[0];
  return check ? `${check.name}: ${check.detail ?? check.status}` : 'no configuration in it';
}

function pinChecks(
  genesisHash: string,
  trust: ChannelTrust,
  options: VerifyProofOptions,
  checks: Checks,
): void {
  if (options.trustedGenesisHash !== undefined) {
    const ok = options.trustedGenesisHash.toLowerCase() === genesisHash;
    checks.add(
      'trust.genesis',
      ok,
      ok
        ? 'genesis hash is the pinned one'
        : `genesis hash ${genesisHash} is not the pinned ${options.trustedGenesisHash}`,
    );
  }
  if (options.trustedCaFingerprints !== undefined) {
    const pinned = new Set(options.trustedCaFingerprints.map((f) => f.toLowerCase().replace(/:/g, '')));
    const unknown = [...trust.caByMspId]
      .filter(([, pem]) => !pinned.has(certificateOf(pem).fingerprint))
      .map(([mspId]) => mspId);
    checks.add(
      'trust.cas',
      unknown.length === 0,
      unknown.length === 0 ? 'every CA is pinned' : `CAs not pinned: ${unknown.join(', ')}`,
    );
  }
}

// -------------------------------------------------------------------------------------------- transaction

/** Block checks reported for a bundle (the link is the chain's concern: the block is verified on its own). */
const REPORTED_BLOCK_CHECKS = new Set<string>([
  BLOCK_CHECKS.dataHash,
  BLOCK_CHECKS.ordererSignature,
  BLOCK_CHECKS.validationPolicy,
  'block.lastConfig',
  'block.transactionsFilter',
  'block.format',
  'block.config',
]);

/**
 * The configuration a block is checked under: the one its LAST_CONFIG names (inside the signed metadata), when
 * the bundle carries it; else the last one carried (and `block.lastConfig` then says the block names another).
 */
function trustOfBlock(trusted: Trusted, lastConfigIndex: number | undefined): ChannelTrust {
  return (
    (lastConfigIndex === undefined ? undefined : trusted.byConfigBlock.get(lastConfigIndex)) ?? trusted.trust
  );
}

function lastConfigOf(bytes: Uint8Array): number | undefined {
  try {
    return decodeFabricBlock(bytes).signatures.lastConfigIndex;
  } catch {
    return undefined; // the block rules report the unreadable block
  }
}

function* verifyTransaction(
  name: 'transaction' | 'revocation',
  proof: FabricTransactionProof,
  trusted: Trusted,
  checks: Checks,
  policy?: (endorsers: readonly PolicyEndorser[]) => Check,
): Rule<AnchoredTransaction | undefined> {
  const bytes = base64ToBytes(proof.block);
  const walker = new FabricChainWalker();
  walker.startWith(trustOfBlock(trusted, lastConfigOf(bytes)));
  const block = yield* walker.next(bytes);
  const prefix = (check: Check): Check =>
    name === 'transaction' ? check : renamed(check, `${name}.${check.name}`);
  for (const check of block.checks) if (REPORTED_BLOCK_CHECKS.has(check.name)) checks.push(prefix(check));
  const tx = block.transactions[proof.txIndex];
  const included = block.number === proof.blockNumber && tx !== undefined && tx.txId === proof.txId;
  checks.add(
    `${name}.inclusion`,
    included,
    included
      ? `transaction ${proof.txIndex + 1} of ${block.transactions.length} in block ${proof.blockNumber}`
      : `transaction ${proof.txId} is not entry ${proof.txIndex} of block ${proof.blockNumber} (the bundle's block is ${block.number})`,
  );
  if (!included) return undefined;
  checks.add(`${name}.validation`, tx.recorded === 'VALID', `the committing peer marked it ${tx.recorded}`);
  checks.push(renamed(tx.code, `${name}.validationCode`));
  const endorsers = policyEndorsers(tx.verdict);
  if (policy) checks.push(renamed(policy(endorsers), `${name}.policy`));
  const verifiedTx = transactionFacts(name, tx, checks);
  return verifiedTx ? { verified: verifiedTx, blockHash: block.hash } : undefined;
}

/** The creator of a transaction whose id and signature verified, valid when it proposed; or the failing check. */
function creatorOf(
  name: string,
  tx: FabricTransactionResult,
  envelope: FabricEnvelope,
): ProofIdentity | Check {
  const { verdict } = tx;
  const creator = envelope.creator;
  if (!passed(verdict.txIdCheck)) return renamed(verdict.txIdCheck, `${name}.creator`);
  if (!passed(verdict.creatorSignature) || !creator)
    return renamed(verdict.creatorSignature, `${name}.creator`);
  const at = timestampOf(envelope);
  if (!isValidAt(certificateOf(creator.certificate), at)) {
    return failed(`${name}.creator`, `the creator's certificate was not valid at ${at.toISOString()}`);
  }
  return identityOf(creator.mspId, creator.certificate);
}

/** The creator, endorsers, invocation, response and writes of a transaction whose signatures verified. */
function transactionFacts(
  name: string,
  tx: FabricTransactionResult,
  checks: Checks,
): VerifiedTransaction | undefined {
  const { verdict } = tx;
  checks.push(renamed(verdict.envelope, `${name}.envelope`));
  const envelope = decodeFabricEnvelope(tx.envelope);
  const creator = creatorOf(name, tx, envelope);
  checks.push(
    'status' in creator
      ? creator
      : verified(`${name}.creator`, `proposed by ${creator.mspId} (${creator.subject})`),
  );
  const endorsedBy: ProofIdentity[] = verdict.endorsements
    .filter((e) => e.check.status === 'verified' && e.role === 'peer')
    .map((e) => identityOf(e.mspId, e.certificate));
  checks.push(renamed(verdict.endorsementSet, `${name}.endorsements`));
  const [effect] = tx.effects;
  const status = effect?.response.status;
  checks.add(
    `${name}.response`,
    status === 200,
    status === 200 ? 'the chaincode accepted it (status 200)' : `chaincode status ${status ?? '(no action)'}`,
  );
  if (!effect || 'status' in creator) return undefined;
  return {
    chaincode: effect.invocation.chaincodeName,
    function: effect.invocation.function,
    args: effect.invocation.args,
    writes: writesOf(effect),
    creator,
    endorsedBy,
    response: parseJson(new TextDecoder().decode(effect.response.payload)),
    timestamp: timestampOf(envelope),
  };
}

function writesOf(effect: FabricActionEffect): VerifiedTransaction['writes'] {
  const namespace = effect.rwsets.find((ns) => ns.namespace === effect.invocation.chaincodeName);
  return (namespace?.written ?? []).map((w) => ({
    key: w.key,
    isDelete: w.isDelete,
    value: bytesToBase64(w.value),
  }));
}

function timestampOf(envelope: FabricEnvelope): Date {
  const ts = envelope.channelHeader.timestamp;
  return new Date(ts ? Number(ts.seconds) * 1000 + Math.floor(ts.nanos / 1e6) : 0);
}

// ------------------------------------------------------------------------------------------------ chain

/** The headers after the anchoring block: linked to it and each other, each signed under BlockValidation. */
function* verifyChain(
  bundle: FabricProofBundle,
  anchoringHash: string,
  trusted: Trusted,
  checks: Checks,
): Rule<{ number: number; hash: string }> {
  let previous = { number: bundle.transaction.blockNumber, hash: anchoringHash };
  if (bundle.chain.length === 0) return previous;
  let broken: string | undefined;
  for (const header of bundle.chain) {
    if (header.number !== previous.number + 1 || header.previousHash !== previous.hash) {
      broken ??= `block ${header.number} does not follow block ${previous.number} (hash ${previous.hash})`;
    }
    previous = { number: header.number, hash: fabricBlockHash(header) };
  }
  checks.add(
    'chain.links',
    broken === undefined,
    broken ?? `blocks ${bundle.transaction.blockNumber}..${previous.number} are chained by hash`,
  );
  const signed = yield* allOf(bundle.chain.map((h) => signedHeader(h, trusted)));
  const bad = signed.find((c) => !passed(c));
  checks.push(
    bad ??
      verified(
        'chain.signatures',
        `${bundle.chain.length} later block header(s) signed under BlockValidation`,
      ),
  );
  return previous;
}

function* signedHeader(header: FabricSignedHeader, trusted: Trusted): Rule<Check> {
  const name = 'chain.signatures';
  let metadata;
  try {
    metadata = decodeFabricBlockSignatures(base64ToBytes(header.signatures));
    hexToBytes(header.dataHash);
  } catch (error) {
    return failed(name, `block ${header.number}: the signatures could not be read: ${errorText(error)}`);
  }
  const trust = trusted.byConfigBlock.get(metadata.lastConfigIndex);
  if (!trust) {
    return unchecked(
      name,
      `block ${header.number} is under configuration block ${metadata.lastConfigIndex}, which the bundle does not carry`,
    );
  }
  const { signatures, policy } = yield* fabricBlockValidation(header, metadata, trust);
  const weakest = [signatures, policy].find((c) => !passed(c));
  return weakest
    ? { ...renamed(weakest, name), detail: `block ${header.number}: ${weakest.detail ?? weakest.status}` }
    : verified(name);
}
