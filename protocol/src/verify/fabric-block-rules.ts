/**
 * A whole Fabric block by the core's rules, from its genuine bytes, as `ledger verify-chain` and proof bundles
 * check it: header hash, link to the previous block, data hash over its envelopes, one validation code per
 * envelope, the orderer signatures against the BlockValidation policy of the configuration in force (its
 * LAST_CONFIG, covered by the signatures), each transaction's signatures, and the recorded validation codes
 * where the block decides them. A configuration block that verifies installs its configuration for the blocks
 * after it ({@link FabricChainWalker}), as a peer applies configuration updates.
 */
import {
  decodeFabricBlock,
  type FabricBlock,
  fabricBlockHash,
  fabricValidationCodeName,
} from '../block-format/fabric-block.js';
import {
  decodeFabricChannelConfig,
  decodeFabricEnvelope,
  FABRIC_HEADER_TYPE,
} from '../block-format/fabric-envelope.js';
import { decodeFabricActionEffect, type FabricActionEffect } from '../block-format/fabric-transaction.js';
import { BLOCK_CHECKS, dataHashCheck, fabricBlockValidation } from './block-rules.js';
import { type ChannelTrust, trustOfFabricConfig } from './channel-trust.js';
import { type Check, checkOf, failed, passed, unchecked, verified } from './check.js';
import { type PolicyEndorser } from './endorsement-policy.js';
import { allOf, type Rule } from './rule.js';
import {
  fabricTransaction,
  policyEndorsers,
  recordedValidationCodes,
  TRANSACTION_CHECKS,
  type TransactionVerdict,
} from './transaction-rules.js';

export const FABRIC_BLOCK_CHECKS = {
  format: 'block.format',
  transactionsFilter: 'block.transactionsFilter',
  lastConfig: 'block.lastConfig',
  config: 'block.config',
} as const;

/** The endorsement policy a VALID transaction must satisfy, given what it did (pluggable; see below). */
export type TransactionPolicy = (
  effects: readonly FabricActionEffect[],
  endorsers: readonly PolicyEndorser[],
) => Check;

/**
 * The default: the chaincode-level policy of the deployment, a peer of one of the channel's application
 * organisations. Key-level policies (a record's region's peer) need the state the key was written in; a proof
 * bundle applies the record's region rule on top (`record.region`).
 */
export function anyApplicationPeer(applicationMspIds: readonly string[]): TransactionPolicy {
  return (_effects, endorsers) => {
    const peer = endorsers.find((e) => e.role === 'peer' && applicationMspIds.includes(e.mspId));
    return checkOf(
      TRANSACTION_CHECKS.policy,
      peer !== undefined,
      `endorsed by a peer of ${peer?.mspId ?? ''}`,
      `no peer of an application organisation (${applicationMspIds.join(', ')}) endorsed it`,
    );
  };
}

export interface FabricTransactionResult {
  readonly index: number;
  readonly txId: string;
  readonly type: number;
  /** The envelope, byte for byte as in the block. */
  readonly envelope: Uint8Array;
  /** The code TRANSACTIONS_FILTER records for it. */
  readonly recorded: string;
  readonly verdict: TransactionVerdict;
  /** `transaction.validationCode`, and for an endorser transaction recorded VALID `transaction.policy`. */
  readonly code: Check;
  readonly policy?: Check;
  readonly effects: readonly FabricActionEffect[];
  /** The rules that decide it failed (a transaction recorded invalid is not held against the block). */
  readonly ok: boolean;
}

export interface FabricBlockVerdict {
  readonly number: number;
  readonly hash: string;
  readonly block?: FabricBlock;
  /** Block-level checks (format, header link, data hash, filter, last config, signatures, policy). */
  readonly checks: readonly Check[];
  readonly transactions: readonly FabricTransactionResult[];
  /** The configuration this block installs (a configuration block that verified). */
  readonly installs?: ChannelTrust;
  readonly ok: boolean;
}

