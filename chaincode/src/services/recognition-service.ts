// Cross-region mutual recognition (京津冀互认): the target region's authority requests recognition of a
// result issued in another region, then decides it with an EIP-712 signature of an official that the
// target region's admin registered. The recognition key needs both regions' endorsement.
import {
  CHAINCODE_EVENTS,
  recognitionDecisionDigest,
  recognitionDecisionMessage,
  recoverRecognitionSigner,
  type RecognitionDecision,
  type RecognitionRequest,
} from '@approval-ledger/protocol';
import { getAddress } from 'ethers/address';
import type { Context } from 'fabric-contract-api';
import { callerOf, mspOf, requireRegion, requireRole, type Caller } from '../ledger/caller';
import type {
  CertificateEntry,
  MilestoneEntry,
  RecognitionEntry,
  RecognitionView,
  SignerEntry,
} from '../ledger/entries';
import { fail } from '../ledger/fail';
import { KEY } from '../ledger/keys';
import { epochMs, txTime } from '../ledger/ledger-time';
import { LedgerState } from '../ledger/ledger-state';
import { regionState, type StateReader } from '../ledger/namespace-state';
import { recognitionView, sourceRevoked } from '../rules/recognition-status';

export async function readRecognition(state: LedgerState, id: string): Promise<RecognitionEntry> {
  return (
    (await state.get<RecognitionEntry>(KEY.recognition, [id])) ??
    fail('NOT_FOUND', `recognition ${id} does not exist`)
  );
}

async function requireSubject(state: StateReader, request: RecognitionRequest): Promise<void> {
  const subject =
    request.subjectType === 'certificate'
      ? await state.get<CertificateEntry>(KEY.certificate, [request.subjectId])
      : await state.get<MilestoneEntry>(KEY.milestone, [request.subjectId]);
  if (!subject) fail('NOT_FOUND', `${request.subjectType} ${request.subjectId} is not anchored`);
  if (subject.region !== request.sourceRegion) {
    fail(
      'VALIDATION_FAILED',
      `request.sourceRegion: ${request.subjectType} ${request.subjectId} was issued in ${subject.region}, not ${request.sourceRegion}`,
    );
  }
  if (await sourceRevoked(state, request))
    fail('INVALID_STATE', `${request.subjectType} ${request.subjectId} is revoked and cannot be recognised`);
}

function sameRequest(a: RecognitionRequest, b: RecognitionRequest): boolean {
  return (
    a.subjectType === b.subjectType &&
    a.subjectId === b.subjectId &&
    a.sourceRegion === b.sourceRegion &&
    a.targetRegion === b.targetRegion &&
    a.note === b.note
  );
}

async function writeRequest(state: LedgerState, entry: RecognitionEntry): Promise<void> {
  await state.put(KEY.recognition, [entry.id], entry);
  await state.setEndorsers(
    KEY.recognition,
    [entry.id],
    [mspOf(entry.sourceRegion), mspOf(entry.targetRegion)],
  );
  await state.put(KEY.recognitionBySubject, [entry.subjectType, entry.subjectId, entry.id], entry.id);
  await state.put(KEY.recognitionByRoute, [entry.sourceRegion, entry.targetRegion, entry.id], entry.id);
}

export async function requestRecognition(
  ctx: Context,
  request: RecognitionRequest,
): Promise<RecognitionView> {
  const caller = callerOf(ctx);
  requireRole(caller, ['authority'], 'request recognitions');
  requireRegion(
    caller,
    request.targetRegion,
    `a recognition request targeting ${request.targetRegion}`,
    request.sourceRegion,
  );
  const state = new LedgerState(ctx);
  const existing = await state.get<RecognitionEntry>(KEY.recognition, [request.id]);
  if (existing && !sameRequest(existing, request))
    fail(
      'RECORD_CONFLICT',
      `recognition ${request.id} already exists for ${existing.subjectType} ${existing.subjectId} (${existing.sourceRegion} -> ${existing.targetRegion})`,
    );
  let entry = existing;
  if (!entry) {
    await requireSubject(regionState(ctx, state, request.sourceRegion), request);
    entry = { ...request, requestedAt: txTime(ctx), requestTxId: state.txId };
    await writeRequest(state, entry);
  }
  state.emit(CHAINCODE_EVENTS.RecognitionRequested, {
    id: entry.id,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    sourceRegion: entry.sourceRegion,
    targetRegion: entry.targetRegion,
    unchanged: existing !== undefined,
  });
  return recognitionView(regionState(ctx, state, entry.sourceRegion), entry);
}

