import { type RecognitionBoardEntry } from '@approval-ledger/protocol/api';
import { expect } from 'chai';
import {
  DEFAULT_TIMING,
  REJECTION_REASONS,
  decisionFor,
  planStep,
  recognitionId,
  type PlanInput,
  type RecognitionCandidate,
} from './authority-plan';

const T0 = Date.parse('2026-12-05T10:00:00Z');
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();
const TX = 'a'.repeat(64);

function entry(
  id: string,
  status: RecognitionBoardEntry['status'],
  requestedAt: number,
  fields: Partial<RecognitionBoardEntry> = {},
): RecognitionBoardEntry {
  const [, target, source] = id.split('-');
  return {
    id,
    subjectType: 'milestone',
    subjectId: `M-${id}`,
    sourceRegion: source as RecognitionBoardEntry['sourceRegion'],
    targetRegion: target as RecognitionBoardEntry['targetRegion'],
    status,
    requestTxId: TX,
    requestedAt: at(requestedAt),
    decisionTxId: status === 'PENDING' ? null : TX,
    decidedAt: status === 'PENDING' ? null : at(requestedAt + 20),
    decision: null,
    ...fields,
  };
}

const bj: RecognitionCandidate[] = [
  { subjectType: 'certificate', subjectId: '110105202612050001', region: 'BJ' },
  { subjectType: 'milestone', subjectId: 'bj-drc-filing.2025-110105-47-03-000318.1', region: 'BJ' },
];
const tj: RecognitionCandidate[] = [
  { subjectType: 'certificate', subjectId: '津环审〔2025〕101号', region: 'TJ' },
];

function plan(input: Omit<Partial<PlanInput>, 'now'> & { now: number }) {
  return planStep({
    board: [],
    candidates: { BJ: bj, TJ: tj },
    revocationsSent: new Set(),
    ...input,
    now: new Date(T0 + input.now * 1000),
  });
}

