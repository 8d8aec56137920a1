/**
 * The rules of a block, for both engines: its header hash, its link to the previous block, its data hash over
 * its envelopes, its orderer signature(s) and (embedded) its commit hash. Embedded blocks
 * (`approval-ledger/embedded-block@1`) hash canonical JSON headers, Merkle-root their envelopes and carry one
 * signature by the channel's orderer certificate over canonical(header); Fabric blocks hash the DER
 * `BlockHeaderBytes`, SHA-256 the concatenated envelopes, and every orderer signs `signedPrefix ‖ header bytes`.
 */
import { hexToBytes, utf8Encode } from '../bytes.js';
import {
  blockHash,
  type BlockHeaderJson,
  commitHash,
  dataHash,
  dataHashOfEnvelopes,
  headerText,
  ZERO_HASH,
} from '../block-format/embedded-block.js';
import { concatBytes } from '../block-format/der-writer.js';
import { fabricBlockHash, fabricBlockHeaderBytes, fabricDataHash } from '../block-format/fabric-block.js';
import { base64ToBytes } from '../proof/base64.js';
import { type FabricBlockHeader, type FabricBlockSignatures } from '../block-format/fabric-block.js';
import { type FabricPolicy } from '../block-format/fabric-envelope.js';
import { type ChannelTrust, type OrdererPolicy } from './channel-trust.js';
import { SUITES, type SuiteAlgorithms } from './crypto-suite.js';
import { type Check, combineChecks, failed, notApplicable, passed, unchecked, verified } from './check.js';
import { evaluatePolicy, type PolicyEndorser } from './endorsement-policy.js';
import { certificateOf, nodeRoleOf, signatureBy, signedByMember } from './identity-rules.js';
import { allOf, type Rule } from './rule.js';

export const BLOCK_CHECKS = {
  headerHash: 'block.headerHash',
  previousLink: 'block.previousLink',
  dataHash: 'block.dataHash',
  ordererSignature: 'block.ordererSignature',
  commitHash: 'block.commitHash',
  validationPolicy: 'block.validationPolicy',
} as const;

/** `embedded` (canonical JSON, RFC 6962) or `fabric` (DER header, concatenated envelopes). */
export type DataHashScheme = 'embedded' | 'fabric' | (string & {});

/** A signature a block carries (`signedPrefix`: Fabric's `Metadata.value ‖ signature_header`, base64). */
export interface BlockSignature {
  readonly mspId: string;
  readonly certificate: string;
  /** base64 of the DER signature. */
  readonly signature: string;
  readonly signedPrefix?: string;
}

/** The hash a block header has under its scheme (embedded: and the chain's suite; Fabric is always SHA-256). */
export function headerHashOf(
  header: BlockHeaderJson,
  scheme: DataHashScheme,
  suite: SuiteAlgorithms = SUITES.intl,
): string {
  return scheme === 'fabric' ? fabricBlockHash(header) : blockHash(header, suite);
}

function equalCheck(name: string, computed: string, claimed: string, what: string): Check {
  return computed === claimed
    ? verified(name)
    : failed(name, `${what} re-computed as ${computed}, the block says ${claimed}`);
}

/** `block.headerHash`: the block's hash is its header's. */
export function headerHashCheck(
  header: BlockHeaderJson,
  claimed: string,
  scheme: DataHashScheme,
  suite: SuiteAlgorithms = SUITES.intl,
): Check {
  return equalCheck(BLOCK_CHECKS.headerHash, headerHashOf(header, scheme, suite), claimed, 'header hash');
}

/**
 * `block.previousLink`: block 0 has a zero previous hash; every other block names the hash of the previous
 * block's header (re-computed here); unknown, it stays unchecked.
 */
export function previousLinkCheck(
  header: Pick<BlockHeaderJson, 'number' | 'previousHash'>,
  previous: BlockHeaderJson | undefined,
  scheme: DataHashScheme,
  suite: SuiteAlgorithms = SUITES.intl,
): Check {
  return linkCheck(
    header,
    previous && { number: previous.number, hash: () => headerHashOf(previous, scheme, suite) },
  );
}

/** `block.previousLink` against the previous block's hash already verified (a chain walked in order). */
export function previousHashLinkCheck(
  header: Pick<BlockHeaderJson, 'number' | 'previousHash'>,
  previous: { readonly number: number; readonly hash: string },
): Check {
  return linkCheck(header, { number: previous.number, hash: () => previous.hash });
}

