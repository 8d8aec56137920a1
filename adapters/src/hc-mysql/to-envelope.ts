/**
 * T_SGXK row -> protocol envelopes. Pure: every legacy code goes through an explicit table below, and anything
 * not in a table is a MAPPING_FAILED dead letter naming the column. Values that protocol validates (project
 * code, credit code, times, region) are passed through and checked by the core against the envelope schema.
 */
import {
  legacyLocalToIso,
  type Decision,
  type Envelope,
  type SourceRef,
  DLQ_CODES,
} from '@approval-ledger/protocol';
import {
  issue,
  issueFromError,
  mapped,
  mappingFailure,
  type Mapped,
  type MappingIssue,
} from '../core/dead-letter';
import { envelopeHeader, type MappingContext } from '../core/legacy-mapping';

/** One T_SGXK row, text decoded, times as the database prints them (local, no zone). */
export interface SgxkRow {
  readonly ID: number;
  readonly XMDM: string;
  readonly XMMC: string;
  readonly SGXKZH: string | null;
  readonly JSDW: string;
  readonly TYSHXYDM: string | null;
  readonly JSGM: string | null;
  readonly HTJE: string | null;
  readonly BLJG: string;
  readonly FZRQ: string | null;
  readonly ZT: string;
  readonly GXSJ: string;
}

export interface HcMappingContext extends MappingContext {
  /** The row's version (see change-capture.ts). */
  readonly version: number;
  /**
   * Set when the row is an update of one already sent (更正): the reason, sent as the milestone's and the
   * certificate's `correctionReason`; the hub makes them the next version of what it holds.
   */
  readonly correctionReason?: string;
}

/** What each 办理结果 (BLJG) code means for the ledger. */
export const RESULT_CODES = {
  '01': { zh: '核发', action: 'issue' },
  '02': { zh: '不予核发', action: 'reject' },
  '03': { zh: '撤销', action: 'revoke' },
  '04': { zh: '注销', action: 'cancel' },
} as const satisfies Record<string, { zh: string; action: 'issue' | 'reject' | 'revoke' | 'cancel' }>;

/** 记录状态 (ZT). */
export const RECORD_STATES = {
  '1': { zh: '有效', deleted: false },
  '0': { zh: '删除', deleted: true },
} as const satisfies Record<string, { zh: string; deleted: boolean }>;

type Action = (typeof RESULT_CODES)[keyof typeof RESULT_CODES]['action'];

/**
 * (action, deleted) -> what is published. A soft-deleted permit is revoked; a soft-deleted rejection has no
 * certificate behind it and needs nothing.
 */
export const PUBLICATIONS: Record<Action, { live: Publication; deleted: Publication }> = {
  issue: {
    live: { milestone: 'APPROVED', certificate: true },
    deleted: { revocation: { reason: '施工许可记录已删除 (ZT=0)', datedBy: 'GXSJ' } },
  },
  reject: { live: { milestone: 'REJECTED' }, deleted: {} },
  revoke: {
    live: { revocation: { reason: '撤销 (BLJG=03)', datedBy: 'FZRQ' } },
    deleted: { revocation: { reason: '撤销 (BLJG=03)', datedBy: 'FZRQ' } },
  },
  cancel: {
    live: { revocation: { reason: '注销 (BLJG=04)', datedBy: 'FZRQ' } },
    deleted: { revocation: { reason: '注销 (BLJG=04)', datedBy: 'FZRQ' } },
  },
};

interface Publication {
  readonly milestone?: Decision;
  readonly certificate?: true;
  /** The revocation's reason, and the column that dates it (a deletion is dated by its update stamp). */
  readonly revocation?: { readonly reason: string; readonly datedBy: 'FZRQ' | 'GXSJ' };
}

