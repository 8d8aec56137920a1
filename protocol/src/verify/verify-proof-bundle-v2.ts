/**
 * The layers a proof bundle v2 (`approval-ledger/proof@2`) adds on top of its v1 evidence, which
 * `verify-proof-bundle.ts` has already verified (record opening -> commitment -> transaction -> block -> the
 * chain up to its head):
 *
 *   head block -> RFC 6962 inclusion in the checkpoint -> checkpoint signed by the pinned log key ->
 *   cosigned by a quorum of the pinned witnesses -> the checkpoint's `status` line -> the record's status
 *   proof in that status tree, and its version's supersession proof (`version-rules.ts`) -> (optional) the
 *   public anchor: the anchored checkpoint, the record's block in it, the checkpoint's consistency with it,
 *   and the reference naming it (`anchor-layer.ts`)
 *
 * What each layer proved goes into the verdict's `assurance`; a record whose status is not proven as of a
 * checkpoint the pinned log signed, within the verifier's age limit, is `status-unknown`, never `valid`.
 * Pure and browser-safe, like the rest of the core; never throws.
 */
import { bytesToHex } from '../bytes.js';
import { type ProofBundleV2, type ProofStatus } from '../proof/proof-bundle.js';
import { checkpointSuite, type TreeHead, parseCheckpoint, verifyCheckpoint } from '../tlog/checkpoint.js';
import { requireSuite, type SuiteAlgorithms } from './crypto-suite.js';
import { verifyCosignedCheckpoint } from '../tlog/cosignature.js';
import { parseNote } from '../tlog/signed-note.js';
import { parseStatusExtension, type StatusEntry, verifyStatusProof } from '../tlog/status-tree.js';
import { isObject } from '../proof/transaction-writers.js';
import { type AnchorFinding, anchorLayer } from './anchor-layer.js';
import { blockInclusionCheck } from './block-inclusion.js';
import { type Check, failed, notApplicable, passed, unchecked, verified } from './check.js';
import {
  type Assurance,
  type AssuranceLevel,
  type ProofVerdict,
  type VerifyProofOptions,
} from './proof-checks.js';
import { supersessionLayer, type VersionFinding, versionVerdictOf } from './version-rules.js';

interface CheckpointFinding {
  readonly head: TreeHead;
  /** The log's crypto suite: its tree hash is the proofs' hash. */
  readonly suite: SuiteAlgorithms;
  /** Signed by a pinned log key. */
  readonly signed: boolean;
  /** Cosigned by the pinned quorum. */
  readonly witnessed: boolean;
  readonly cosignedBy: readonly string[];
  readonly cosignedAt?: number;
}

type StatusState = Assurance['statusProof'];

interface StatusFinding {
  readonly state: StatusState;
  readonly revokedBy?: StatusEntry;
  readonly detail: string;
}

/** The v2 verdict: the evidence's verdict with the checkpoint, status and anchor layers added. */
export function verifyV2Layers(
  bundle: ProofBundleV2,
  evidence: ProofVerdict,
  options: VerifyProofOptions,
): ProofVerdict {
  const checks: Check[] = [verified('bundle.format', bundle.format)];
  const checkpoint = checkpointLayer(bundle, evidence, options, checks);
  const status = checkpoint
    ? statusLayer(bundle, evidence, checkpoint, options, checks)
    : { state: 'failed' as const, detail: 'no checkpoint to prove the status against' };
  const version = versionLayer(bundle, evidence, checkpoint, checks);
  const anchor = anchorLayer(bundle, evidence, checkpoint, options, checks);
  const all = [...evidence.checks, ...checks];
  const revokedBy = status.revokedBy;
  return {
    ...evidence,
    ok: all.every(passed),
    status: v2Status(evidence.status, all, status, revokedBy !== undefined, version),
    checks: all,
    ...(revokedBy && !evidence.revokedBy
      ? { revokedBy: { txId: revokedBy.txId, ...(revokedBy.by ? { milestone: revokedBy.by } : {}) } }
      : {}),
    ...versionFields(version, checkpoint),
    assurance: assuranceOf(evidence, checkpoint, status, anchor, options, version),
  };
}

