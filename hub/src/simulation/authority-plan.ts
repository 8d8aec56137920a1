/**
 * What the three regions' recognition authorities do next, decided from what the hub shows them: a pure state
 * machine, so that the default run's story (`authority-workflow.ts` runs it against the hub's API) is tested
 * step by step without a clock or a network.
 *
 *   request ──(decideAfterMs)──> decide: RECOGNISED, or REJECTED with a reason (every third request of a route)
 *                                   │
 *   a Beijing certificate RECOGNISED by TJ ──(revokeAfterMs)──> Beijing revokes it ──> SOURCE_REVOKED
 *   a Beijing milestone RECOGNISED by HE   ──(revokeAfterMs)──> Beijing revokes it (撤销) ──> SOURCE_REVOKED
 *
 * Routes: Tianjin and Hebei ask to recognise Beijing's results, Beijing theirs, alternating certificates and
 * milestones. A route asks again every `requestEveryMs` (slower once it has `busyAfter` recognitions), so a
 * PENDING one is usually on the board; Beijing revokes one recognised result per target region, once, and then
 * leaves the story alone.
 */
import { type RecognitionSubjectType, type RegionCode } from '@approval-ledger/protocol';
import { type RecognitionBoardEntry } from '@approval-ledger/protocol/api';

export interface RecognitionRoute {
  /** Who asks. */
  readonly target: RegionCode;
  /** Whose results. */
  readonly source: RegionCode;
  /** What the route asks for first (then it alternates). */
  readonly first: RecognitionSubjectType;
  /** What kind of recognised result the source revokes once, if any. */
  readonly revokes?: RecognitionSubjectType;
}

export const RECOGNITION_ROUTES: readonly RecognitionRoute[] = [
  { target: 'TJ', source: 'BJ', first: 'certificate', revokes: 'certificate' },
  { target: 'HE', source: 'BJ', first: 'milestone', revokes: 'milestone' },
  { target: 'BJ', source: 'TJ', first: 'certificate' },
  { target: 'BJ', source: 'HE', first: 'milestone' },
];

/** The reasons an authority gives for a rejection, in the words an official writes. */
export const REJECTION_REASONS: readonly string[] = [
  '申请材料与原件不一致，需补充原件核验后重新申请',
  '该证照适用范围未涵盖本地区同类事项',
  '发证机关信息与登记信息不符，待核实',
];

/** A result of the source region the target may ask to recognise (found through the hub's API). */
export interface RecognitionCandidate {
  readonly subjectType: RecognitionSubjectType;
  readonly subjectId: string;
  readonly region: RegionCode;
}

export interface PlanTiming {
  /** A request waits this long before its decision (so the board shows it PENDING). */
  readonly decideAfterMs: number;
  /** A route asks again after this long. */
  readonly requestEveryMs: number;
  /** ...and after `slowEveryMs` once it has this many recognitions. */
  readonly busyAfter: number;
  readonly slowEveryMs: number;
  /** A recognised Beijing milestone is revoked this long after its decision. */
  readonly revokeAfterMs: number;
}

export const DEFAULT_TIMING: PlanTiming = {
  decideAfterMs: 20_000,
  requestEveryMs: 25_000,
  busyAfter: 8,
  slowEveryMs: 300_000,
  revokeAfterMs: 15_000,
};

export type PlannedStep =
  | {
      readonly kind: 'decide';
      readonly entry: RecognitionBoardEntry;
      readonly outcome: 'RECOGNISED' | 'REJECTED';
      readonly reason?: string;
    }
  | { readonly kind: 'revoke'; readonly entry: RecognitionBoardEntry }
  | {
      readonly kind: 'request';
      readonly id: string;
      readonly target: RegionCode;
      readonly candidate: RecognitionCandidate;
    }
  | { readonly kind: 'wait'; readonly why: string };

export interface PlanInput {
  readonly board: readonly RecognitionBoardEntry[];
  /** Candidates by source region, in the order they should be asked for. */
  readonly candidates: Readonly<Partial<Record<RegionCode, readonly RecognitionCandidate[]>>>;
  /** Subjects whose revocation Beijing has already sent (and the hub may not show yet). */
  readonly revocationsSent: ReadonlySet<string>;
  readonly now: Date;
  readonly timing?: PlanTiming;
}

/** `REC-TJ-BJ-0003`: the route's third request. */
export function recognitionId(target: RegionCode, source: RegionCode, n: number): string {
  return `REC-${target}-${source}-${String(n).padStart(4, '0')}`;
}