/** Envelope path -> T_SGXK column, so that a protocol rule broken names the legacy field. */
export const LEGACY_FIELDS: Readonly<Record<string, string>> = {
  'record.projectCode': 'XMDM',
  'record.region': 'XMDM',
  'record.projectName': 'XMMC',
  'record.number': 'SGXKZH',
  'record.documentNo': 'SGXKZH',
  'record.holder.name': 'JSDW',
  'record.applicant.name': 'JSDW',
  'record.holder.uscc': 'TYSHXYDM',
  'record.applicant.uscc': 'TYSHXYDM',
  'record.issuedAt': 'FZRQ',
  'record.validFrom': 'FZRQ',
  'record.decidedAt': 'FZRQ',
  'record.revokedAt': 'FZRQ',
  'record.details.constructionScale': 'JSGM',
  'record.details.contractAmountWanYuan': 'HTJE',
};

export function legacyField(path: string): string | undefined {
  return LEGACY_FIELDS[path];
}

/** The source of each envelope made from a row: `<system>:<ID>.<part>:<version>`. */
export function sgxkSource(
  ctx: HcMappingContext,
  id: number,
  part: 'milestone' | 'certificate' | 'revocation',
): SourceRef {
  return { system: ctx.sourceSystem, recordId: `${id}.${part}`, version: ctx.version };
}

/**
 * The milestone id of a row: `<system>:<ID>.milestone`, the same for every version of the row, so that an
 * update of the row is a new version of the same milestone.
 */
export function sgxkMilestoneId(ctx: HcMappingContext, id: number): string {
  return `${ctx.sourceSystem}:${id}.milestone`;
}

function correctionOf(ctx: HcMappingContext): { correctionReason?: string } {
  return ctx.correctionReason === undefined ? {} : { correctionReason: ctx.correctionReason };
}

/** Maps one row; a soft-deleted rejection maps to no envelope at all. */
export function sgxkToEnvelopes(row: SgxkRow, ctx: HcMappingContext): Mapped<Envelope> {
  const result = RESULT_CODES[row.BLJG.trim() as keyof typeof RESULT_CODES] as
    (typeof RESULT_CODES)[keyof typeof RESULT_CODES] | undefined;
  const state = RECORD_STATES[row.ZT.trim() as keyof typeof RECORD_STATES] as
    (typeof RECORD_STATES)[keyof typeof RECORD_STATES] | undefined;
  const problems: MappingIssue[] = [];
  if (result === undefined) {
    problems.push(
      issue(
        'BLJG',
        'hc.resultCode',
        `办理结果 ${JSON.stringify(row.BLJG)} is not a result code (${codeList(RESULT_CODES)})`,
      ),
    );
  }
  if (state === undefined) {
    problems.push(
      issue(
        'ZT',
        'hc.recordState',
        `记录状态 ${JSON.stringify(row.ZT)} is not a record state (1 有效, 0 删除)`,
      ),
    );
  }
  if (result === undefined || state === undefined) return mappingFailure(DLQ_CODES.MAPPING_FAILED, problems);
  const publication = PUBLICATIONS[result.action][state.deleted ? 'deleted' : 'live'];
  return build(row, ctx, publication);
}

function build(row: SgxkRow, ctx: HcMappingContext, publication: Publication): Mapped<Envelope> {
  const fields = readFields(row, publication);
  if (fields.problems.length > 0) return mappingFailure(DLQ_CODES.MAPPING_FAILED, fields.problems);
  const { at, number, uscc, amount } = fields;
  const envelopes: Envelope[] = [];
  if (publication.milestone !== undefined)
    envelopes.push(milestone(row, ctx, publication.milestone, at, uscc, amount));
  if (publication.certificate === true) envelopes.push(certificate(row, ctx, number, at, uscc));
  if (publication.revocation !== undefined) {
    envelopes.push(revocation(row, ctx, number, publication.revocation.reason, at));
  }
  return mapped(envelopes);
}

/** The columns the publication needs, each checked present and readable. */
function readFields(row: SgxkRow, publication: Publication) {
  const problems: MappingIssue[] = [];
  const datedByGxsj = publication.milestone === undefined && publication.revocation?.datedBy === 'GXSJ';
  const at = datedByGxsj
    ? localTime(row.GXSJ, 'GXSJ', '更新时间', problems)
    : localTime(row.FZRQ, 'FZRQ', '发证日期', problems);
  const needsNumber = publication.certificate === true || publication.revocation !== undefined;
  const number = needsNumber ? required(row.SGXKZH, 'SGXKZH', '施工许可证号', problems) : '';
  const uscc =
    publication.milestone !== undefined
      ? required(row.TYSHXYDM, 'TYSHXYDM', '统一社会信用代码', problems)
      : '';
  const amount = contractAmount(row.HTJE, problems);
  return { problems, at: at ?? '', number, uscc, amount };
}

