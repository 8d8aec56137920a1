/**
 * Trust anchors: what a region publishes so that a verifier can pin this ledger (`ledger trust export`).
 * A small line-oriented text, one fact per line, `#` comments and blank lines ignored:
 *
 *     approval-ledger-trust/v1
 *     crypto intl                         (the suite of the transparency log and of the hub's artefacts: intl =
 *                                          SHA-256 trees, Ed25519 keys; gm = SM3 trees, SM2 keys. Every log
 *                                          and witness key below is of this suite)
 *     genesis embedded 3f0c…e1            (hex header hash of block 0 in the ledger's own suite: the embedded
 *                                          genesis block, or Fabric's config block, whose hash is SHA-256)
 *     log bj.approval-ledger.example/log/3f0c9a1b+1a2b3c4d+AY…   (the checkpoint key, a C2SP verifier key)
 *     witness TJ tj.approval-ledger.example/witness+5e6f7a8b+BL…  (a region's witness, a cosignature/v1 vkey)
 *     witness HE he.approval-ledger.example/witness+…
 *     quorum 2                            (cosignatures a checkpoint needs)
 *
 * The first line names the format; exactly one `crypto`, `genesis` and `quorum`, at least one `log`.
 */
import { type RegionCode, REGION_CODES } from '../registries/regions.js';
import { type TlogTrust } from '../verify/proof-checks.js';
import { type TlogSuite } from './checkpoint.js';
import { NOTE_KEY_KIND, type NoteVerifier, parseVerifierKey } from './signed-note.js';

export const TRUST_ANCHORS_HEADER = 'approval-ledger-trust/v1';

export interface TrustAnchors {
  /** The suite of the log, its checkpoints and cosignatures, and the hub's commitments. */
  readonly crypto: TlogSuite;
  readonly genesis: { readonly engine: 'embedded' | 'fabric'; readonly blockHash: string };
  readonly logs: readonly NoteVerifier[];
  readonly witnesses: readonly { readonly region: RegionCode; readonly key: NoteVerifier }[];
  readonly quorum: number;
}

export class TrustAnchorsError extends Error {
  constructor(
    readonly line: number,
    readonly rule: string,
    message: string,
  ) {
    super(`trust anchors line ${line}: ${rule}: ${message}`);
    this.name = 'TrustAnchorsError';
  }
}

/**
 * What a verifier pins from trust anchors (the one mapping the CLI, `POST /verify`'s callers and the explorer
 * share): the genesis hash a bundle's ledger must have, and the transparency log's keys and quorum.
 */
export function pinnedTrustOf(anchors: TrustAnchors): {
  readonly trustedGenesisHash: string;
  readonly tlog: TlogTrust;
} {
  return {
    trustedGenesisHash: anchors.genesis.blockHash,
    tlog: {
      logKeys: anchors.logs,
      witnessKeys: anchors.witnesses.map((w) => w.key),
      quorum: anchors.quorum,
      suite: anchors.crypto,
    },
  };
}

export function formatTrustAnchors(anchors: TrustAnchors): string {
  return [
    TRUST_ANCHORS_HEADER,
    `crypto ${anchors.crypto}`,
    `genesis ${anchors.genesis.engine} ${anchors.genesis.blockHash}`,
    ...anchors.logs.map((l) => `log ${l.vkey}`),
    ...anchors.witnesses.map((w) => `witness ${w.region} ${w.key.vkey}`),
    `quorum ${anchors.quorum}`,
    '',
  ].join('\n');
}

interface Draft {
  crypto?: TlogSuite;
  genesis?: TrustAnchors['genesis'];
  logs: NoteVerifier[];
  witnesses: { region: RegionCode; key: NoteVerifier }[];
  quorum?: number;
}

/** Parses trust anchors; throws a {@link TrustAnchorsError} naming the line and the rule. */
export function parseTrustAnchors(text: string): TrustAnchors {
  const lines = text.split(/\r?\n/);
  const draft: Draft = { logs: [], witnesses: [] };
  let sawHeader = false;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (!sawHeader) {
      if (line !== TRUST_ANCHORS_HEADER) {
        throw new TrustAnchorsError(i + 1, 'trust.header', `the first line is ${TRUST_ANCHORS_HEADER}`);
      }
      sawHeader = true;
      return;
    }
    readLine(draft, line.split(/\s+/), i + 1);
  });
  return complete(draft, lines.length);
}

