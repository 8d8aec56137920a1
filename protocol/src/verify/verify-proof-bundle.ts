/**
 * Offline verification of a proof bundle (`approval-ledger/proof@1`; a v2 bundle's `evidence` is one, and
 * `verify-proof-bundle-v2.ts` adds the checkpoint, status and anchor layers). It trusts only what the bundle carries
 * (the genesis block's CA and orderer certificates) and, when given, the genesis hash or CA fingerprints the
 * caller pins. It needs no network, no Node API and no hub: the same code runs in the CLI and the browser.
 */
import { bytesToHex, hexToBytes, utf8Encode } from '../bytes.js';
import { canonicalize } from '../canonical-json.js';
import { merkleRoot, verifyInclusion } from '../merkle.js';
import { base64ToBytes } from '../proof/base64.js';
import {
  blockHash,
  type ChannelConfigJson,
  configTransactionId,
  suiteOfConfig,
  type ConfigTransactionJson,
  type EndorserTransactionJson,
  timestampDate,
  ZERO_HASH,
} from '../block-format/embedded-block.js';
import {
  FABRIC_PROOF_BUNDLE_FORMAT,
  PROOF_BUNDLE_FORMAT,
  PROOF_BUNDLE_V2_FORMAT,
  type ProofBundleV2,
  ProofBundleV2Schema,
  type ProofBundle,
  ProofBundleSchema,
  type SignedHeader,
  type TransactionProof,
} from '../proof/proof-bundle.js';
import { isObject, parseJson } from '../proof/transaction-writers.js';
import { type Certificate, parseCertificate } from '../proof/x509.js';
import { headerSignedBy, previousLinkCheck } from './block-rules.js';
import { trustOfConfig } from './channel-trust.js';
import { passed } from './check.js';
import { verifyV2Layers } from './verify-proof-bundle-v2.js';
import {
  type CryptoSuite,
  cryptoSuite,
  requireSuite,
  SuiteNotAcceptedError,
  type SuiteAlgorithms,
  verifierOf,
} from './crypto-suite.js';
import { fabricProofBundleRule, type FabricVerifyOptions } from './verify-fabric-proof-bundle.js';
import {
  type Assurance,
  type AssuranceLevel,
  Checks,
  type ProofIdentity,
  certificateRevocation,
  formatError,
  identityOf,
  isExpired,
  milestoneRevocation,
  type ProofVerdict,
  type Revocation,
  statusOf,
  type VerifiedTransaction,
  type VerifyProofOptions,
  verifyRecord,
} from './proof-checks.js';
import { certificateIssuedBy } from './identity-rules.js';
import { runAsync, runSync } from './rule.js';
import { statedVersion } from './version-rules.js';
import {
  embeddedEndorserTransaction,
  embeddedSignedParts,
  type TransactionVerdict,
} from './transaction-rules.js';

export {
  type Assurance,
  type AssuranceLevel,
  type ProofCheck,
  type ProofIdentity,
  type ProofVerdict,
  type TlogTrust,
  type VerifyProofOptions,
} from './proof-checks.js';

interface EmbeddedVerifiedTransaction extends VerifiedTransaction {
  readonly tx: EndorserTransactionJson;
}

interface Trust {
  /** The ledger's crypto suite (the bundle's and block 0's, which agree). */
  readonly suite: SuiteAlgorithms;
  readonly config: ChannelConfigJson;
  /** The core's trust anchors of the same configuration. */
  readonly channel: ReturnType<typeof trustOfConfig>;
  readonly orderer: Certificate;
  readonly cas: ReadonlyMap<string, Certificate>;
  readonly genesisHash: string;
}

function isFabricBundle(input: unknown): boolean {
  return isObject(input) && input.format === FABRIC_PROOF_BUNDLE_FORMAT;
}

/**
 * Checks a proof bundle (parsed JSON) of either engine offline, with the core's sync crypto suite; never
 * throws. A Fabric bundle (`approval-ledger/fabric-proof@1`) goes to `verify-fabric-proof-bundle.ts`.
 */
export function verifyProofBundle(input: unknown, options: FabricVerifyOptions = {}): ProofVerdict {
  const v2 = parseV2(input);
  if (v2 === undefined) return withPinning(verifyAnyBundle(input, options), options, input);
  if (!v2.success) return v2.verdict;
  return verifyV2Layers(
    v2.bundle,
    withPinning(verifyAnyBundle(v2.bundle.evidence, options), options, v2.bundle.evidence),
    options,
  );
}

