/**
 * `ledger verify <file-or-sha256> [--json]`: asks the running hub whether the document (hashed here) or hash
 * is anchored, by whom, when, and whether it is still valid, and re-checks every proof bundle it returns
 * offline. `ledger verify --bundle proof.json`: checks a bundle offline only.
 *
 * Trust is pinned with `--trust <file>` (or LEDGER_TRUST_ANCHORS): the `approval-ledger-trust/v1` text a region
 * publishes (`ledger trust export`), whose genesis hash a bundle's ledger must have; or with --genesis / --ca.
 * With nothing pinned a bundle is checked only against the genesis and CAs it carries itself, so a bundle of any
 * other ledger under the same names would pass too: that is said, and a valid verdict then exits 4, not 0.
 *
 * The trust file's log and witness keys also pin the transparency log: a proof bundle v2 is checked against
 * them (checkpoint signature, witness quorum, the status proof in the checkpoint's status tree), and
 * `--max-status-age <24h>` refuses to call a status proof current when its newest cosignature is older.
 * `--rpc <url>` also checks a v2 bundle's public anchor on the chain (any JSON-RPC node of the anchor's chain):
 * without it the anchor is checked offline only and its level says what that does not prove.
 *
 * Exit codes: 0 anchored and valid against pinned trust, 1 not anchored, 2 tampered or proof invalid (or from
 * another ledger than the pinned one), 3 anchored but revoked (or expired, or superseded: a later version, a
 * correction 更正, replaced the version proven): a certificate's revocation, or a
 * milestone that a later REVOKED milestone revokes; 4 valid, but against nothing pinned; 5 the record verified
 * but its status is not proven (a v2 bundle without a current status proof: missing, stale, or against a
 * checkpoint no pinned log key signed).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  parseTrustAnchors,
  pinnedTrustOf,
  passed,
  SHA256_HEX,
  type TrustAnchors,
  type VerifyProofOptions,
  CRYPTO_SUITE_NAMES,
  type CryptoSuiteName,
  verifyProofBundle,
  verifyPublicAnchorOnline,
  type ProofVerdict,
} from '@approval-ledger/protocol';
import { type VerifyResponse } from '@approval-ledger/protocol/api';
import { type Command } from 'commander';
import { type CliCommand } from '../cli-command';
import { CliFailure, failureOf, reportFailure } from '../cli-failure';
import { hubUrl } from '../hub-endpoint';

export const VERIFY_EXIT = {
  valid: 0,
  notAnchored: 1,
  invalid: 2,
  revoked: 3,
  unpinned: 4,
  statusUnknown: 5,
} as const;

interface VerifyOptions {
  json?: boolean;
  bundle?: string;
  hub?: string;
  trust?: string;
  genesis?: string;
  ca?: string[];
  maxStatusAge?: string;
  rpc?: string;
  /** The crypto suites accepted (default: intl). */
  suite?: string[];
}

/** The trust a verification is pinned to: --trust (or LEDGER_TRUST_ANCHORS), --genesis, --ca. */
function pinnedTrust(options: VerifyOptions, env: NodeJS.ProcessEnv = process.env): VerifyProofOptions {
  const file = options.trust ?? (env.LEDGER_TRUST_ANCHORS || undefined);
  const anchors = file === undefined ? undefined : trustAnchorsOf(file);
  return {
    ...(anchors ? pinnedTrustOf(anchors) : options.genesis ? { trustedGenesisHash: options.genesis } : {}),
    ...(options.ca ? { trustedCaFingerprints: options.ca } : {}),
    ...maxStatusAgeOf(options),
    acceptedSuites: acceptedSuitesOf(options),
  };
}