export interface FabricBlockContext {
  /** The configuration in force (from the genesis block or the last configuration block). */
  readonly trust: ChannelTrust | undefined;
  /** The previous block, already verified: its number and header hash. */
  readonly previous?: { readonly number: number; readonly hash: string };
  readonly policy?: TransactionPolicy;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function linkCheck(block: FabricBlock, previous: FabricBlockContext['previous']): Check {
  const name = BLOCK_CHECKS.previousLink;
  const { number, previousHash } = block.header;
  if (number === 0) {
    return checkOf(name, previousHash === '', 'block 0', 'block 0 must have an empty previous hash');
  }
  if (!previous)
    return unchecked(name, `verification started at block ${number}: the previous block was not read`);
  if (previous.number !== number - 1) {
    return failed(name, `block ${number} follows block ${previous.number}: blocks are missing`);
  }
  return checkOf(
    name,
    previousHash === previous.hash,
    `linked to block ${previous.number}`,
    `the previous hash ${previousHash} is not block ${previous.number}'s hash ${previous.hash}`,
  );
}

function lastConfigCheck(block: FabricBlock, trust: ChannelTrust | undefined): Check {
  const name = FABRIC_BLOCK_CHECKS.lastConfig;
  const claimed = block.signatures.lastConfigIndex;
  const inForce = trust?.configBlock?.number;
  if (inForce === undefined)
    return unchecked(
      name,
      `the block names configuration block ${claimed}; which one is in force is unknown here`,
    );
  return checkOf(
    name,
    claimed === inForce || (claimed === block.header.number && isConfigBlock(block)),
    `configuration block ${claimed} is in force`,
    `the block names configuration block ${claimed}, but block ${inForce} is the configuration in force`,
  );
}

function isConfigBlock(block: FabricBlock): boolean {
  const [only] = block.envelopes;
  if (block.envelopes.length !== 1 || !only) return false;
  try {
    return decodeFabricEnvelope(only).channelHeader.type === FABRIC_HEADER_TYPE.CONFIG;
  } catch {
    return false;
  }
}

/** Only the genesis block's configuration transaction may go unsigned (configtxgen makes it). */
function unsignedAfterGenesis(verdict: TransactionVerdict, blockNumber: number): TransactionVerdict {
  if (blockNumber === 0 || verdict.creatorSignature.status !== 'not-applicable') return verdict;
  const creatorSignature = failed(
    TRANSACTION_CHECKS.creator,
    `an unsigned configuration transaction in block ${blockNumber}: only the genesis block may carry one`,
  );
  return { ...verdict, creatorSignature, ok: false };
}

function* transactionOf(
  envelope: Uint8Array,
  blockNumber: number,
  index: number,
  recorded: string,
  context: FabricBlockContext,
): Rule<Omit<FabricTransactionResult, 'code'>> {
  let txId = '';
  let type = -1;
  let effects: FabricActionEffect[] = [];
  try {
    const decoded = decodeFabricEnvelope(envelope);
    txId = decoded.channelHeader.txId;
    type = decoded.channelHeader.type;
    effects = decoded.actions.map(decodeFabricActionEffect);
  } catch {
    // the transaction rules below say why it is unreadable
  }
  const verdict = unsignedAfterGenesis(yield* fabricTransaction(envelope, txId, context.trust), blockNumber);
  const isEndorser = type === FABRIC_HEADER_TYPE.ENDORSER_TRANSACTION;
  const policy =
    isEndorser && recorded === 'VALID' && context.policy
      ? context.policy(effects, policyEndorsers(verdict))
      : undefined;
  const ok = recorded !== 'VALID' || (verdict.ok && (policy === undefined || passed(policy)));
  return { index, txId, type, envelope, recorded, verdict, effects, ok, ...(policy ? { policy } : {}) };
}

/** The configuration a verified configuration block installs, or why it cannot. */
function installedConfig(block: FabricBlock): ChannelTrust | Check {
  const [only] = block.envelopes;
  try {
    const config = decodeFabricChannelConfig(decodeFabricEnvelope(only ?? new Uint8Array()));
    const trust = trustOfFabricConfig(config);
    if (!trust)
      return failed(FABRIC_BLOCK_CHECKS.config, 'the configuration names no organisation with a CA');
    return { ...trust, configBlock: { number: block.header.number, sequence: config.sequence } };
  } catch (error) {
    return failed(FABRIC_BLOCK_CHECKS.config, `the configuration could not be read: ${errorText(error)}`);
  }
}

/** Every rule of one Fabric block, by its bytes. */
export function* fabricBlockRule(bytes: Uint8Array, context: FabricBlockContext): Rule<FabricBlockVerdict> {
  let block: FabricBlock;
  try {
    block = decodeFabricBlock(bytes);
  } catch (error) {
    const check = failed(FABRIC_BLOCK_CHECKS.format, `not a readable Fabric block: ${errorText(error)}`);
    return { number: -1, hash: '', checks: [check], transactions: [], ok: false };
  }
  return yield* decodedFabricBlockRule(block, context);
}

function isUncheckedLink(check: Check): boolean {
  return check.name === BLOCK_CHECKS.previousLink && check.status === 'unchecked';
}

/** Every rule of one decoded Fabric block. */
export function* decodedFabricBlockRule(
  block: FabricBlock,
  context: FabricBlockContext,
): Rule<FabricBlockVerdict> {
  const { header, envelopes, transactionsFilter } = block;
  const filterCheck = checkOf(
    FABRIC_BLOCK_CHECKS.transactionsFilter,
    transactionsFilter.length === envelopes.length,
    `${envelopes.length} validation code(s) for ${envelopes.length} envelope(s)`,
    `TRANSACTIONS_FILTER has ${transactionsFilter.length} code(s) for ${envelopes.length} envelope(s)`,
  );
  const recorded = envelopes.map((_, i) => fabricValidationCodeName(transactionsFilter[i]));
  const [signed, ...results] = yield* allOf<unknown>([
    fabricBlockValidation(header, block.signatures, context.trust),
    ...envelopes.map((e, i) => transactionOf(e, header.number, i, recorded[i] ?? 'NOT_VALIDATED', context)),
  ]);
  const txs = results as Omit<FabricTransactionResult, 'code'>[];
  const codes = recordedValidationCodes(
    txs.map((t) => ({
      recorded: t.recorded,
      signaturesValid: t.verdict.ok,
      ...(t.type === FABRIC_HEADER_TYPE.ENDORSER_TRANSACTION
        ? { rwsets: t.effects.flatMap((e) => e.rwsets) }
        : {}),
    })),
  );
  const transactions = txs.map((t, i) => {
    const code = codes[i] ?? verified(TRANSACTION_CHECKS.validationCode);
    return { ...t, code, ok: t.ok && passed(code) };
  });
  const { signatures, policy } = signed as { signatures: Check; policy: Check };
  const checks = [
    linkCheck(block, context.previous),
    dataHashCheck(envelopes, header.dataHash, 'fabric'),
    filterCheck,
    lastConfigCheck(block, context.trust),
    signatures,
    policy,
  ];
  return verdictOf(block, checks, transactions);
}

/** The block's verdict; a configuration block that verified says what configuration it installs. */
function verdictOf(
  block: FabricBlock,
  checks: Check[],
  transactions: readonly FabricTransactionResult[],
): FabricBlockVerdict {
  const txsOk = transactions.every((t) => t.ok);
  // a walk started mid-chain leaves the first link unchecked; the block itself may still install its config
  const signedAndValid = txsOk && checks.every((c) => passed(c) || isUncheckedLink(c));
  const installed = signedAndValid && isConfigBlock(block) ? installedConfig(block) : undefined;
  const refused = installed !== undefined && 'status' in installed;
  if (refused) checks.push(installed);
  return {
    number: block.header.number,
    hash: fabricBlockHash(block.header),
    block,
    checks,
    transactions,
    ...(installed && !refused ? { installs: installed } : {}),
    ok: txsOk && checks.every(passed),
  };
}

/**
 * Walks a Fabric chain block by block from its genesis (configuration) block: each block checked against the
 * configuration in force and linked to the one before; a configuration block that verifies replaces the
 * configuration for the blocks after it (new organisations, CAs, BlockValidation policy).
 */
export class FabricChainWalker {
  #trust: ChannelTrust | undefined;
  #previous: { number: number; hash: string } | undefined;
  readonly #policy: ((trust: ChannelTrust | undefined) => TransactionPolicy | undefined) | undefined;