/** The supersession proof of the evidence's version, against the checkpoint's status tree. */
function versionLayer(
  bundle: ProofBundleV2,
  evidence: ProofVerdict,
  checkpoint: CheckpointFinding | undefined,
  checks: Check[],
): VersionFinding {
  const head = checkpoint?.head;
  const commitment = head ? parseStatusExtension(head.extensions) : undefined;
  const withDigest =
    commitment && checkpoint ? { ...commitment, digest: checkpoint.suite.digest } : undefined;
  return supersessionLayer(bundle, evidence, head?.size ?? 0, withDigest, checks);
}

function versionFields(
  version: VersionFinding,
  checkpoint: CheckpointFinding | undefined,
): Pick<ProofVerdict, 'version'> {
  if (version.state === 'not-applicable') return {};
  return { version: versionVerdictOf(version, checkpoint?.head.size) };
}

/**
 * Failed beats tampered beats revoked beats superseded; a version not proven the latest (or a status not proven
 * current) is `status-unknown`, never `valid`. The v1 evidence's own `superseded` (the hub's statement) yields
 * to the supersession proof.
 */
function v2Status(
  evidenceStatus: ProofStatus,
  checks: readonly Check[],
  status: StatusFinding,
  revokedByStatus: boolean,
  version: VersionFinding,
): ProofStatus {
  if (checks.some((c) => c.status === 'failed'))
    return evidenceStatus === 'tampered' ? 'tampered' : 'invalid';
  if (evidenceStatus === 'revoked' || revokedByStatus) return 'revoked';
  if (version.state === 'superseded') return 'superseded';
  const base = evidenceStatus === 'superseded' ? 'valid' : evidenceStatus;
  if (base !== 'valid') return base;
  return status.state === 'current' && provenLatest(version) ? 'valid' : 'status-unknown';
}

function provenLatest(version: VersionFinding): boolean {
  return version.state === 'latest' || version.state === 'not-applicable';
}

// ------------------------------------------------------------------------------------------- checkpoint

function checkpointLayer(
  bundle: ProofBundleV2,
  evidence: ProofVerdict,
  options: VerifyProofOptions,
  checks: Check[],
): CheckpointFinding | undefined {
  const suite = logSuite(bundle, evidence, options, checks);
  if (!suite) return undefined;
  const finding = checkpointSignatures(bundle.checkpoint.note, suite, options, checks);
  if (!finding) return undefined;
  checks.push(inclusionCheck(bundle, evidence, finding.head, suite));
  return finding;
}

/**
 * `checkpoint.suite`: the log's suite, the pinned one (trust anchors' `crypto`) or, with nothing pinned, the one
 * the checkpoint names. The verifier must accept it, and it must be the suite of the bundle's other hub
 * artefacts: the commitment (`record.suite`) and, on the embedded engine, the ledger itself (one hub, one
 * suite). A passing check is reported for a `gm` log only, so `intl` verdicts read as they always did.
 */
function logSuite(
  bundle: ProofBundleV2,
  evidence: ProofVerdict,
  options: VerifyProofOptions,
  checks: Check[],
): SuiteAlgorithms | undefined {
  let suite: SuiteAlgorithms;
  try {
    suite = requireSuite(
      namedLogSuite(bundle, options),
      options.acceptedSuites ?? ['intl'],
      options.tlog ? 'trust anchors crypto' : 'checkpoint crypto',
    );
  } catch (error) {
    checks.push(failed('checkpoint.suite', error instanceof Error ? error.message : String(error)));
    return undefined;
  }
  const mixed = mixedSuites(bundle, evidence, suite.name);
  if (mixed) {
    checks.push(failed('checkpoint.suite', `mixed crypto suites in one bundle: ${mixed}`));
    return undefined;
  }
  if (suite.name !== 'intl') {
    checks.push(
      verified('checkpoint.suite', `the log is ${suite.name}: ${suite.hash} trees, SM2 signatures`),
    );
  }
  return suite;
}

/** The pinned log's suite, or with nothing pinned the one the checkpoint names (throws for a malformed note). */
function namedLogSuite(bundle: ProofBundleV2, options: VerifyProofOptions): unknown {
  if (options.tlog) return options.tlog.suite;
  return checkpointSuite(parseCheckpoint(parseNote(bundle.checkpoint.note).text));
}