function recoverSigner(entry: RecognitionEntry, decision: RecognitionDecision): string {
  let recovered: string;
  try {
    recovered = recoverRecognitionSigner(recognitionDecisionMessage(entry, decision), decision.signature);
  } catch (err) {
    return fail(
      'BAD_SIGNATURE',
      `decision.signature: not a valid EIP-712 signature (${err instanceof Error ? err.message.split(' (')[0] : 'unreadable'})`,
    );
  }
  if (getAddress(recovered) !== getAddress(decision.signer)) {
    fail(
      'BAD_SIGNATURE',
      `decision.signature: signed by ${getAddress(recovered)}, not by the named signer ${getAddress(decision.signer)}`,
    );
  }
  return getAddress(recovered);
}

async function requireSigner(
  state: StateReader,
  caller: Caller,
  address: string,
  decision: RecognitionDecision,
  now: string,
): Promise<void> {
  const signer = await state.get<SignerEntry>(KEY.signer, [caller.region, address]);
  if (!signer) fail('SIGNER_NOT_AUTHORISED', `${address} is not a registered signer of ${caller.region}`);
  if (signer.revokedAt !== undefined && epochMs(signer.revokedAt) <= epochMs(now)) {
    fail('SIGNER_NOT_AUTHORISED', `signer ${address} of ${caller.region} was revoked at ${signer.revokedAt}`);
  }
  if (epochMs(signer.validFrom) > epochMs(decision.decidedAt)) {
    fail(
      'SIGNER_NOT_AUTHORISED',
      `signer ${address} of ${caller.region} is authorised only from ${signer.validFrom}, the decision is dated ${decision.decidedAt}`,
    );
  }
}

async function requireDecidable(
  source: StateReader,
  entry: RecognitionEntry,
  decision: RecognitionDecision,
  now: string,
): Promise<void> {
  if (entry.decision)
    fail(
      'INVALID_STATE',
      `recognition ${entry.id} was already decided (${entry.decision.outcome}) at ${entry.decision.decidedAt}`,
    );
  if (await sourceRevoked(source, entry))
    fail(
      'INVALID_STATE',
      `${entry.subjectType} ${entry.subjectId} is revoked; recognition ${entry.id} cannot be decided`,
    );
  if (epochMs(decision.decidedAt) > epochMs(now))
    fail(
      'VALIDATION_FAILED',
      `decision.decidedAt: ${decision.decidedAt} is later than the transaction time ${now}`,
    );
}

export async function decideRecognition(
  ctx: Context,
  decision: RecognitionDecision,
): Promise<RecognitionView> {
  const caller = callerOf(ctx);
  requireRole(caller, ['authority'], 'decide recognitions');
  const state = new LedgerState(ctx);
  const now = txTime(ctx);
  const entry = await readRecognition(state, decision.recognitionId);
  requireRegion(caller, entry.targetRegion, `the decision on recognition ${entry.id}`, entry.sourceRegion);
  const digest = recognitionDecisionDigest(recognitionDecisionMessage(entry, decision)).slice(2);
  const used = await state.get<string>(KEY.recognitionSignature, [digest]);
  if (used !== undefined)
    fail(
      'SIGNATURE_REPLAYED',
      `decision.signature: this signed decision was already used for recognition ${used}`,
    );
  await requireDecidable(regionState(ctx, state, entry.sourceRegion), entry, decision, now);
  const signer = recoverSigner(entry, decision);
  await requireSigner(regionState(ctx, state, caller.region), caller, signer, decision, now);
  const decided: RecognitionEntry = {
    ...entry,
    decision: { ...decision, signer, txId: state.txId, recordedAt: now },
  };
  await state.put(KEY.recognition, [entry.id], decided);
  await state.put(KEY.recognitionSignature, [digest], entry.id);
  state.emit(CHAINCODE_EVENTS.RecognitionDecided, {
    id: entry.id,
    outcome: decision.outcome,
    sourceRegion: entry.sourceRegion,
    targetRegion: entry.targetRegion,
    signer,
  });
  return recognitionView(regionState(ctx, state, decided.sourceRegion), decided);
}