/** --suite: the crypto suites a bundle may use (default `intl`); an unknown name exits 2, naming the option. */
function acceptedSuitesOf(options: VerifyOptions): CryptoSuiteName[] {
  const names = options.suite ?? ['intl'];
  const unknown = names.filter((n) => !(CRYPTO_SUITE_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new CliFailure(
      `--suite: expected ${CRYPTO_SUITE_NAMES.join(' or ')}, got ${unknown.join(', ')}`,
      VERIFY_EXIT.invalid,
    );
  }
  return names as CryptoSuiteName[];
}

function maxStatusAgeOf(options: VerifyOptions): Pick<VerifyProofOptions, 'maxStatusAgeSeconds'> {
  return options.maxStatusAge === undefined
    ? {}
    : { maxStatusAgeSeconds: parseDuration(options.maxStatusAge) };
}

/** `90s`, `30m`, `24h`, `7d` (or plain seconds) in seconds; anything else exits 2 naming the option. */
export function parseDuration(text: string): number {
  const match = /^([0-9]+)([smhd]?)$/.exec(text.trim());
  if (!match) {
    throw new CliFailure(
      `--max-status-age ${text}: expected a whole number with an optional unit s, m, h or d (e.g. 24h)`,
      VERIFY_EXIT.invalid,
    );
  }
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}

/** The trust anchors a file pins; a file that cannot be read or parsed exits 2, naming it. */
function trustAnchorsOf(file: string): TrustAnchors {
  try {
    return parseTrustAnchors(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliFailure(
      `--trust ${file}: ${error instanceof Error ? error.message : String(error)}`,
      VERIFY_EXIT.invalid,
    );
  }
}

function isPinned(verdict: ProofVerdict): boolean {
  return verdict.pinned?.genesis === true || verdict.pinned?.cas === true;
}

const UNPINNED_WARNING =
  'NOTHING PINNED: checked only against the genesis block and CAs the bundle carries itself; a bundle of any ' +
  'other ledger using the same names would pass too. Pin the ledger you trust with --trust <file> ' +
  '(`ledger trust export` of the issuing region) or --genesis <hash>.';

/** What `POST /verify` answers: the API contract's shape. */
type HubVerification = VerifyResponse;

export const verifyCommand: CliCommand = {
  name: 'verify',
  register(program: Command): void {
    program
      .command('verify [file-or-sha256]')
      .description(
        'is this document or hash anchored, by whom, when, still valid? (exit 0 valid, 1 not anchored, 2 tampered/invalid, 3 revoked, 4 valid but nothing pinned, 5 status not proven)',
      )
      .option('--bundle <proof.json>', 'check a proof bundle offline instead of asking the hub')
      .option(
        '--trust <file>',
        'pin the trust anchors a region published (`ledger trust export`; default: LEDGER_TRUST_ANCHORS)',
      )
      .option('--genesis <hash>', 'require this genesis block hash (the ledger you trust)')
      .option('--ca <fingerprint...>', 'require these organisation CA fingerprints (SHA-256)')
      .option(
        '--suite <suite...>',
        'accept bundles of these crypto suites: intl (SHA-256, P-256), gm (国密 SM3, SM2); default intl',
      )
      .option(
        '--max-status-age <duration>',
        'a v2 bundle’s status proof older than this (e.g. 24h, 7d; from its newest pinned cosignature) is stale: exit 5',
      )
      .option(
        '--rpc <url>',
        'check a v2 bundle’s public anchor on its EVM chain through this JSON-RPC (else offline only)',
      )
      .option(
        '--hub <url>',
        'the hub (default: HUB_URL, the data dir’s running hub, or http://127.0.0.1:8080)',
      )
      .option('--json', 'print the result as JSON')
      .action(async (target: string | undefined, options: VerifyOptions) => {
        process.exitCode = await runVerify(target, options);
      });
  },
};

export async function runVerify(
  target: string | undefined,
  options: VerifyOptions,
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  try {
    if (options.bundle) return await verifyBundleFile(options.bundle, options, out);
    if (!target)
      throw new CliFailure('give a file or a SHA-256, or --bundle proof.json', VERIFY_EXIT.invalid);
    return await verifyOnline(target, options, out);
  } catch (error) {
    const failure = failureOf(error, VERIFY_EXIT.invalid);
    // with --json the failure is also the result on stdout, for a program that parses it
    if (options.json) out.write(`${JSON.stringify({ ok: false, error: failure.message })}\n`);
    return reportFailure(failure, err);
  }
}

/** Anchored, but no longer in force: exit 3. */
const NO_LONGER_IN_FORCE = new Set<ProofVerdict['status']>(['revoked', 'expired', 'superseded']);

/** Exit code of an offline verdict. */
export function exitOfVerdict(verdict: ProofVerdict): number {
  if (verdict.status === 'valid') return isPinned(verdict) ? VERIFY_EXIT.valid : VERIFY_EXIT.unpinned;
  if (NO_LONGER_IN_FORCE.has(verdict.status)) return VERIFY_EXIT.revoked;
  if (verdict.status === 'status-unknown') return VERIFY_EXIT.statusUnknown;
  return VERIFY_EXIT.invalid;
}

async function verifyBundleFile(
  file: string,
  options: VerifyOptions,
  out: NodeJS.WritableStream,
): Promise<number> {
  let bundle: unknown;
  try {
    bundle = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliFailure(
      `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
      VERIFY_EXIT.invalid,
    );
  }
  const offline = verifyProofBundle(bundle, pinnedTrust(options));
  const verdict = options.rpc ? await verifyPublicAnchorOnline(offline, options.rpc) : offline;
  out.write(options.json ? `${JSON.stringify(verdict)}\n` : describeVerdict(verdict));
  return exitOfVerdict(verdict);
}

async function verifyOnline(
  target: string,
  options: VerifyOptions,
  out: NodeJS.WritableStream,
): Promise<number> {
  const sha256 = SHA256_HEX.test(target)
    ? target
    : createHash('sha256').update(readFileSync(target)).digest('hex');
  const url = `${hubUrl(options.hub)}/api/v1/verify`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sha256, bundle: true }),
  }).catch((error: unknown) => {
    throw new CliFailure(
      `cannot reach the hub at ${url}: ${error instanceof Error ? error.message : String(error)}`,
      VERIFY_EXIT.invalid,
    );
  });
  if (!response.ok)
    throw new CliFailure(
      `the hub answered ${response.status}: ${await response.text()}`,
      VERIFY_EXIT.invalid,
    );
  const result = (await response.json()) as HubVerification;
  const trust = pinnedTrust(options);
  const verdicts = result.matches.map((m) => verifyProofBundle(m.bundle, trust));
  const code = exitOfOnline(result, verdicts);
  if (options.json)
    out.write(
      `${JSON.stringify({ ...result, matches: result.matches.map(({ bundle: _b, ...m }, i) => ({ ...m, offline: verdicts[i] })) })}\n`,
    );
  else out.write(describeOnline(result, verdicts));
  return code;
}

function exitOfOnline(result: HubVerification, verdicts: readonly ProofVerdict[]): number {
  if (!result.anchored) return VERIFY_EXIT.notAnchored;
  if (result.status === 'tampered' || verdicts.some((v) => v.status === 'invalid' || v.status === 'tampered'))
    return VERIFY_EXIT.invalid;
  if (result.status !== 'valid') return VERIFY_EXIT.revoked;
  return verdicts.every(isPinned) ? VERIFY_EXIT.valid : VERIFY_EXIT.unpinned;
}

function describeOnline(result: HubVerification, verdicts: readonly ProofVerdict[]): string {
  if (!result.anchored) return `${result.sha256}: NOT ANCHORED\n`;
  const lines = [`${result.sha256}: ${result.status.toUpperCase()}`];
  result.matches.forEach((m, i) => {
    const v = verdicts[i];
    lines.push(
      `  ${m.kind} ${m.id} (${m.region}): ${m.status}${m.tampered ? ', TAMPERED off chain' : ''}; anchored in block ${m.anchored.blockNumber}, tx ${m.anchored.txId.slice(0, 16)}…, at ${m.anchored.at}`,
      `    endorsed by ${v?.endorsedBy.map((e) => e.mspId).join(', ') || '?'}; proof checked offline: ${
        v?.ok
          ? 'valid'
          : `FAILED (${v?.checks
              .filter((c) => !passed(c))
              .map((c) => c.name)
              .join(', ')})`
      }`,
    );
    if (m.revoked) lines.push(`    revoked at ${m.revoked.at}: ${m.revoked.reason ?? ''}`);
  });
  if (result.matches.length > 0 && !verdicts.every(isPinned)) lines.push(`  ${UNPINNED_WARNING}`);
  return `${lines.join('\n')}\n`;
}

export function describeVerdict(v: ProofVerdict): string {
  const lines = [
    `proof bundle: ${v.status.toUpperCase()}${v.ok ? '' : ' (checks failed)'}${isPinned(v) ? '' : ' — NOTHING PINNED'}`,
    ...verdictFacts(v),
    ...(isPinned(v) ? [] : [`  ${UNPINNED_WARNING}`]),
    ...assuranceLines(v),
  ];
  for (const c of v.checks) lines.push(`  [${passed(c) ? 'ok' : 'FAIL'}] ${c.name}: ${c.detail ?? ''}`);
  return `${lines.join('\n')}\n`;
}

/** What was proven, level by level (a v1 bundle states its lower assurance). */
function assuranceLines(v: ProofVerdict): string[] {
  const a = v.assurance;
  if (!a) return [];
  return [
    `  bundle ${a.bundle}; status proof: ${a.statusProof}`,
    ...a.summary.map((line) => `  - ${line}`),
    ...a.levels.map((l) => `  assurance ${l.level}: ${l.status.toUpperCase()} (${l.detail})`),
  ];
}

function verdictFacts(v: ProofVerdict): string[] {
  const facts: (string | false | undefined)[] = [
    v.record &&
      `  ${v.record.kind} ${v.record.id} of ${v.record.region ?? '?'}, commitment ${v.record.commitment ?? '?'}`,
    v.anchoredAt &&
      `  anchored in block ${v.anchoredAt.blockNumber}, tx ${v.anchoredAt.txId}, at ${v.anchoredAt.timestamp}`,
    v.creator && `  submitted by ${v.creator.mspId} (${v.creator.subject})`,
    ...v.endorsedBy.map((e) => `  endorsed by ${e.mspId} (${e.subject})`),
    revocationFact(v),
    versionFact(v),
    v.genesisHash !== undefined &&
      `  ledger genesis ${v.genesisHash}; CAs ${v.trust.map((t) => `${t.mspId} ${t.caFingerprint.slice(0, 16)}…`).join(', ')}`,
  ];
  return facts.filter((f): f is string => typeof f === 'string');
}

/** The version proven (corrections, 更正): superseded by which, or the latest, and on what basis. */
function versionFact(v: ProofVerdict): string | undefined {
  const version = v.version;
  if (version === undefined) return undefined;
  const by = version.supersededBy;
  const asOf = version.asOfCheckpoint === undefined ? '' : ` as of checkpoint ${version.asOfCheckpoint}`;
  if (by)
    return `  version ${version.number}, superseded by version ${by.version} (tx ${by.txId}, block ${by.block})${asOf}`;
  if (version.latest === false) return `  version ${version.number}, superseded (the hub's statement)`;
  if (version.latest === true && version.basis === 'checkpoint')
    return `  version ${version.number}, the latest${asOf}`;
  return `  version ${version.number}; whether it is the latest is not proven`;
}

function revocationFact(v: ProofVerdict): string | undefined {
  if (v.revokedAt === undefined) return undefined;
  const by = v.revokedBy?.milestone ? ` by REVOKED milestone ${v.revokedBy.milestone}` : '';
  return `  revoked at ${v.revokedAt}${by}${v.revokedBy ? `, tx ${v.revokedBy.txId}` : ''}`;
}