function milestone(
  row: SgxkRow,
  ctx: HcMappingContext,
  decision: Decision,
  decidedAt: string,
  uscc: string,
  amount: number | undefined,
): Envelope {
  const source = sgxkSource(ctx, row.ID, 'milestone');
  const details: Record<string, string | number> = {};
  if (row.JSGM !== null && row.JSGM.trim() !== '') details.constructionScale = row.JSGM.trim();
  if (amount !== undefined) details.contractAmountWanYuan = amount;
  return {
    ...envelopeHeader(ctx, 'HC', source),
    kind: 'milestone',
    record: {
      id: sgxkMilestoneId(ctx, row.ID),
      projectCode: row.XMDM.trim(),
      projectName: row.XMMC.trim(),
      region: ctx.region,
      dept: 'HC',
      stage: 'CONSTRUCTION_PERMIT',
      decision,
      decidedAt,
      applicant: { name: row.JSDW.trim(), uscc },
      ...(row.SGXKZH !== null && row.SGXKZH.trim() !== '' ? { documentNo: row.SGXKZH.trim() } : {}),
      documents: [],
      source,
      dataClass: ctx.dataClass,
      ...(Object.keys(details).length > 0 ? { details } : {}),
      ...correctionOf(ctx),
    },
  };
}

function certificate(
  row: SgxkRow,
  ctx: HcMappingContext,
  number: string,
  issuedAt: string,
  uscc: string,
): Envelope {
  const source = sgxkSource(ctx, row.ID, 'certificate');
  return {
    ...envelopeHeader(ctx, 'HC', source),
    kind: 'certificate',
    record: {
      number,
      type: 'CONSTRUCTION_PERMIT',
      projectCode: row.XMDM.trim(),
      region: ctx.region,
      dept: 'HC',
      holder: { name: row.JSDW.trim(), uscc },
      issuedAt,
      validFrom: issuedAt,
      milestoneId: sgxkMilestoneId(ctx, row.ID),
      documents: [],
      source,
      dataClass: ctx.dataClass,
      ...correctionOf(ctx),
    },
  };
}

function revocation(
  row: SgxkRow,
  ctx: HcMappingContext,
  number: string,
  reason: string,
  revokedAt: string,
): Envelope {
  const source = sgxkSource(ctx, row.ID, 'revocation');
  return {
    ...envelopeHeader(ctx, 'HC', source),
    kind: 'certificate-revocation',
    record: { number, region: ctx.region, dept: 'HC', reason, revokedAt, source },
  };
}

function required(value: string | null, column: string, zh: string, problems: MappingIssue[]): string {
  const text = value?.trim() ?? '';
  if (text === '') problems.push(issue(column, 'hc.required', `${zh} is empty`));
  return text;
}

function localTime(
  value: string | null,
  column: string,
  zh: string,
  problems: MappingIssue[],
): string | undefined {
  if (value === null || value.trim() === '') {
    problems.push(issue(column, 'hc.required', `${zh} is empty`));
    return undefined;
  }
  try {
    return legacyLocalToIso(value);
  } catch (error) {
    problems.push(issueFromError(column, error, 'timestamp.legacy', `${zh}: `));
    return undefined;
  }
}

function contractAmount(value: string | null, problems: MappingIssue[]): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const amount = Number(value);
  if (!Number.isFinite(amount))
    problems.push(issue('HTJE', 'hc.amount', `合同金额 ${JSON.stringify(value)} is not a number`));
  return amount;
}

function codeList(table: Record<string, { zh: string }>): string {
  return Object.entries(table)
    .map(([code, v]) => `${code} ${v.zh}`)
    .join(', ');
}