type V2Parse =
  | { readonly success: true; readonly bundle: ProofBundleV2 }
  | { readonly success: false; readonly verdict: ProofVerdict };

/** A v2 bundle parsed, its refusal when malformed, or undefined for any other format. */
function parseV2(input: unknown): V2Parse | undefined {
  if (!isObject(input) || input.format !== PROOF_BUNDLE_V2_FORMAT) return undefined;
  const parsed = ProofBundleV2Schema.safeParse(input);
  const nested = parsed.success && parsed.data.evidence.format === PROOF_BUNDLE_V2_FORMAT;
  if (parsed.success && !nested) return { success: true, bundle: parsed.data };
  const detail = parsed.success
    ? 'evidence: a v2 bundle cannot nest another v2 bundle'
    : formatError(parsed.error);
  const checks = new Checks();
  checks.add('bundle.format', false, detail);
  return {
    success: false,
    verdict: { ok: false, status: 'invalid', checks: checks.list, endorsedBy: [], trust: [] },
  };
}

/**
 * Whether the verdict rests on anchors the caller pinned (genesis hash, CA fingerprints) or on nothing, and
 * what a v1 bundle proves: the ledger levels only (a v2 bundle adds its layers to this); the version it proves
 * and what the hub stated about it (`version-rules.ts`).
 */
function withPinning(verdict: ProofVerdict, options: VerifyProofOptions, input: unknown): ProofVerdict {
  return {
    ...verdict,
    ...statedVersion(input, verdict),
    pinned: {
      genesis: options.trustedGenesisHash !== undefined,
      cas: options.trustedCaFingerprints !== undefined,
    },
    assurance: v1Assurance(verdict),
  };
}

function v1Assurance(verdict: ProofVerdict): Assurance {
  const anchored = verdict.anchoredAt;
  const creator = verdict.creator;
  const recorded =
    anchored && creator
      ? `recorded by ${creator.mspId} (${creator.subject}) at ${anchored.timestamp}, transaction ${anchored.txId} in block ${anchored.blockNumber}`
      : 'the record is not established';
  const pinnedGenesis = verdict.checks.find((c) => c.name === 'trust.genesis');
  const notProven = (level: AssuranceLevel['level'], detail: string): AssuranceLevel => ({
    level,
    status: 'not-proven',
    detail,
  });
  return {
    bundle: 'v1',
    levels: [
      { level: 'ledger', status: verdict.ok ? 'proven' : 'failed', detail: recorded },
      pinnedGenesis
        ? {
            level: 'pinned-ledger',
            status: passed(pinnedGenesis) ? 'proven' : 'failed',
            detail: pinnedGenesis.detail ?? '',
          }
        : notProven('pinned-ledger', 'no genesis pinned: any ledger under the same names would pass'),
      notProven('checkpoint', 'a v1 bundle is not proven against a checkpoint of the transparency log'),
      notProven('witnessed', 'a v1 bundle carries no witness cosignatures'),
      notProven(
        'status',
        `a v1 bundle carries no status proof: a revocation after block ${verdict.head?.number ?? '?'} cannot be excluded`,
      ),
      notProven('public-anchor', 'a v1 bundle carries no public anchor'),
    ],
    statusProof: 'missing',
    summary: [recorded],
  };
}