/** Why the log's suite does not go with the commitment's or the embedded ledger's, or undefined. */
function mixedSuites(bundle: ProofBundleV2, evidence: ProofVerdict, log: string): string | undefined {
  const commitment = evidence.record?.commitmentSuite ?? 'intl';
  if (commitment !== log) return `the log is ${log} but the record's commitment is ${commitment}`;
  const embedded = isObject(bundle.evidence.ledger) && bundle.evidence.ledger.blockFormat !== 'fabric';
  const ledger = evidence.suite ?? 'intl';
  return embedded && ledger !== log
    ? `the log is ${log} but the embedded ledger is ${ledger}: an embedded hub makes both in one suite`
    : undefined;
}

function checkpointSignatures(
  note: string,
  suite: SuiteAlgorithms,
  options: VerifyProofOptions,
  checks: Check[],
): CheckpointFinding | undefined {
  const tlog = options.tlog;
  if (!tlog) {
    const head = unsignedHead(note, checks);
    if (!head) return undefined;
    checks.push(
      unchecked(
        'checkpoint.signature',
        'no log key is pinned (trust anchors): the checkpoint is not authenticated',
      ),
    );
    checks.push(unchecked('checkpoint.witnesses', 'no witness key is pinned (trust anchors)'));
    return { head, suite, signed: false, witnessed: false, cosignedBy: [] };
  }
  const signed = verifyCheckpoint(note, tlog.logKeys, [suite.name]);
  if (!signed.ok) {
    checks.push(failed('checkpoint.signature', `${signed.rule}: ${signed.reason}`));
    return undefined;
  }
  checks.push(
    verified('checkpoint.signature', `signed by the pinned log key ${signed.signedBy[0]?.name ?? ''}`),
  );
  const cosigned = verifyCosignedCheckpoint(note, { ...tlog, accepted: [suite.name] });
  if (!cosigned.ok) {
    checks.push(failed('checkpoint.witnesses', `${cosigned.rule}: ${cosigned.reason}`));
    return { head: signed.head, suite, signed: true, witnessed: false, cosignedBy: [] };
  }
  const times = cosigned.cosignatures.map((c) => c.time);
  const cosignedBy = cosigned.cosignatures.map((c) => c.witness);
  checks.push(
    verified(
      'checkpoint.witnesses',
      `cosigned by ${cosignedBy.join(', ') || 'no witness'} (quorum ${tlog.quorum})`,
    ),
  );
  return {
    head: signed.head,
    suite,
    signed: true,
    witnessed: true,
    cosignedBy,
    ...(times.length ? { cosignedAt: Math.max(...times) } : {}),
  };
}

function unsignedHead(note: string, checks: Check[]): TreeHead | undefined {
  try {
    return parseCheckpoint(parseNote(note).text);
  } catch (error) {
    checks.push(failed('checkpoint.format', error instanceof Error ? error.message : String(error)));
    return undefined;
  }
}

function inclusionCheck(
  bundle: ProofBundleV2,
  evidence: ProofVerdict,
  head: TreeHead,
  suite: SuiteAlgorithms,
): Check {
  const block = evidence.head;
  if (!block) return failed('checkpoint.inclusion', 'the evidence established no block to include');
  return blockInclusionCheck(
    { name: 'checkpoint.inclusion', tree: 'checkpoint', blockIs: 'the evidence ends at' },
    block,
    bundle.checkpoint.inclusion,
    head,
    suite,
  );
}

// ----------------------------------------------------------------------------------------------- status

const STATUS_KIND: Readonly<Record<string, string | undefined>> = {
  milestone: 'milestone',
  certificate: 'certificate',
};

