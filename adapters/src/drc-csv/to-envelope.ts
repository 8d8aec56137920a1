/**
 * DRC CSV row -> milestone envelope. Pure; every legacy code goes through an explicit table below and anything
 * else is a MAPPING_FAILED dead letter naming the column. Dates come in four legacy formats (2025年03月04日,
 * 2025-03-05, 20250306, 2025/03/07), all read by protocol's `legacyLocalToIso` as local midnight, +08:00.
 */
import {
  checkProjectCode,
  checkUscc,
  legacyLocalToIso,
  recordIdOf,
  type Decision,
  type Envelope,
  type StageCode,
  DLQ_CODES,
} from '@approval-ledger/protocol';
import {
  failedChecks,
  issue,
  issueFromError,
  mapped,
  mappingFailure,
  type Mapped,
  type MappingIssue,
} from '../core/dead-letter';
import { envelopeHeader, positiveWholeNumber, tableValue, type MappingContext } from '../core/legacy-mapping';

/** CSV header -> row field. */
export const COLUMNS = {
  项目代码: 'projectCode',
  项目名称: 'projectName',
  建设单位: 'applicantName',
  统一社会信用代码: 'uscc',
  项目类型: 'projectKind',
  办理事项: 'item',
  办理结果: 'result',
  办结日期: 'decidedOn',
  经办处室: 'office',
  记录版本: 'version',
} as const;

export type DrcColumn = keyof typeof COLUMNS;
export type DrcRow = { readonly [K in (typeof COLUMNS)[DrcColumn]]: string };

/** Columns a file must have; 经办处室 may be missing. */
export const REQUIRED_COLUMNS: readonly DrcColumn[] = (Object.keys(COLUMNS) as DrcColumn[]).filter(
  (c) => c !== '经办处室',
);

/** 项目类型 -> the kind segment of the project code it must agree with. */
export const PROJECT_KINDS: Readonly<Record<string, '01' | '02' | '03'>> = {
  审批: '01',
  核准: '02',
  备案: '03',
};

/** 办理事项 -> a stable item code (part of the record id) and the approval stage. */
export const ITEMS: Readonly<Record<string, { readonly code: string; readonly stage: StageCode }>> = {
  企业投资项目备案: { code: 'FILING', stage: 'PROJECT_APPROVAL' },
  企业投资项目核准: { code: 'AUTHORISATION', stage: 'PROJECT_APPROVAL' },
  政府投资项目建议书审批: { code: 'PROPOSAL', stage: 'PROJECT_APPROVAL' },
  政府投资项目可行性研究报告审批: { code: 'FEASIBILITY', stage: 'PROJECT_APPROVAL' },
  政府投资项目初步设计审批: { code: 'PRELIMINARY_DESIGN', stage: 'PROJECT_APPROVAL' },
  固定资产投资项目节能审查: { code: 'ENERGY_REVIEW', stage: 'ENERGY_REVIEW' },
};

/** 办理结果 -> decision. */
export const RESULTS: Readonly<Record<string, Decision>> = {
  予以备案: 'APPROVED',
  准予核准: 'APPROVED',
  同意: 'APPROVED',
  批准: 'APPROVED',
  准予许可: 'APPROVED',
  容缺受理: 'CONDITIONALLY_ACCEPTED',
  退回补正: 'RETURNED',
  不予备案: 'REJECTED',
  不予核准: 'REJECTED',
  不同意: 'REJECTED',
  不予批准: 'REJECTED',
  撤回: 'WITHDRAWN',
  撤销: 'REVOKED',
};

/** Envelope path -> CSV column, so that a protocol rule broken names the legacy field. */
export const LEGACY_FIELDS: Readonly<Record<string, string>> = {
  'record.projectCode': '项目代码',
  'record.region': '项目代码',
  'record.id': '项目代码',
  'source.recordId': '项目代码',
  'record.source.recordId': '项目代码',
  'record.projectName': '项目名称',
  'record.applicant.name': '建设单位',
  'record.applicant.uscc': '统一社会信用代码',
  'record.decidedAt': '办结日期',
  'record.details.office': '经办处室',
};

export function legacyField(path: string): string | undefined {
  return LEGACY_FIELDS[path];
}

export type DrcMappingContext = MappingContext;

export function drcRowToEnvelopes(row: DrcRow, ctx: DrcMappingContext): Mapped<Envelope> {
  const problems: MappingIssue[] = [];
  const item = tableValue(ITEMS, row.item, '办理事项', 'drc.code', problems, '、');
  const decision = tableValue(RESULTS, row.result, '办理结果', 'drc.code', problems, '、');
  const version = positiveWholeNumber(row.version, '记录版本', 'drc.version', problems);
  const decidedAt = legacyDate(row.decidedOn, problems);
  checkKindAgrees(row, problems);
  if (problems.length > 0 || !item || !decision || !decidedAt) {
    // say everything that is wrong with the row, not just what stopped the mapping
    const more = failedChecks([
      ['项目代码', checkProjectCode(row.projectCode)],
      ['统一社会信用代码', checkUscc(row.uscc)],
    ]);
    return mappingFailure(DLQ_CODES.MAPPING_FAILED, [...problems, ...more]);
  }
  const source = { system: ctx.sourceSystem, recordId: `${row.projectCode}.${item.code}`, version };
  const details = {
    item: row.item,
    projectKind: row.projectKind,
    ...(row.office ? { office: row.office } : {}),
  };
  return mapped([
    {
      ...envelopeHeader(ctx, 'DRC', source),
      kind: 'milestone',
      record: {
        // every 记录版本 of a filing is a version of one milestone, named by its first version's source key
        id: recordIdOf({ ...source, version: 1 }),
        projectCode: row.projectCode,
        projectName: row.projectName,
        region: ctx.region,
        dept: 'DRC',
        stage: item.stage,
        decision,
        decidedAt,
        applicant: { name: row.applicantName, uscc: row.uscc },
        documents: [],
        source,
        dataClass: ctx.dataClass,
        details,
        ...correctionOf(version),
      },
    },
  ]);
}

/** A 记录版本 above 1 is the DRC re-sending a filing it changed (更正): a correction of the same milestone. */
function correctionOf(version: number): { correctionReason?: string } {
  return version > 1 ? { correctionReason: `更正：发改委报送记录第 ${version} 版` } : {};
}

function legacyDate(value: string, problems: MappingIssue[]): string | undefined {
  try {
    return legacyLocalToIso(value);
  } catch (error) {
    problems.push(issueFromError('办结日期', error, 'date.format'));
    return undefined;
  }
}

/** 项目类型 must agree with the kind segment of the project code (03 备案, 02 核准, 01 审批). */
function checkKindAgrees(row: DrcRow, problems: MappingIssue[]): void {
  const kind = PROJECT_KINDS[row.projectKind];
  if (kind === undefined) {
    problems.push(
      issue(
        '项目类型',
        'drc.code',
        `${JSON.stringify(row.projectKind)} is not in the mapping table (审批、核准、备案)`,
      ),
    );
    return;
  }
  const code = checkProjectCode(row.projectCode);
  if (code.ok && code.value.kind !== kind) {
    problems.push(
      issue(
        '项目类型',
        'drc.projectKind',
        `${row.projectKind} does not agree with project code ${row.projectCode}, whose kind is ${code.value.kind}`,
      ),
    );
  }
}
