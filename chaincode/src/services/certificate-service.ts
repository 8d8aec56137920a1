// Issuing and revoking certificates (电子证照). A revocation changes only the certificate's own key
// (endorsed by the issuing region alone); recognitions of it read as SOURCE_REVOKED from then on, and
// the revocation event names them.
import {
  CHAINCODE_EVENTS,
  REGION_CODES,
  type CertificateAnchor,
  type CertificateRevocation,
  type RegionCode,
  versionOf,
} from '@approval-ledger/protocol';
import type { Context } from 'fabric-contract-api';
import { callerOf, mspOf, requireDept, requireRegion, requireRole } from '../ledger/caller';
import {
  type CertificateEntry,
  type CertificateView,
  type RecognitionEntry,
  stamped,
} from '../ledger/entries';
import { fail } from '../ledger/fail';
import { KEY } from '../ledger/keys';
import { epochMs, txTime } from '../ledger/ledger-time';
import { LedgerState } from '../ledger/ledger-state';
import { pairState, runsInPlan, type StateReader } from '../ledger/namespace-state';
import { viewAt } from '../rules/certificate-status';
import { versionKey, versionVerdict } from '../rules/record-version';
import { IssuerCheck } from '../rules/issuer-registry';

export async function readCertificate(state: LedgerState, number: string): Promise<CertificateEntry> {
  const entry = await state.get<CertificateEntry>(KEY.certificate, [number]);
  return entry ?? fail('NOT_FOUND', `certificate ${number} is not anchored`);
}

/**
 * Writes `entry` as the current version under its number; after a correction, the previous version under its own
 * version key. No other keys: lookups by project, document or commitment are the chain index's.
 */
async function writeCertificate(
  state: LedgerState,
  entry: CertificateEntry,
  previous?: CertificateEntry,
): Promise<void> {
  await state.put(KEY.certificate, [entry.number], entry);
  if (previous) {
    const superseded = [entry.number, versionKey(versionOf(previous))];
    await state.put(KEY.certificateVersion, superseded, previous);
    await state.setEndorsers(KEY.certificateVersion, superseded, [mspOf(entry.region)]);
  } else {
    await state.setEndorsers(KEY.certificate, [entry.number], [mspOf(entry.region)]);
  }
}

export async function issueCertificate(ctx: Context, anchor: CertificateAnchor): Promise<CertificateView> {
  const caller = callerOf(ctx);
  requireRole(caller, ['approver'], 'issue certificates');
  requireRegion(caller, anchor.region, `certificate ${anchor.number} of project ${anchor.projectCode}`);
  requireDept(caller, anchor.dept, `certificate ${anchor.number}`);
  const state = new LedgerState(ctx);
  const now = txTime(ctx);
  const existing = await state.get<CertificateEntry>(KEY.certificate, [anchor.number]);
  const verdict = await versionVerdict(
    state,
    KEY.certificateVersion,
    anchor.number,
    existing,
    anchor,
    `certificate ${anchor.number}`,
  );
  let entry: CertificateEntry;
  if (verdict.kind === 'unchanged') {
    entry = verdict.entry;
  } else {
    await new IssuerCheck(state).require(
      anchor.region,
      anchor.dept,
      { certificateType: anchor.type },
      anchor.issuedAt,
    );
    const previous = verdict.kind === 'correction' ? verdict.previous : undefined;
    // a correction does not undo a revocation
    entry = Object.assign(stamped(anchor, { txId: state.txId, recordedAt: now }), revocationOf(previous));
    await writeCertificate(state, entry, previous);
  }
  state.emit(CHAINCODE_EVENTS.CertificateIssued, {
    number: entry.number,
    type: entry.type,
    projectCode: entry.projectCode,
    region: entry.region,
    dept: entry.dept,
    unchanged: verdict.kind === 'unchanged',
    // only a correction names its version: a first version's event is what it always was
    ...(versionOf(entry) > 1 ? { version: versionOf(entry) } : {}),
  });
  return viewAt(entry, now);
}

function revocationOf(previous: CertificateEntry | undefined): Pick<CertificateEntry, 'revocation'> {
  return previous?.revocation ? { revocation: previous.revocation } : {};
}

