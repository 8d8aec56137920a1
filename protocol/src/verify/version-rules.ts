/**
 * Which version of a record a bundle proves (corrections, 更正) and whether it is still the latest.
 *
 * A correction anchors version n + 1 of a certificate or milestone under the same key; every version stays
 * provable by its own transaction, so a bundle of version n verifies as anchored whatever came later. Whether
 * it is the latest is a separate fact: the status tree holds a SUPERSEDED leaf `<kind>@<n>/<id>` for every
 * superseded version (protocol `tlog/status-tree.ts`). A v2 bundle carries the proof of that key (`supersession`):
 * membership says "version n, superseded by version m in tx X at block B", non-membership "the latest as of the
 * checkpoint". A bundle without it proves nothing about being the latest, so it can never read as current: a
 * stripped supersession is `missing`, and the bundle `status-unknown`. A v1 bundle has only the hub's statement.
 */
import { versionOf } from '../schemas/correction.js';
import { type ProofBundleV2, type ProofStatus } from '../proof/proof-bundle.js';
import { isObject } from '../proof/transaction-writers.js';
import { type DigestImplementation } from '../pluggable-digest.js';
import { type StatusEntry, verifyStatusProof } from '../tlog/status-tree.js';
import { type Check, failed, notApplicable, unchecked, verified } from './check.js';
import { type ProofVerdict, type VersionVerdict } from './proof-checks.js';

export interface VersionFinding {
  /** `latest` / `superseded`: proven; `missing`: no proof; `failed`: a proof that does not hold. */
  readonly state: 'latest' | 'superseded' | 'missing' | 'failed' | 'not-applicable';
  readonly version: number;
  readonly entry?: StatusEntry;
  readonly detail: string;
}

/** The version an anchor names (1 when it names none, or names something that is not a version). */
export function anchoredVersion(anchor: Readonly<Record<string, unknown>>): number {
  const version = anchor.version;
  return typeof version === 'number' && Number.isSafeInteger(version) && version >= 1
    ? versionOf({ version })
    : 1;
}

/**
 * The supersession layer of a v2 bundle, against the status tree (`commitment`) of checkpoint `size`; the check
 * `status.version` goes into `checks`.
 */
export function supersessionLayer(
  bundle: ProofBundleV2,
  evidence: ProofVerdict,
  size: number,
  commitment:
    { readonly size: number; readonly root: Uint8Array; readonly digest?: DigestImplementation } | undefined,
  checks: Check[],
): VersionFinding {
  const record = evidence.record;
  if (!record || (record.kind !== 'certificate' && record.kind !== 'milestone')) {
    checks.push(notApplicable('status.version', 'the record has no versions'));
    return { state: 'not-applicable', version: 1, detail: 'the record has no versions' };
  }
  const version = anchoredVersion(versionedAnchorOf(bundle));
  const about = `version ${version} of ${record.kind} ${record.id}`;
  if (!commitment || !bundle.supersession) {
    const detail = `whether ${about} is the latest is not proven: ${commitment ? 'the bundle carries no supersession proof' : `checkpoint ${size} commits to no status tree`}`;
    checks.push(unchecked('status.version', detail));
    return { state: 'missing', version, detail };
  }
  const result = verifyStatusProof(bundle.supersession, {
    kind: record.kind,
    id: record.id,
    version,
    ...commitment,
  });
  if (!result.ok) {
    checks.push(failed('status.version', result.reason));
    return { state: 'failed', version, detail: result.reason };
  }
  if (!result.revoked) {
    const detail = `${about} is the latest as of checkpoint ${size}`;
    checks.push(verified('status.version', detail));
    return { state: 'latest', version, detail };
  }
  const entry = result.entry;
  const detail = `${about} was superseded by version ${entry.supersededBy ?? '?'} (transaction ${entry.txId} in block ${entry.block}), as of checkpoint ${size}`;
  checks.push(verified('status.version', detail));
  return { state: 'superseded', version, entry, detail };
}

/** The anchor of the evidence's record (either engine's v1 bundle keeps it at `record.anchor`). */
function versionedAnchorOf(bundle: ProofBundleV2): Readonly<Record<string, unknown>> {
  const record = bundle.evidence.record;
  return isObject(record) && isObject(record.anchor) ? record.anchor : {};
}

/** The anchor of a v1 bundle's certificate or milestone. */
function versionedAnchor(input: unknown): Readonly<Record<string, unknown>> | undefined {
  if (!isObject(input) || !isObject(input.record) || !isObject(input.record.anchor)) return undefined;
  const kind = input.record.kind;
  return kind === 'certificate' || kind === 'milestone' ? input.record.anchor : undefined;
}

/** What a v1 bundle's statement says of the version being the latest. */
function statedLatest(input: unknown): boolean | undefined {
  const statement = isObject(input) && isObject(input.statement) ? input.statement : {};
  return typeof statement.latest === 'boolean' ? statement.latest : undefined;
}

/** The verdict's `version` of a v2 bundle. */
export function versionVerdictOf(finding: VersionFinding, size: number | undefined): VersionVerdict {
  const known = finding.state === 'latest' || finding.state === 'superseded';
  const entry = finding.entry;
  return {
    number: finding.version,
    ...(known ? { latest: finding.state === 'latest' } : {}),
    basis: known ? 'checkpoint' : 'none',
    ...(entry?.supersededBy !== undefined
      ? { supersededBy: { version: entry.supersededBy, txId: entry.txId, block: entry.block } }
      : {}),
    ...(known && size !== undefined ? { asOfCheckpoint: size } : {}),
  };
}

/**
 * A v1 bundle's version, from its anchor and the hub's statement: a statement that the version is no longer
 * the latest turns a `valid` or `expired` status into `superseded`; one that says it is the latest proves
 * nothing (a v1 bundle has no status proof) and changes nothing.
 */
export function statedVersion(
  input: unknown,
  verdict: ProofVerdict,
): Pick<ProofVerdict, 'status' | 'version'> | undefined {
  const anchor = versionedAnchor(input);
  if (!anchor) return undefined;
  const number = anchoredVersion(anchor);
  const latest = statedLatest(input);
  const superseded = latest === false && (verdict.status === 'valid' || verdict.status === 'expired');
  return {
    status: superseded ? ('superseded' satisfies ProofStatus) : verdict.status,
    version: {
      number,
      ...(latest === undefined ? {} : { latest }),
      basis: latest === undefined ? 'none' : 'statement',
    },
  };
}
