/**
 * Checks an anchor reference. Like every verifier here it never throws: it answers with checks (`verify/check`).
 *
 * Offline (`checkAnchorOffline`): the reference is well formed and names the very checkpoint the bundle
 * proves (same origin, size and root). It does NOT prove that the transaction exists, that it succeeded,
 * that its block is on the chain's canonical history, or that the block is final: anyone can write a reference.
 * Those are the `anchor.onchain` check, left `unchecked` with {@link OFFLINE_ANCHOR_LIMITS}.
 *
 * Online (`verifyAnchorOnline`, given a JSON-RPC URL): the chain id; the receipt of the transaction (it exists
 * and succeeded, in the block named, whose hash is the chain's block at that height now); the log at
 * `logIndex` was emitted by the contract and decodes (ABI `ANCHORED_EVENT`) to the origin, size and root named;
 * and the number of confirmations.
 */
import {
  getBytes,
  hexlify,
  Interface,
  JsonRpcProvider,
  keccak256,
  type Log,
  type LogDescription,
  Network,
  toUtf8Bytes,
} from 'ethers';
import { base64ToBytes, bytesToBase64 } from '../proof/base64.js';
import { type Check, checkOf, failed, passed, unchecked, verified } from '../verify/check.js';
import {
  type AnchoredCheckpoint,
  type AnchorReference,
  AnchorReferenceSchema,
  CHECKPOINT_ANCHOR_ABI,
} from './anchor-reference.js';

/** What an offline check of an anchor does not establish (the detail of the unchecked `anchor.onchain`). */
export const OFFLINE_ANCHOR_LIMITS =
  'not checked offline: that the transaction exists on the chain, succeeded and emitted this log in this ' +
  'block, that the block is on the canonical chain, and that it is final; give an RPC URL to check it';

export interface AnchorVerdict {
  /** No check failed (an `unchecked` one may remain: read `checks`). */
  readonly valid: boolean;
  /** The reference is well formed and the chain holds it as named (every check but `anchor.checkpoint` passed). */
  readonly onChain: boolean;
  readonly checks: readonly Check[];
  /** The parsed reference (undefined when it is malformed). */
  readonly anchor: AnchorReference | undefined;
  /** Confirmations counted online (head - block + 1). */
  readonly confirmations?: number;
}

function verdict(
  checks: Check[],
  anchor: AnchorReference | undefined,
  confirmations?: number,
): AnchorVerdict {
  return {
    valid: !checks.some((c) => c.status === 'failed'),
    // the chain's part: whether a bundle proves the same checkpoint is `anchor.checkpoint`, apart
    onChain: checks.filter((c) => c.name !== 'anchor.checkpoint').every(passed),
    checks,
    anchor,
    ...(confirmations === undefined ? {} : { confirmations }),
  };
}

/** The checkpoint a bundle proves, root as bytes or base64. */
export interface ProvenCheckpoint {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Uint8Array | string;
}

function rootBase64(root: Uint8Array | string): string {
  return typeof root === 'string' ? root : bytesToBase64(root);
}

function parseReference(anchor: unknown): { anchor?: AnchorReference; check: Check } {
  const parsed = AnchorReferenceSchema.safeParse(anchor);
  if (parsed.success) return { anchor: parsed.data, check: verified('anchor.reference') };
  const issue = parsed.error.issues[0]!;
  const field = issue.path.length === 0 ? 'anchor' : issue.path.join('.');
  return { check: failed('anchor.reference', `${field}: ${issue.message}`) };
}

function describeCheckpoint(c: AnchoredCheckpoint): string {
  return `${c.origin} size ${c.size} root ${c.rootHash}`;
}

function checkpointCheck(anchor: AnchorReference, proven: ProvenCheckpoint | undefined): Check {
  if (proven === undefined) {
    return unchecked('anchor.checkpoint', 'no proven checkpoint given to compare the anchor with');
  }
  const want: AnchoredCheckpoint = {
    origin: proven.origin,
    size: proven.size,
    rootHash: rootBase64(proven.rootHash),
  };
  const same =
    want.origin === anchor.checkpoint.origin &&
    want.size === anchor.checkpoint.size &&
    want.rootHash === anchor.checkpoint.rootHash;
  return checkOf(
    'anchor.checkpoint',
    same,
    `the anchor names the proven checkpoint (${describeCheckpoint(want)})`,
    `the anchor names ${describeCheckpoint(anchor.checkpoint)}, the bundle proves ${describeCheckpoint(want)}`,
  );
}

/** The offline checks, plus `anchor.onchain` left unchecked with what they cannot prove. */
export function checkAnchorOffline(anchor: unknown, proven?: ProvenCheckpoint): AnchorVerdict {
  const { anchor: ref, check } = parseReference(anchor);
  if (!ref) return verdict([check], undefined);
  return verdict(
    [check, checkpointCheck(ref, proven), unchecked('anchor.onchain', OFFLINE_ANCHOR_LIMITS)],
    ref,
  );
}

export interface OnlineAnchorOptions {
  readonly proven?: ProvenCheckpoint;
  /** Confirmations below this leave `anchor.confirmations` unchecked. Default 1. */
  readonly minConfirmations?: number;
  /** The event's `noteHash` must be this (0x hex SHA-256 of the cosigned note a bundle carries). */
  readonly noteHash?: string;
}

const anchorInterface = new Interface(CHECKPOINT_ANCHOR_ABI);