  /** `policy`: the endorsement policy of VALID transactions under a configuration (default: {@link anyApplicationPeer}). */
  constructor(
    options: { readonly policy?: (trust: ChannelTrust | undefined) => TransactionPolicy | undefined } = {},
  ) {
    this.#policy = options.policy;
  }

  get trust(): ChannelTrust | undefined {
    return this.#trust;
  }

  /** Starts a walk in the middle of the chain with this configuration in force (e.g. a proof's segment). */
  startWith(trust: ChannelTrust): void {
    this.#trust = trust;
    this.#previous = undefined;
  }

  /** The next block's verdict; block 0 first establishes the trust (it carries no orderer signature). */
  *next(bytes: Uint8Array): Rule<FabricBlockVerdict> {
    const trust = this.#trust ?? genesisTrust(bytes);
    const policy = this.#policy ? this.#policy(trust) : anyApplicationPeer(applicationMspIds(trust));
    const verdict = yield* fabricBlockRule(bytes, {
      trust,
      ...(this.#previous ? { previous: this.#previous } : {}),
      ...(policy ? { policy } : {}),
    });
    if (verdict.checks.every((c) => c.status !== 'failed') && verdict.transactions.every((t) => t.ok)) {
      // an unchecked first link (a walk started mid-chain) does not stop the walk; a failed check does
      this.#previous = { number: verdict.number, hash: verdict.hash };
      this.#trust = verdict.installs ?? trust;
    }
    return verdict;
  }
}

/** The configuration of a genesis block (block 0), which is its own trust anchor. */
function genesisTrust(bytes: Uint8Array): ChannelTrust | undefined {
  try {
    const genesis = decodeFabricBlock(bytes);
    const installed = genesis.header.number === 0 ? installedConfig(genesis) : undefined;
    return installed && !('status' in installed) ? installed : undefined;
  } catch {
    return undefined; // fabricBlockRule reports the unreadable block
  }
}

function applicationMspIds(trust: ChannelTrust | undefined): string[] {
  if (!trust) return [];
  const orderers = trust.ordererMspIds ?? [trust.ordererMspId];
  return [...trust.caByMspId.keys()].filter((m) => !orderers.includes(m));
}

/** The hex SHA-256 genesis hash of a Fabric channel: block 0's header hash. */
export function fabricGenesisHash(block: FabricBlock): string {
  return fabricBlockHash(block.header);
}