function verifyAnyBundle(input: unknown, options: FabricVerifyOptions): ProofVerdict {
  if (isFabricBundle(input)) return runSync(fabricProofBundleRule(input, options), cryptoSuite());
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

/** The same with any crypto suite, e.g. the browser's WebCrypto (a Fabric bundle's signatures go to it). */
export async function verifyProofBundleAsync(
  input: unknown,
  suite: CryptoSuite,
  options: FabricVerifyOptions = {},
): Promise<ProofVerdict> {
  const v2 = parseV2(input);
  if (v2 && !v2.success) return v2.verdict;
  const evidence = v2 ? v2.bundle.evidence : input;
  const verdict = isFabricBundle(evidence)
    ? withPinning(await runAsync(fabricProofBundleRule(evidence, options), suite), options, evidence)
    : withPinning(verifyAnyBundle(evidence, options), options, evidence);
  return v2 ? verifyV2Layers(v2.bundle, verdict, options) : verdict;
}

function verifyParsed(bundle: ProofBundle, options: VerifyProofOptions, checks: Checks): ProofVerdict {
  const trust = verifyGenesis(bundle, options, checks);
  const trustList = trust
    ? [...trust.cas].map(([mspId, ca]) => ({ mspId, caFingerprint: ca.fingerprint }))
    : [];
  if (!trust) return { ok: false, status: 'invalid', checks: checks.list, endorsedBy: [], trust: trustList };
  const headers = verifyChain(bundle.chain, trust, checks);
  const anchored = verifyTransaction('transaction', bundle.transaction, headers, trust, checks);
  const record =
    anchored &&
    verifyRecord(bundle, anchored, checks, {
      accepted: options.acceptedSuites,
      embeddedLedger: trust.suite.name,
    });
  const revocation = verifyRevocation(bundle, headers, trust, checks);
  const revokedAt = revocation?.at;
  const expired = !revokedAt && isExpired(bundle, options.now ?? new Date());
  const last = bundle.chain[bundle.chain.length - 1] as SignedHeader;
  return {
    ok: checks.ok,
    status: statusOf(checks, revokedAt, expired),
    checks: checks.list,
    ...(record ? { record } : {}),
    ...(anchored
      ? anchoredFields(bundle.transaction, anchored, headers.get(bundle.transaction.blockNumber))
      : { endorsedBy: [] }),
    ...(revocation ? { revokedAt: revocation.at, revokedBy: revocation.by } : {}),
    genesisHash: trust.genesisHash,
    suite: trust.suite.name,
    head: { number: last.number, hash: blockHash(last, trust.suite) },
    trust: trustList,
  };
}

function anchoredFields(
  proof: TransactionProof,
  verified: EmbeddedVerifiedTransaction,
  block: SignedHeader | undefined,
): Pick<ProofVerdict, 'anchoredAt' | 'creator' | 'endorsedBy'> {
  return {
    anchoredAt: {
      txId: proof.txId,
      blockNumber: proof.blockNumber,
      ...(block ? { blockHash: blockHash(block) } : {}),
      timestamp: verified.timestamp.toISOString(),
    },
    creator: verified.creator,
    endorsedBy: verified.endorsedBy,
  };
}

// ---------------------------------------------------------------------------------------------- genesis

/** `bundle.suite`: the suite the bundle names, if the verifier accepts it. */
function bundleSuite(
  bundle: ProofBundle,
  options: VerifyProofOptions,
  checks: Checks,
): SuiteAlgorithms | undefined {
  try {
    const suite = requireSuite(bundle.ledger.suite, options.acceptedSuites ?? ['intl'], 'ledger.suite');
    checks.add('bundle.suite', true, `crypto suite ${suite.name}: ${suite.hash}, ${suite.signature}`);
    return suite;
  } catch (error) {
    if (!(error instanceof SuiteNotAcceptedError)) throw error;
    checks.add('bundle.suite', false, error.message);
    return undefined;
  }
}

function verifyGenesis(bundle: ProofBundle, options: VerifyProofOptions, checks: Checks): Trust | undefined {
  const suite = bundleSuite(bundle, options, checks);
  if (!suite) return undefined;
  const { header, configEnvelope } = bundle.ledger.genesis;
  const configTx = parseConfigTransaction(configEnvelope);
  checks.add(
    'genesis.config',
    configTx !== undefined,
    configTx
      ? 'channel configuration is canonical and matches its id'
      : 'the genesis configuration is not a canonical config transaction',
  );
  if (!configTx || !sameSuite(configTx.config, suite, checks)) return undefined;
  const expectedDataHash = bytesToHex(merkleRoot([utf8Encode(configEnvelope)], suite.digest));
  const headerOk =
    header.number === 0 && header.previousHash === ZERO_HASH && header.dataHash === expectedDataHash;
  checks.add(
    'genesis.header',
    headerOk,
    headerOk ? 'block 0 holds exactly the configuration' : 'block 0 header does not match the configuration',
  );
  const trust = trustOf(configTx.config, blockHash(header, suite), suite, checks);
  if (!trust) return undefined;
  const signed = signedByOrderer(header, trust);
  checks.add(
    'genesis.signature',
    signed,
    signed
      ? 'block 0 is signed by the orderer its configuration names'
      : 'block 0 is not signed by the orderer its configuration names',
  );
  pinChecks(trust, options, checks);
  return trust;
}

/** `genesis.suite`: block 0's configuration names the suite the bundle names. */
function sameSuite(config: ChannelConfigJson, suite: SuiteAlgorithms, checks: Checks): boolean {
  const named = suiteOfConfig(config);
  return checks.add(
    'genesis.suite',
    named === suite,
    named === suite
      ? `block 0 names the ${suite.name} suite`
      : `the bundle names the ${suite.name} suite, block 0 the ${named.name} suite`,
  );
}

function parseConfigTransaction(text: string): ConfigTransactionJson | undefined {
  const tx = parseJson(text);
  if (!isObject(tx) || tx.type !== 'config' || canonicalize(tx) !== text) return undefined;
  const config = tx as unknown as ConfigTransactionJson;
  try {
    return config.txId === configTransactionId(config.config) ? config : undefined;
  } catch {
    return undefined; // a configuration naming a suite this package does not know
  }
}

function trustOf(
  config: ChannelConfigJson,
  genesisHash: string,
  suite: SuiteAlgorithms,
  checks: Checks,
): Trust | undefined {
  try {
    parseCertificate(config.orderer.caCertificate); // an unreadable CA is genesis.certificates, below
    const orderer = parseCertificate(config.orderer.certificate);
    const cas = new Map(config.organisations.map((o) => [o.mspId, parseCertificate(o.caCertificate)]));
    const issued = runSync(
      certificateIssuedBy('genesis.orderer', config.orderer.certificate, config.orderer.caCertificate),
      verifierOf(suite),
    );
    const ok = passed(issued) && orderer.organisationalUnits.includes('orderer');
    checks.add(
      'genesis.orderer',
      ok,
      ok ? `orderer ${orderer.subject}` : 'the orderer certificate is not issued by the orderer CA',
    );
    return ok ? { suite, config, channel: trustOfConfig(config), orderer, cas, genesisHash } : undefined;
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
  return passed(runSync(rule, verifierOf(trust.suite)));
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
  const broken = chain.findIndex((h, i) => i > 0 && !linked(chain[i - 1] as SignedHeader, h, trust.suite));
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

function linked(previous: SignedHeader, next: SignedHeader, suite: SuiteAlgorithms): boolean {
  return passed(previousLinkCheck(next, previous, 'embedded', suite));
}

// ------------------------------------------------------------------------------------------ transaction

function verifyTransaction(
  name: string,
  proof: TransactionProof,
  headers: ReadonlyMap<number, SignedHeader>,
  trust: Trust,
  checks: Checks,
): EmbeddedVerifiedTransaction | undefined {
  const included = isIncluded(proof, headers.get(proof.blockNumber), trust.suite);
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
  return {
    tx,
    chaincode: tx.proposal.chaincode,
    function: tx.proposal.function,
    args: tx.proposal.args,
    writes: tx.rwset.writes,
    creator,
    endorsedBy,
    response,
    timestamp: timestampDate(tx.proposal.timestamp),
  };
}

function isIncluded(
  proof: TransactionProof,
  header: SignedHeader | undefined,
  suite: SuiteAlgorithms,
): boolean {
  if (!header) return false;
  const path = proof.inclusion.path.map(hexToBytes);
  const leaf = utf8Encode(proof.envelope);
  const root = hexToBytes(header.dataHash);
  return verifyInclusion(leaf, proof.txIndex, proof.inclusion.treeSize, path, root, suite.digest);
}

function parseEndorserTransaction(proof: TransactionProof): EndorserTransactionJson | undefined {
  const tx = parseJson(proof.envelope);
  if (!isObject(tx) || tx.type !== 'endorser' || canonicalize(tx) !== proof.envelope) return undefined;
  const endorser = tx as unknown as EndorserTransactionJson;
  return isObject(endorser.proposal) && endorser.proposal.txId === proof.txId ? endorser : undefined;
}

/** The core's rules for the transaction, the creator's certificate also valid when it proposed. */
function transactionVerdict(tx: EndorserTransactionJson, trust: Trust): TransactionVerdict {
  const rule = embeddedEndorserTransaction(
    embeddedSignedParts(tx, trust.suite),
    tx.proposal.txId,
    trust.channel,
    { creatorValidAtProposal: true },
  );
  return runSync(rule, verifierOf(trust.suite));
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