function linkCheck(
  header: Pick<BlockHeaderJson, 'number' | 'previousHash'>,
  previous: { readonly number: number; readonly hash: () => string } | undefined,
): Check {
  const name = BLOCK_CHECKS.previousLink;
  if (header.number === 0) {
    return header.previousHash === ZERO_HASH
      ? verified(name)
      : failed(name, 'block 0 must have a zero previous hash');
  }
  if (!previous) return unchecked(name, 'the previous block was not loaded');
  if (previous.number !== header.number - 1) {
    return failed(name, `block ${previous.number} is not the previous block`);
  }
  return equalCheck(name, previous.hash(), header.previousHash, 'previous block hash');
}

/**
 * `block.dataHash`: the data hash over the block's envelopes in block order (embedded: RFC 6962 root over the
 * canonical texts or their bytes; Fabric: SHA-256 of the concatenated envelope bytes).
 */
export function dataHashCheck(
  envelopes: readonly string[] | readonly Uint8Array[],
  claimed: string,
  scheme: DataHashScheme,
  suite: SuiteAlgorithms = SUITES.intl,
): Check {
  let computed: string;
  try {
    const bytes = (): Uint8Array[] => envelopes.map((e) => (typeof e === 'string' ? utf8Encode(e) : e));
    if (scheme === 'fabric') computed = fabricDataHash(bytes());
    else if (envelopes.every((e) => typeof e === 'string')) computed = dataHash(envelopes, suite);
    else computed = dataHashOfEnvelopes(bytes(), suite);
  } catch (error) {
    return failed(BLOCK_CHECKS.dataHash, `the envelopes could not be read: ${String(error)}`);
  }
  return equalCheck(BLOCK_CHECKS.dataHash, computed, claimed, 'data hash');
}

/**
 * `block.commitHash` (embedded): SHA-256 (SM3 in a `gm` chain) of canonical({previousCommitHash, blockHash,
 * validationCodes}).
 */
export function commitHashCheck(
  previousCommitHash: string,
  hash: string,
  validationCodes: readonly string[],
  claimed: string,
  suite: SuiteAlgorithms = SUITES.intl,
): Check {
  const computed = commitHash(previousCommitHash, hash, validationCodes, suite);
  return equalCheck(BLOCK_CHECKS.commitHash, computed, claimed, 'commit hash');
}

/**
 * `block.ordererSignature` of an embedded block: a signature by the channel's orderer organisation, with the
 * channel's orderer certificate (which its CA issued), low S, over canonical(header).
 */
export function* embeddedOrdererSignature(
  header: BlockHeaderJson,
  signatures: readonly BlockSignature[],
  trust: ChannelTrust | undefined,
  headerTextOfBlock: string = headerText(header),
): Rule<Check> {
  const name = BLOCK_CHECKS.ordererSignature;
  if (!trust)
    return unchecked(name, 'no trust anchors: block 0 (the channel configuration) could not be read');
  const signature = signatures.find((s) => s.mspId === trust.ordererMspId);
  if (!signature) return failed(name, `no signature by the orderer organisation ${trust.ordererMspId}`);
  if (trust.ordererCertificate !== undefined && signature.certificate !== trust.ordererCertificate) {
    return failed(name, "the block is not signed with the channel's orderer certificate");
  }
  let bytes: Uint8Array;
  try {
    bytes = base64ToBytes(signature.signature);
  } catch {
    return failed(name, 'the signature is not base64');
  }
  return yield* signedByMember(
    name,
    trust,
    { ...signature, signature: bytes },
    utf8Encode(headerTextOfBlock),
  );
}

const FABRIC_NO_SIGNED_PREFIX =
  'this Fabric block signature is not re-checked in the browser: it signs the block metadata bytes ' +
  '(Metadata.value ‖ signature header ‖ header), and the hub sent no signedPrefix with it';

/**
 * `block.ordererSignature` of a Fabric block: every signature in its SIGNATURES metadata must verify (block 0,
 * made by configtxgen, has none and needs none: it is the channel's trust anchor); the weakest is the block's.
 */
export function* fabricOrdererSignatures(
  header: BlockHeaderJson,
  signatures: readonly BlockSignature[],
  trust: ChannelTrust | undefined,
): Rule<Check> {
  const name = BLOCK_CHECKS.ordererSignature;
  if (signatures.length === 0) {
    return header.number === 0
      ? notApplicable(
          name,
          'block 0 of a Fabric channel (its configuration block) carries no orderer signature',
        )
      : failed(name, 'the block carries no orderer signature');
  }
  const checks = yield* allOf(
    signatures.map(function* (s): Rule<Check> {
      const check = yield* fabricBlockSignature(header, s, trust);
      return signatures.length > 1 && check.detail
        ? { ...check, detail: `signature by ${s.mspId}: ${check.detail}` }
        : check;
    }),
  );
  return combineChecks(name, checks);
}