export interface AffectedRecognition {
  readonly id: string;
  readonly sourceRegion: string;
  readonly targetRegion: string;
}

async function recognitionsIn(source: StateReader, number: string): Promise<AffectedRecognition[]> {
  const ids = await source.list<string>(KEY.recognitionBySubject, ['certificate', number]);
  const out: AffectedRecognition[] = [];
  for (const { value: id } of ids) {
    const r = await source.get<RecognitionEntry>(KEY.recognition, [id]);
    if (r) out.push({ id: r.id, sourceRegion: r.sourceRegion, targetRegion: r.targetRegion });
  }
  return out;
}

/**
 * The recognitions of a certificate of `region`: in this one state outside the namespace plan, else in the
 * namespaces of the pairs `region` belongs to (read through chaincode-to-chaincode calls).
 */
async function recognitionsOf(
  ctx: Context,
  state: LedgerState,
  region: RegionCode,
  number: string,
): Promise<AffectedRecognition[]> {
  if (!runsInPlan(ctx)) return recognitionsIn(state, number);
  const out: AffectedRecognition[] = [];
  for (const other of REGION_CODES.filter((r) => r !== region))
    out.push(...(await recognitionsIn(pairState(ctx, state, region, other), number)));
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function checkRevocation(entry: CertificateEntry, revocation: CertificateRevocation, now: string): void {
  if (revocation.region !== entry.region || revocation.dept !== entry.dept) {
    fail(
      'VALIDATION_FAILED',
      `revocation.region: certificate ${entry.number} was issued by ${entry.dept} of ${entry.region}, not ${revocation.dept} of ${revocation.region}`,
    );
  }
  if (epochMs(revocation.revokedAt) > epochMs(now)) {
    fail(
      'VALIDATION_FAILED',
      `revocation.revokedAt: ${revocation.revokedAt} is later than the transaction time ${now}`,
    );
  }
  if (epochMs(revocation.revokedAt) < epochMs(entry.issuedAt)) {
    fail(
      'VALIDATION_FAILED',
      `revocation.revokedAt: ${revocation.revokedAt} is before the certificate was issued (${entry.issuedAt})`,
    );
  }
}

function sameRevocation(entry: CertificateEntry, revocation: CertificateRevocation): boolean {
  const r = entry.revocation;
  return !!r && r.reason === revocation.reason && epochMs(r.revokedAt) === epochMs(revocation.revokedAt);
}

export async function revokeCertificate(
  ctx: Context,
  revocation: CertificateRevocation,
): Promise<CertificateView & { affectedRecognitions: AffectedRecognition[] }> {
  const caller = callerOf(ctx);
  requireRole(caller, ['approver'], 'revoke certificates');
  const state = new LedgerState(ctx);
  const now = txTime(ctx);
  const entry = await readCertificate(state, revocation.number);
  requireRegion(caller, entry.region, `certificate ${entry.number}`);
  requireDept(caller, entry.dept, `certificate ${entry.number}`);
  checkRevocation(entry, revocation, now);
  if (entry.revocation && !sameRevocation(entry, revocation)) {
    fail(
      'INVALID_STATE',
      `certificate ${entry.number} was already revoked at ${entry.revocation.revokedAt} (${entry.revocation.reason})`,
    );
  }
  const updated: CertificateEntry = entry.revocation
    ? entry
    : {
        ...entry,
        revocation: {
          reason: revocation.reason,
          revokedAt: revocation.revokedAt,
          source: revocation.source,
          txId: state.txId,
          recordedAt: now,
        },
      };
  if (!entry.revocation) await state.put(KEY.certificate, [entry.number], updated);
  const affected = await recognitionsOf(ctx, state, entry.region, entry.number);
  state.emit(CHAINCODE_EVENTS.CertificateRevoked, {
    number: entry.number,
    region: entry.region,
    dept: entry.dept,
    revokedAt: updated.revocation!.revokedAt,
    unchanged: entry.revocation !== undefined,
    affectedRecognitions: affected,
  });
  return { ...viewAt(updated, now), affectedRecognitions: affected };
}