describe('the authorities’ plan (recognition workflow state machine)', () => {
  it('starts with Tianjin asking to recognise a Beijing certificate, then Hebei a milestone, then Beijing', () => {
    const first = plan({ now: 0 });
    expect(first).to.deep.include({ kind: 'request', id: 'REC-TJ-BJ-0001', target: 'TJ' });
    expect(first.kind === 'request' && first.candidate).to.deep.equal(bj[0]);
    const tjAsked = [
      entry('REC-TJ-BJ-0001', 'PENDING', 0, { subjectType: 'certificate', subjectId: bj[0]!.subjectId }),
    ];
    const second = plan({ now: 1, board: tjAsked });
    expect(second).to.deep.include({ kind: 'request', id: 'REC-HE-BJ-0001' });
    expect(second.kind === 'request' && second.candidate).to.deep.equal(bj[1]);
    const heAsked = [...tjAsked, entry('REC-HE-BJ-0001', 'PENDING', 1)];
    const third = plan({ now: 2, board: heAsked });
    expect(third).to.deep.include({ kind: 'request', id: 'REC-BJ-TJ-0001', target: 'BJ' });
    expect(third.kind === 'request' && third.candidate).to.deep.equal(tj[0]);
  });

  it('decides a request only after it has been pending decideAfterMs, the oldest first', () => {
    const board = [entry('REC-TJ-BJ-0001', 'PENDING', 10), entry('REC-HE-BJ-0001', 'PENDING', 5)];
    const early = plan({ now: 5 + DEFAULT_TIMING.decideAfterMs / 1000 - 1, board, candidates: {} });
    expect(early.kind).to.equal('wait');
    const due = plan({ now: 5 + DEFAULT_TIMING.decideAfterMs / 1000, board, candidates: {} });
    expect(due).to.deep.include({ kind: 'decide', outcome: 'RECOGNISED' });
    expect(due.kind === 'decide' && due.entry.id).to.equal('REC-HE-BJ-0001');
  });

  it('rejects every third request of a route with a reason, and recognises the others', () => {
    expect(decisionFor(recognitionId('TJ', 'BJ', 1))).to.deep.equal({ outcome: 'RECOGNISED' });
    expect(decisionFor(recognitionId('TJ', 'BJ', 2))).to.deep.equal({
      outcome: 'REJECTED',
      reason: REJECTION_REASONS[0],
    });
    expect(decisionFor(recognitionId('TJ', 'BJ', 3))).to.deep.equal({ outcome: 'RECOGNISED' });
    expect(decisionFor(recognitionId('BJ', 'HE', 5)).reason).to.equal(REJECTION_REASONS[1]);
  });

  it('has Beijing revoke a certificate Tianjin recognised, once, revokeAfterMs after the decision', () => {
    const recognised = entry('REC-TJ-BJ-0001', 'RECOGNISED', 0, { subjectType: 'certificate' });
    const board = [recognised];
    const decided = (Date.parse(recognised.decidedAt!) - T0) / 1000;
    expect(plan({ now: decided + 1, board, candidates: {} }).kind).to.equal('wait');
    const revoke = plan({ now: decided + DEFAULT_TIMING.revokeAfterMs / 1000, board, candidates: {} });
    expect(revoke).to.deep.equal({ kind: 'revoke', entry: recognised });
    const sent = new Set([`certificate:${recognised.subjectId}`]);
    expect(plan({ now: 100, board, candidates: {}, revocationsSent: sent }).kind).to.equal('wait');
    const told = [
      { ...recognised, status: 'SOURCE_REVOKED' as const },
      entry('REC-TJ-BJ-0003', 'RECOGNISED', 30, { subjectType: 'certificate' }),
    ];
    expect(plan({ now: 200, board: told, candidates: {} }).kind).to.equal('wait');
  });

  it('has Beijing revoke a milestone Hebei recognised', () => {
    const recognised = entry('REC-HE-BJ-0001', 'RECOGNISED', 0);
    expect(plan({ now: 100, board: [recognised], candidates: {} })).to.deep.equal({
      kind: 'revoke',
      entry: recognised,
    });
  });

  it('still revokes Hebei’s milestone after a certificate Hebei recognised turned SOURCE_REVOKED through Tianjin’s', () => {
    const milestone = entry('REC-HE-BJ-0001', 'RECOGNISED', 0);
    const certificate = entry('REC-HE-BJ-0002', 'SOURCE_REVOKED', 5, { subjectType: 'certificate' });
    expect(plan({ now: 100, board: [milestone, certificate], candidates: {} })).to.deep.equal({
      kind: 'revoke',
      entry: milestone,
    });
  });

  it('revokes nothing else: another kind, another region’s result, a rejected one', () => {
    const board = [
      entry('REC-TJ-BJ-0001', 'RECOGNISED', 0),
      entry('REC-HE-BJ-0001', 'RECOGNISED', 0, { subjectType: 'certificate' }),
      entry('REC-BJ-TJ-0001', 'RECOGNISED', 0),
      entry('REC-HE-BJ-0002', 'REJECTED', 0),
    ];
    expect(plan({ now: 1000, board, candidates: {} }).kind).to.equal('wait');
  });

  it('asks again on a route after requestEveryMs, for a subject it has not asked for, alternating kinds', () => {
    const board = [
      entry('REC-TJ-BJ-0001', 'RECOGNISED', 0, { subjectType: 'certificate', subjectId: bj[0]!.subjectId }),
      entry('REC-HE-BJ-0001', 'RECOGNISED', 1, { subjectId: 'M-HE' }),
    ];
    const candidates = { BJ: bj };
    // Beijing has revoked that one already: the route's next step is a request
    const revocationsSent = new Set([`certificate:${bj[0]!.subjectId}`, 'milestone:M-HE']);
    const soon = plan({ now: DEFAULT_TIMING.requestEveryMs / 1000 - 1, board, candidates, revocationsSent });
    expect(soon.kind === 'request' && soon.target).to.not.equal('TJ');
    const later = plan({
      now: DEFAULT_TIMING.requestEveryMs / 1000 + 30,
      board,
      candidates,
      revocationsSent,
    });
    expect(later).to.deep.include({ kind: 'request', id: 'REC-TJ-BJ-0002' });
    expect(later.kind === 'request' && later.candidate).to.deep.equal(bj[1]);
    const everything = [...board, entry('REC-TJ-BJ-0002', 'PENDING', 40, { subjectId: bj[1]!.subjectId })];
    const none = plan({ now: 1000, board: everything, candidates: { BJ: bj }, revocationsSent });
    expect(none.kind === 'request' && none.target === 'TJ').to.equal(false);
  });

  it('lets the route that asked longest ago go first, so that none starves', () => {
    const board = [entry('REC-TJ-BJ-0001', 'REJECTED', 0, { subjectType: 'certificate', subjectId: 'C-X' })];
    const step = plan({ now: 1000, board, candidates: { BJ: bj, TJ: tj } });
    expect(step).to.deep.include({ kind: 'request', id: 'REC-HE-BJ-0001' });
  });

  it('slows a busy route down', () => {
    const board = Array.from({ length: DEFAULT_TIMING.busyAfter }, (_, i) =>
      entry(recognitionId('TJ', 'BJ', i + 1), 'RECOGNISED', i, { subjectId: `M${i}` }),
    );
    const now = DEFAULT_TIMING.busyAfter + DEFAULT_TIMING.requestEveryMs / 1000 + 60;
    const step = plan({ now, board, candidates: { BJ: bj } });
    expect(step.kind === 'request' && step.target === 'TJ').to.equal(false);
  });
});