/** The number of a request within its route (1 for `REC-TJ-BJ-0001`), or undefined for another naming. */
function serialOf(id: string): number | undefined {
  const match = /^REC-[A-Z]{2}-[A-Z]{2}-(\d{4,})$/.exec(id);
  return match ? Number(match[1]) : undefined;
}

/** How the target decides a request: every third of a route is rejected, with one of the reasons in turn. */
export function decisionFor(id: string): { outcome: 'RECOGNISED' | 'REJECTED'; reason?: string } {
  const n = serialOf(id) ?? 1;
  if (n % 3 !== 2) return { outcome: 'RECOGNISED' };
  return { outcome: 'REJECTED', reason: REJECTION_REASONS[Math.floor(n / 3) % REJECTION_REASONS.length] };
}

const age = (now: Date, at: string | null): number => (at === null ? 0 : now.getTime() - Date.parse(at));

/** The next step: a due decision first, then a due revocation, then a due request; else wait. */
export function planStep(input: PlanInput): PlannedStep {
  const timing = input.timing ?? DEFAULT_TIMING;
  const { board, now } = input;
  const due = board
    .filter((e) => e.status === 'PENDING' && age(now, e.requestedAt) >= timing.decideAfterMs)
    .sort((a, b) => Date.parse(a.requestedAt) - Date.parse(b.requestedAt))[0];
  if (due) return { kind: 'decide', entry: due, ...decisionFor(due.id) };
  const revoke = dueRevocation(input, timing);
  if (revoke) return { kind: 'revoke', entry: revoke };
  // the route that asked longest ago goes first (one that never asked before all), so none starves
  const lastAsked = (r: RecognitionRoute): number =>
    Math.max(
      0,
      ...board
        .filter((e) => e.sourceRegion === r.source && e.targetRegion === r.target)
        .map((e) => Date.parse(e.requestedAt)),
    );
  const routes = [...RECOGNITION_ROUTES].sort((a, b) => lastAsked(a) - lastAsked(b));
  for (const route of routes) {
    const request = dueRequest(input, timing, route);
    if (request) return request;
  }
  return { kind: 'wait', why: 'nothing due' };
}

/**
 * A result of the route's kind recognised on a route that has no SOURCE_REVOKED recognition of that kind yet
 * (a result of the other kind may have turned SOURCE_REVOKED through another route's revocation: Hebei
 * recognising the certificate Beijing revoked for Tianjin does not stand for Hebei's milestone).
 */
function dueRevocation(input: PlanInput, timing: PlanTiming): RecognitionBoardEntry | undefined {
  for (const { target, source, revokes } of RECOGNITION_ROUTES) {
    if (revokes === undefined) continue;
    const route = input.board.filter((e) => e.sourceRegion === source && e.targetRegion === target);
    const told = route.some(
      (e) =>
        e.subjectType === revokes &&
        (e.status === 'SOURCE_REVOKED' || input.revocationsSent.has(`${e.subjectType}:${e.subjectId}`)),
    );
    if (told) continue;
    const recognised = route.find(
      (e) =>
        e.status === 'RECOGNISED' &&
        e.subjectType === revokes &&
        age(input.now, e.decidedAt) >= timing.revokeAfterMs,
    );
    if (recognised) return recognised;
  }
  return undefined;
}

function dueRequest(
  input: PlanInput,
  timing: PlanTiming,
  { target, source, first }: RecognitionRoute,
): PlannedStep | undefined {
  const route = input.board.filter((e) => e.sourceRegion === source && e.targetRegion === target);
  const last = Math.max(0, ...route.map((e) => Date.parse(e.requestedAt)));
  const every = route.length >= timing.busyAfter ? timing.slowEveryMs : timing.requestEveryMs;
  if (route.length > 0 && input.now.getTime() - last < every) return undefined;
  const asked = new Set(route.map((e) => `${e.subjectType}:${e.subjectId}`));
  const open = (input.candidates[source] ?? []).filter((c) => !asked.has(`${c.subjectType}:${c.subjectId}`));
  // alternate certificates and milestones, so that each route has both
  const other: RecognitionSubjectType = first === 'certificate' ? 'milestone' : 'certificate';
  const wanted = route.length % 2 === 0 ? first : other;
  const candidate = open.find((c) => c.subjectType === wanted) ?? open[0];
  if (!candidate) return undefined;
  const n = Math.max(route.length, ...route.map((e) => serialOf(e.id) ?? 0)) + 1;
  return { kind: 'request', id: recognitionId(target, source, n), target, candidate };
}