/** The offline checks, then the chain's answer through the JSON-RPC at `rpcUrl`. */
export async function verifyAnchorOnline(
  anchor: unknown,
  rpcUrl: string,
  options: OnlineAnchorOptions = {},
): Promise<AnchorVerdict> {
  const { anchor: ref, check } = parseReference(anchor);
  if (!ref) return verdict([check], undefined);
  const checks = [check, checkpointCheck(ref, options.proven)];
  const provider = new JsonRpcProvider(rpcUrl, Network.from(ref.chainId), {
    staticNetwork: true,
    batchMaxCount: 1,
  });
  try {
    const online = await onChainChecks(provider, ref, options.minConfirmations ?? 1, options.noteHash);
    return verdict([...checks, ...online.checks], ref, online.confirmations);
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return verdict(
      [...checks, unchecked('anchor.onchain', `the RPC at ${rpcUrl} did not answer: ${why}`)],
      ref,
    );
  } finally {
    provider.destroy();
  }
}

async function onChainChecks(
  provider: JsonRpcProvider,
  ref: AnchorReference,
  minConfirmations: number,
  noteHash: string | undefined,
): Promise<{ checks: Check[]; confirmations?: number }> {
  const chainId = Number(await provider.send('eth_chainId', []));
  if (chainId !== ref.chainId) {
    return {
      checks: [failed('anchor.chain', `the RPC serves chain ${chainId}, the anchor names ${ref.chainId}`)],
    };
  }
  const receipt = await provider.getTransactionReceipt(ref.txHash);
  if (!receipt) {
    return { checks: [failed('anchor.transaction', `chain ${chainId} has no receipt for ${ref.txHash}`)] };
  }
  if (receipt.status !== 1) {
    return { checks: [failed('anchor.transaction', `transaction ${ref.txHash} reverted`)] };
  }
  const blockCheck = await canonicalBlockCheck(provider, ref, receipt);
  const log = receipt.logs.find((l) => l.index === ref.logIndex);
  const confirmations = (await provider.getBlockNumber()) - receipt.blockNumber + 1;
  const confirmationCheck =
    confirmations >= minConfirmations
      ? verified('anchor.confirmations', `${confirmations} confirmation(s)`)
      : unchecked('anchor.confirmations', `${confirmations} confirmation(s), fewer than ${minConfirmations}`);
  return {
    checks: [
      verified('anchor.chain', `chain ${chainId}`),
      verified('anchor.transaction'),
      blockCheck,
      eventCheck(ref, log, noteHash),
      confirmationCheck,
    ],
    confirmations,
  };
}

async function canonicalBlockCheck(
  provider: JsonRpcProvider,
  ref: AnchorReference,
  receipt: { blockNumber: number; blockHash: string },
): Promise<Check> {
  const canonical = await provider.getBlock(ref.blockNumber);
  const named = ref.blockHash.toLowerCase();
  return checkOf(
    'anchor.block',
    receipt.blockNumber === ref.blockNumber &&
      receipt.blockHash.toLowerCase() === named &&
      canonical?.hash?.toLowerCase() === named,
    `block ${ref.blockNumber} ${ref.blockHash} holds the transaction and is the chain's block at that height`,
    `the transaction is in block ${receipt.blockNumber} ${receipt.blockHash}; the chain's block ${ref.blockNumber} ` +
      `is ${canonical?.hash ?? 'absent'}; the anchor names ${ref.blockHash}`,
  );
}

function eventCheck(ref: AnchorReference, log: Log | undefined, noteHash: string | undefined): Check {
  if (!log) return failed('anchor.event', `the transaction has no log at index ${ref.logIndex}`);
  if (log.address.toLowerCase() !== ref.contract.toLowerCase()) {
    return failed('anchor.event', `log ${ref.logIndex} was emitted by ${log.address}, not ${ref.contract}`);
  }
  const event = anchorInterface.parseLog({ topics: [...log.topics], data: log.data });
  if (!event || event.name !== 'Anchored') {
    return failed('anchor.event', `log ${ref.logIndex} is not an Anchored event`);
  }
  const onChain = eventCheckpoint(event);
  const same = sameCheckpoint(onChain, ref.checkpoint, hexlify(String(event.args.getValue('originHash'))));
  if (!same) {
    return failed(
      'anchor.event',
      `the contract recorded ${describeCheckpoint(onChain)}, the anchor names ${describeCheckpoint(ref.checkpoint)}`,
    );
  }
  const recordedNote = hexlify(String(event.args.getValue('noteHash')));
  return noteHash === undefined || recordedNote === noteHash.toLowerCase()
    ? verified('anchor.event', `the contract recorded ${describeCheckpoint(onChain)}`)
    : failed(
        'anchor.event',
        `the contract recorded note hash ${recordedNote}, the bundle's anchored note hashes to ${noteHash}`,
      );
}

function eventCheckpoint(event: LogDescription): AnchoredCheckpoint {
  return {
    origin: String(event.args.getValue('origin')),
    size: Number(event.args.getValue('size')),
    rootHash: bytesToBase64(getBytes(String(event.args.getValue('rootHash')))),
  };
}

function sameCheckpoint(onChain: AnchoredCheckpoint, named: AnchoredCheckpoint, originHash: string): boolean {
  return (
    onChain.origin === named.origin &&
    onChain.size === named.size &&
    onChain.rootHash === named.rootHash &&
    originHash === keccak256(toUtf8Bytes(onChain.origin))
  );
}

/** Root bytes of an anchored checkpoint (for callers that compare with a tree root). */
export function anchoredRoot(anchor: AnchorReference): Uint8Array {
  return base64ToBytes(anchor.checkpoint.rootHash);
}