/**
 * One orderer signature: ECDSA P-256 over `signedPrefix ‖ BlockHeaderBytes(number, previousHash, dataHash)`
 * (Fabric's `BlockSignatureVerifier`), by a certificate a CA of an orderer organisation of block 0 issued.
 */
function* fabricBlockSignature(
  header: BlockHeaderJson,
  signature: BlockSignature,
  trust: ChannelTrust | undefined,
): Rule<Check> {
  const name = BLOCK_CHECKS.ordererSignature;
  if (signature.signedPrefix === undefined) return unchecked(name, FABRIC_NO_SIGNED_PREFIX);
  if (!trust)
    return unchecked(name, 'no trust anchors: block 0 (the channel configuration) could not be read');
  const orderers = trust.ordererMspIds ?? [trust.ordererMspId];
  if (!orderers.includes(signature.mspId)) {
    return failed(
      name,
      `signed by ${signature.mspId}, which is not an orderer organisation of the channel (${orderers.join(', ') || 'none'})`,
    );
  }
  let message: Uint8Array;
  let bytes: Uint8Array;
  try {
    message = concatBytes(
      base64ToBytes(signature.signedPrefix),
      fabricBlockHeaderBytes(header.number, hexToBytes(header.previousHash), hexToBytes(header.dataHash)),
    );
    bytes = base64ToBytes(signature.signature);
  } catch (error) {
    return failed(
      name,
      `the signed block bytes could not be assembled: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return yield* signedByMember(name, trust, { ...signature, signature: bytes }, message);
}

/** `block.ordererSignature` under the block's scheme. */
export function ordererSignatures(
  header: BlockHeaderJson,
  signatures: readonly BlockSignature[],
  trust: ChannelTrust | undefined,
  scheme: DataHashScheme,
): Rule<Check> {
  return scheme === 'fabric'
    ? fabricOrdererSignatures(header, signatures, trust)
    : embeddedOrdererSignature(header, signatures, trust);
}

/** The signature over a header by a given certificate alone (a proof bundle's signed headers). */
export function* headerSignedBy(
  name: string,
  header: BlockHeaderJson,
  certificate: string,
  signature: string,
): Rule<Check> {
  let bytes: Uint8Array;
  try {
    bytes = base64ToBytes(signature);
  } catch {
    return failed(name, 'the signature is not base64');
  }
  return yield* signatureBy(name, certificate, utf8Encode(headerText(header)), bytes);
}

// ------------------------------------------------------------------------- Fabric: BlockValidation

/** The verdict on a Fabric block's SIGNATURES metadata. */
export interface FabricBlockValidation {
  /** `block.ordererSignature`: every signature the block carries verifies, by an orderer organisation's member. */
  readonly signatures: Check;
  /** `block.validationPolicy`: the verified signers satisfy the configuration's BlockValidation policy. */
  readonly policy: Check;
}

const NO_TRUST = 'no trust anchors: the channel configuration block could not be read';

/**
 * A Fabric block's orderer signatures and the BlockValidation policy, as a peer checks a block it receives
 * (Fabric's `BlockSignatureVerifier`): each `MetadataSignature` signs `Metadata.value ‖ signature_header ‖
 * BlockHeaderBytes` with the key of the creator in its signature header, a member of an orderer organisation
 * of the configuration in force; the signers that verify must satisfy `/Channel/Orderer/BlockValidation`.
 * Block 0 (configtxgen's genesis block) carries none and needs none: it is the trust anchor itself.
 */
export function* fabricBlockValidation(
  header: FabricBlockHeader,
  metadata: FabricBlockSignatures,
  trust: ChannelTrust | undefined,
): Rule<FabricBlockValidation> {
  if (metadata.signatures.length === 0 && header.number === 0) {
    const none = 'block 0 of a Fabric channel (its genesis configuration block) carries no orderer signature';
    return {
      signatures: notApplicable(BLOCK_CHECKS.ordererSignature, none),
      policy: notApplicable(BLOCK_CHECKS.validationPolicy, none),
    };
  }
  if (!trust) {
    return {
      signatures: unchecked(BLOCK_CHECKS.ordererSignature, NO_TRUST),
      policy: unchecked(BLOCK_CHECKS.validationPolicy, NO_TRUST),
    };
  }
  const headerBytes = fabricBlockHeaderBytes(
    header.number,
    hexToBytes(header.previousHash),
    hexToBytes(header.dataHash),
  );
  const checks = yield* allOf(
    metadata.signatures.map((s, i) => fabricMetadataSignature(s, i, metadata.value, headerBytes, trust)),
  );
  const signers = new Map<string, PolicyEndorser>();
  metadata.signatures.forEach((s, i) => {
    if (s.creator && checks[i]?.status === 'verified') {
      signers.set(s.creator.certificate, {
        mspId: s.creator.mspId,
        role: nodeRoleOf(certificateOf(s.creator.certificate)),
      });
    }
  });
  const signatures =
    checks.length === 0
      ? failed(BLOCK_CHECKS.ordererSignature, 'the block carries no orderer signature')
      : combineChecks(BLOCK_CHECKS.ordererSignature, checks);
  const described = passed(signatures)
    ? verified(
        BLOCK_CHECKS.ordererSignature,
        `signed by ${[...signers.values()].map((s) => s.mspId).join(', ')}`,
      )
    : signatures;
  return { signatures: described, policy: blockValidationCheck(trust.ordererPolicy, [...signers.values()]) };
}

function* fabricMetadataSignature(
  s: FabricBlockSignatures['signatures'][number],
  index: number,
  value: Uint8Array,
  headerBytes: Uint8Array,
  trust: ChannelTrust,
): Rule<Check> {
  const name = BLOCK_CHECKS.ordererSignature;
  if (!s.creator) {
    return unchecked(
      name,
      `signature ${index} names its signer by a consenter id (BFT identifier header), which is not resolved here`,
    );
  }
  const orderers = trust.ordererMspIds ?? [trust.ordererMspId];
  if (!orderers.includes(s.creator.mspId)) {
    return failed(
      name,
      `signature ${index} is by ${s.creator.mspId}, not an orderer organisation of the channel (${orderers.join(', ')})`,
    );
  }
  const check = yield* signedByMember(
    name,
    trust,
    { mspId: s.creator.mspId, certificate: s.creator.certificate, signature: s.signature },
    concatBytes(value, s.signatureHeader, headerBytes),
  );
  return check.detail
    ? { ...check, detail: `signature ${index} by ${s.creator.mspId}: ${check.detail}` }
    : check;
}

/** `block.validationPolicy` over the signers whose signature verified. */
export function blockValidationCheck(
  policy: OrdererPolicy | undefined,
  signers: readonly PolicyEndorser[],
): Check {
  const name = BLOCK_CHECKS.validationPolicy;
  if (!policy)
    return unchecked(name, 'the channel configuration has no /Channel/Orderer/BlockValidation policy');
  const verdict = policySatisfied(policy.blockValidation, policy, signers);
  if (typeof verdict === 'string') return unchecked(name, verdict);
  const who = signers.map((s) => s.mspId).join(', ') || 'nobody';
  return verdict.ok
    ? verified(name, `BlockValidation (${verdict.rule}) satisfied by ${who}`)
    : failed(name, `BlockValidation (${verdict.rule}) is not satisfied by the verified signers (${who})`);
}

const IMPLICIT_META_NEEDED = {
  ANY: () => 1,
  ALL: (n: number) => n,
  MAJORITY: (n: number) => Math.floor(n / 2) + 1,
} as const;

function subPolicySatisfied(policy: FabricPolicy | undefined, signers: readonly PolicyEndorser[]): boolean {
  if (policy?.kind !== 'signature') return false;
  try {
    return evaluatePolicy(policy.envelope, signers);
  } catch {
    return false; // an unreadable sub-policy is not satisfied
  }
}

function policySatisfied(
  policy: FabricPolicy,
  ordererPolicy: OrdererPolicy,
  signers: readonly PolicyEndorser[],
): { ok: boolean; rule: string } | string {
  if (policy.kind === 'unsupported')
    return `BlockValidation is a policy of type ${policy.type}, not evaluated here`;
  if (policy.kind === 'signature') {
    try {
      return { ok: evaluatePolicy(policy.envelope, signers), rule: 'signature policy' };
    } catch (error) {
      return `the BlockValidation signature policy could not be read: ${String(error)}`;
    }
  }
  const organisations = [...ordererPolicy.organisationPolicies.values()];
  const satisfied = organisations.filter((policies) =>
    subPolicySatisfied(policies.get(policy.subPolicy), signers),
  ).length;
  const needed = IMPLICIT_META_NEEDED[policy.rule](organisations.length);
  return {
    ok: organisations.length > 0 && satisfied >= needed,
    rule: `${policy.rule} ${policy.subPolicy}: ${satisfied} of ${organisations.length} orderer organisation(s), ${needed} needed`,
  };
}