function statusLayer(
  bundle: ProofBundleV2,
  evidence: ProofVerdict,
  checkpoint: CheckpointFinding,
  options: VerifyProofOptions,
  checks: Check[],
): StatusFinding {
  const record = evidence.record;
  const kind = record ? STATUS_KIND[record.kind] : undefined;
  if (!record || !kind) {
    checks.push(notApplicable('status.proof', 'the record is not revocable'));
    return { state: 'current', detail: 'the record is not revocable' };
  }
  const commitment = statusCommitment(bundle, checkpoint, checks);
  if (!('root' in commitment) || !bundle.status) return commitment as StatusFinding;
  const result = verifyStatusProof(bundle.status, {
    kind,
    id: record.id,
    ...commitment,
    digest: checkpoint.suite.digest,
  });
  if (!result.ok) {
    checks.push(failed('status.proof', result.reason));
    return { state: 'failed', detail: result.reason };
  }
  const size = checkpoint.head.size;
  const finding = result.revoked
    ? revokedFinding(result.entry, evidence, size, checks)
    : notRevokedFinding(bundle, evidence, size, checks);
  return finding.state === 'current' ? freshness(finding, checkpoint, options) : finding;
}

/** The checkpoint's status commitment, or the finding when there is none or the bundle has no proof. */
function statusCommitment(
  bundle: ProofBundleV2,
  checkpoint: CheckpointFinding,
  checks: Check[],
): { readonly size: number; readonly root: Uint8Array } | StatusFinding {
  const commitment = parseStatusExtension(checkpoint.head.extensions);
  if (!commitment) {
    const detail = `checkpoint ${checkpoint.head.size} commits to no status tree`;
    checks.push(bundle.status ? failed('status.commitment', detail) : unchecked('status.commitment', detail));
    return { state: bundle.status ? 'failed' : 'missing', detail };
  }
  if (!bundle.status) {
    checks.push(unchecked('status.proof', 'the bundle carries no status proof'));
    return { state: 'missing', detail: 'the bundle carries no status proof' };
  }
  return commitment;
}

function revokedFinding(
  entry: StatusEntry,
  evidence: ProofVerdict,
  size: number,
  checks: Check[],
): StatusFinding {
  const shown = evidence.revokedBy?.txId;
  if (shown !== undefined && shown !== entry.txId) {
    const detail = `the status tree names revocation ${entry.txId}, the evidence ${shown}`;
    checks.push(failed('status.proof', detail));
    return { state: 'failed', detail };
  }
  const detail = `revoked by transaction ${entry.txId} in block ${entry.block}${entry.by ? ` (${entry.by})` : ''}, as of checkpoint ${size}`;
  checks.push(verified('status.proof', detail));
  return { state: 'current', revokedBy: entry, detail };
}

function notRevokedFinding(
  bundle: ProofBundleV2,
  evidence: ProofVerdict,
  size: number,
  checks: Check[],
): StatusFinding {
  const revocationBlock = evidence.revokedBy ? revocationBlockOf(bundle) : undefined;
  if (evidence.revokedBy && revocationBlock !== undefined && revocationBlock < size) {
    const detail = `the status tree of checkpoint ${size} omits the revocation in block ${revocationBlock}`;
    checks.push(failed('status.proof', detail));
    return { state: 'failed', detail };
  }
  if (evidence.revokedBy) {
    const detail = `the status proof (checkpoint ${size}) predates the revocation the bundle shows`;
    checks.push(verified('status.proof', `not revoked as of checkpoint ${size}; ${detail}`));
    return { state: 'stale', detail };
  }
  const detail = `not revoked as of checkpoint ${size}`;
  checks.push(verified('status.proof', detail));
  return { state: 'current', detail };
}

/** The block of the revocation transaction the (verified) evidence carries, either engine's. */
function revocationBlockOf(bundle: ProofBundleV2): number | undefined {
  const revocation = bundle.evidence.revocation;
  if (!isObject(revocation) || !isObject(revocation.transaction)) return undefined;
  const block = revocation.transaction.blockNumber;
  return typeof block === 'number' ? block : undefined;
}

function freshness(
  finding: StatusFinding,
  checkpoint: CheckpointFinding,
  options: VerifyProofOptions,
): StatusFinding {
  if (!checkpoint.signed) {
    return {
      ...finding,
      state: 'unauthenticated',
      detail: `${finding.detail}; the checkpoint is not signed by a pinned log key`,
    };
  }
  const limit = options.maxStatusAgeSeconds;
  if (limit === undefined) return finding;
  if (checkpoint.cosignedAt === undefined) {
    return {
      ...finding,
      state: 'stale',
      detail: `${finding.detail}; no pinned witness cosignature dates it`,
    };
  }
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const age = now - checkpoint.cosignedAt;
  return age > limit
    ? {
        ...finding,
        state: 'stale',
        detail: `${finding.detail}; ${age} s old, beyond the limit of ${limit} s`,
      }
    : finding;
}