function readLine(draft: Draft, words: string[], n: number): void {
  const [keyword, ...rest] = words;
  const once = (field: keyof Draft): void => {
    if (draft[field] !== undefined)
      throw new TrustAnchorsError(n, `trust.${field}`, `${field} is given twice`);
  };
  const arity = (count: number): void => {
    if (rest.length !== count)
      throw new TrustAnchorsError(n, `trust.${keyword}`, `${keyword} takes ${count} fields`);
  };
  switch (keyword) {
    case 'crypto':
      arity(1);
      once('crypto');
      if (rest[0] !== 'intl' && rest[0] !== 'gm') {
        throw new TrustAnchorsError(n, 'trust.crypto', `crypto ${rest[0]} is not intl or gm`);
      }
      draft.crypto = rest[0];
      return;
    case 'genesis':
      arity(2);
      once('genesis');
      draft.genesis = genesisOf(rest[0] as string, rest[1] as string, n);
      return;
    case 'log':
      arity(1);
      draft.logs.push(keyOf(rest[0] as string, false, n, 'log'));
      return;
    case 'witness':
      arity(2);
      draft.witnesses.push({
        region: regionOf(rest[0] as string, n),
        key: keyOf(rest[1] as string, true, n, 'witness'),
      });
      return;
    case 'quorum':
      arity(1);
      once('quorum');
      if (!/^(0|[1-9][0-9]*)$/.test(rest[0] as string))
        throw new TrustAnchorsError(n, 'trust.quorum', 'not a count');
      draft.quorum = Number(rest[0]);
      return;
    default:
      throw new TrustAnchorsError(n, 'trust.keyword', `unknown line ${JSON.stringify(keyword)}`);
  }
}

function genesisOf(engine: string, blockHash: string, n: number): TrustAnchors['genesis'] {
  if (engine !== 'embedded' && engine !== 'fabric') {
    throw new TrustAnchorsError(n, 'trust.genesis', `engine ${engine} is not embedded or fabric`);
  }
  if (!/^[0-9a-f]{64}$/.test(blockHash)) {
    throw new TrustAnchorsError(n, 'trust.genesis', 'the genesis block hash is 64 lower-case hex digits');
  }
  return { engine, blockHash };
}

function keyOf(vkey: string, cosigns: boolean, n: number, what: string): NoteVerifier {
  let key: NoteVerifier;
  try {
    key = parseVerifierKey(vkey);
  } catch (error) {
    throw new TrustAnchorsError(n, `trust.${what}`, (error as Error).message);
  }
  if (NOTE_KEY_KIND[key.kind].cosigns !== cosigns) {
    const kinds = cosigns ? 'cosignature/v1 or sm2-cosignature/v1' : 'ed25519 or sm2';
    throw new TrustAnchorsError(n, `trust.${what}`, `a ${what} key is ${kinds}, not ${key.kind}`);
  }
  return key;
}

function regionOf(code: string, n: number): RegionCode {
  if (!(REGION_CODES as readonly string[]).includes(code)) {
    throw new TrustAnchorsError(
      n,
      'trust.witness',
      `region ${code} is not one of ${REGION_CODES.join(', ')}`,
    );
  }
  return code as RegionCode;
}

function complete(draft: Draft, lineCount: number): TrustAnchors {
  const missing = (field: string): never => {
    throw new TrustAnchorsError(lineCount, `trust.${field}`, `no ${field} line`);
  };
  const { crypto = missing('crypto'), genesis = missing('genesis'), quorum = missing('quorum') } = draft;
  if (draft.logs.length === 0) missing('log');
  if (quorum > draft.witnesses.length) {
    throw new TrustAnchorsError(
      lineCount,
      'trust.quorum',
      `quorum ${quorum} exceeds the ${draft.witnesses.length} witnesses`,
    );
  }
  const keys = [...draft.logs, ...draft.witnesses.map((w) => w.key)];
  const mixed = keys.find((k) => k.suite !== crypto);
  if (mixed) {
    throw new TrustAnchorsError(
      lineCount,
      'trust.crypto',
      `the anchors are of the ${crypto} suite but key ${mixed.name} is a ${mixed.suite} ${mixed.kind} key`,
    );
  }
  return { crypto, genesis, logs: draft.logs, witnesses: draft.witnesses, quorum };
}