// -------------------------------------------------------------------------------------------- assurance

function assuranceOf(
  evidence: ProofVerdict,
  checkpoint: CheckpointFinding | undefined,
  status: StatusFinding,
  anchor: AnchorFinding,
  options: VerifyProofOptions,
  version: VersionFinding,
): Assurance {
  const base =
    evidence.assurance?.levels.filter((l) => l.level === 'ledger' || l.level === 'pinned-ledger') ?? [];
  const head = checkpoint?.head;
  const origin = head ? `checkpoint ${head.size} of ${head.origin}` : 'no checkpoint';
  const levels: AssuranceLevel[] = [
    ...base,
    ...checkpointLevels(checkpoint, origin, options),
    { level: 'status', status: STATUS_LEVEL[status.state], detail: status.detail },
    anchor.level,
  ];
  return {
    bundle: 'v2',
    levels,
    statusProof: status.state,
    ...(checkpoint ? { checkpoint: checkpointSummary(checkpoint) } : {}),
    anchor: anchor.anchor,
    summary: [
      ...summaryOf(evidence, checkpoint, origin, status),
      ...versionSummary(version),
      ...(anchor.summary ? [anchor.summary] : []),
    ],
  };
}

/** The version sentence of the summary (none for a record without versions). */
function versionSummary(version: VersionFinding): string[] {
  if (version.state === 'not-applicable') return [];
  if (version.state === 'latest' || version.state === 'superseded') return [version.detail];
  return [`version not proven the latest: ${version.detail}`];
}

const STATUS_LEVEL: Readonly<Record<StatusState, AssuranceLevel['status']>> = {
  current: 'proven',
  failed: 'failed',
  stale: 'not-proven',
  unauthenticated: 'not-proven',
  missing: 'not-proven',
};

function checkpointLevels(
  checkpoint: CheckpointFinding | undefined,
  origin: string,
  options: VerifyProofOptions,
): AssuranceLevel[] {
  const pinned = options.tlog !== undefined;
  const signed: AssuranceLevel = checkpoint?.signed
    ? { level: 'checkpoint', status: 'proven', detail: `in ${origin}, signed by the pinned log key` }
    : pinned
      ? {
          level: 'checkpoint',
          status: 'failed',
          detail: 'the checkpoint does not verify with the pinned log key',
        }
      : { level: 'checkpoint', status: 'not-proven', detail: 'no log key pinned' };
  const witnessed: AssuranceLevel = checkpoint?.witnessed
    ? { level: 'witnessed', status: 'proven', detail: `cosigned by ${checkpoint.cosignedBy.join(', ')}` }
    : {
        level: 'witnessed',
        status: pinned && checkpoint?.signed ? 'failed' : 'not-proven',
        detail: 'no quorum of pinned witnesses cosigned it',
      };
  return [signed, witnessed];
}

function summaryOf(
  evidence: ProofVerdict,
  checkpoint: CheckpointFinding | undefined,
  origin: string,
  status: StatusFinding,
): string[] {
  return [
    ...(evidence.assurance?.summary ?? []),
    ...(checkpoint?.signed ? [`in ${origin}${cosignedPhrase(checkpoint)}`] : []),
    status.state === 'current' ? status.detail : `status not proven: ${status.detail}`,
  ];
}

function cosignedPhrase(checkpoint: CheckpointFinding): string {
  return checkpoint.witnessed ? `, cosigned by ${checkpoint.cosignedBy.join(' and ')}` : '';
}

function checkpointSummary(checkpoint: CheckpointFinding): NonNullable<Assurance['checkpoint']> {
  const { head, cosignedAt } = checkpoint;
  return {
    origin: head.origin,
    size: head.size,
    root: bytesToHex(head.root),
    suite: checkpoint.suite.name,
    cosignedBy: checkpoint.cosignedBy,
    ...(cosignedAt !== undefined ? { cosignedAt: new Date(cosignedAt * 1000).toISOString() } : {}),
  };
}
