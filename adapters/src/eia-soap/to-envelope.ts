/**
 * EIA approval (as read from the SOAP response) -> envelopes. Pure; result codes and categories go through the
 * explicit tables below, and anything else is a MAPPING_FAILED dead letter naming the XML field. Attachment
 * SHA-256 values become the documents' digests.
 */
import {
  checkProjectCode,
  checkUscc,
  recordIdOf,
  type Decision,
  type DocumentRef,
  type Envelope,
  type SourceRef,
  DLQ_CODES,
} from '@approval-ledger/protocol';
import {
  failedChecks,
  issue,
  mapped,
  mappingFailure,
  type Mapped,
  type MappingIssue,
} from '../core/dead-letter';
import {
  envelopeHeader,
  positiveWholeNumber,
  tableValue,
  timeWithZone,
  type MappingContext,
} from '../core/legacy-mapping';

/** One `eia:Approval`, fields as text (absent: undefined). */
export interface EiaApproval {
  readonly docNo?: string;
  readonly recordId?: string;
  readonly revision?: string;
  readonly projectCode?: string;
  readonly projectName?: string;
  readonly applicantName?: string;
  readonly applicantUscc?: string;
  readonly category?: string;
  readonly resultCode?: string;
  readonly resultText?: string;
  readonly decisionTime?: string;
  readonly attachments: readonly {
    readonly name?: string;
    readonly sha256?: string;
    readonly bytes?: string;
  }[];
}

/** `eia:Result/@code` -> decision. */
export const RESULT_CODES: Readonly<Record<string, { readonly zh: string; readonly decision: Decision }>> = {
  '1': { zh: '批准', decision: 'APPROVED' },
  '2': { zh: '退回补正', decision: 'RETURNED' },
  '3': { zh: '不予批准', decision: 'REJECTED' },
  '4': { zh: '撤回申请', decision: 'WITHDRAWN' },
  '5': { zh: '容缺受理', decision: 'CONDITIONALLY_ACCEPTED' },
  '6': { zh: '撤销批复', decision: 'REVOKED' },
};

/** `eia:Category`: the form of the assessment. */
export const CATEGORIES: Readonly<Record<string, string>> = {
  报告书: 'REPORT',
  报告表: 'REPORT_FORM',
  登记表: 'REGISTRATION_FORM',
};

/** Envelope path -> XML field, so that a protocol rule broken names the legacy field. */
export const LEGACY_FIELDS: Readonly<Record<string, string>> = {
  'record.projectCode': 'eia:ProjectCode',
  'record.region': 'eia:ProjectCode',
  'record.projectName': 'eia:ProjectName',
  'record.applicant.name': 'eia:Applicant',
  'record.holder.name': 'eia:Applicant',
  'record.applicant.uscc': 'eia:Applicant/@uscc',
  'record.holder.uscc': 'eia:Applicant/@uscc',
  'record.decidedAt': 'eia:DecisionTime',
  'record.issuedAt': 'eia:DecisionTime',
  'record.documentNo': 'eia:DocNo',
  'record.number': 'eia:DocNo',
  'source.recordId': 'eia:RecordId',
  'record.source.recordId': 'eia:RecordId',
  'record.id': 'eia:RecordId',
};

export function legacyField(path: string): string | undefined {
  if (/^record\.documents\[\d+\]\.sha256$/.test(path)) return 'eia:Attachment/@sha256';
  if (/^record\.documents\[\d+\]\.name$/.test(path)) return 'eia:Attachment/@name';
  return LEGACY_FIELDS[path];
}

export type EiaMappingContext = MappingContext;

interface Fields {
  readonly recordId: string;
  readonly version: number;
  readonly decision: Decision;
  readonly resultZh: string;
  readonly decidedAt: string;
  readonly category: string;
  readonly documents: DocumentRef[];
}

export function eiaApprovalToEnvelopes(approval: EiaApproval, ctx: EiaMappingContext): Mapped<Envelope> {
  const fields = readFields(approval);
  if (!fields.ok) return mappingFailure(DLQ_CODES.MAPPING_FAILED, fields.problems);
  const { value } = fields;
  const docNo = approval.docNo?.trim() ?? '';
  const milestone = milestoneOf(approval, value, docNo, ctx);
  const envelopes: Envelope[] = [milestone];
  if (value.decision === 'APPROVED' && docNo !== '')
    envelopes.push(certificateOf(approval, value, docNo, ctx, milestone));
  if (value.decision === 'REVOKED' && docNo !== '') envelopes.push(revocationOf(value, docNo, ctx));
  return mapped(envelopes);
}

function readFields(
  approval: EiaApproval,
): { ok: true; value: Fields } | { ok: false; problems: MappingIssue[] } {
  const problems: MappingIssue[] = [];
  const recordId = present(approval.recordId, 'eia:RecordId', problems);
  const version = positiveWholeNumber(approval.revision, 'eia:Revision', 'eia.revision', problems);
  const result = resultOf(approval, problems);
  const decidedAt = timeWithZone(approval.decisionTime, 'eia:DecisionTime', problems);
  const category = categoryOf(approval.category, problems);
  const documents = approval.attachments.map((a, i) => documentOf(a, i, problems));
  present(approval.applicantName, 'eia:Applicant', problems);
  if (problems.length > 0 || result === undefined || decidedAt === undefined) {
    const more = failedChecks([
      ['eia:ProjectCode', checkProjectCode(approval.projectCode ?? '')],
      ['eia:Applicant/@uscc', checkUscc(approval.applicantUscc ?? '')],
    ]);
    return { ok: false, problems: [...problems, ...more] };
  }
  return {
    ok: true,
    value: {
      recordId,
      version,
      decision: result.decision,
      resultZh: result.zh,
      decidedAt,
      category,
      documents,
    },
  };
}

function milestoneOf(approval: EiaApproval, f: Fields, docNo: string, ctx: EiaMappingContext): Envelope {
  const source = sourceOf(ctx, f, 'milestone');
  const projectName = trimmed(approval.projectName);
  return {
    ...envelopeHeader(ctx, 'EE', source),
    kind: 'milestone',
    record: {
      id: recordIdOf(source),
      projectCode: trimmed(approval.projectCode),
      ...(projectName ? { projectName } : {}),
      region: ctx.region,
      dept: 'EE',
      stage: 'EIA',
      decision: f.decision,
      decidedAt: f.decidedAt,
      applicant: partyOf(approval),
      ...(docNo ? { documentNo: docNo } : {}),
      documents: f.documents,
      source,
      dataClass: ctx.dataClass,
      details: { category: f.category, categoryCode: CATEGORIES[f.category] ?? null, result: f.resultZh },
    },
  };
}

function certificateOf(
  approval: EiaApproval,
  f: Fields,
  docNo: string,
  ctx: EiaMappingContext,
  milestone: Envelope,
): Envelope {
  const source = sourceOf(ctx, f, 'certificate');
  return {
    ...envelopeHeader(ctx, 'EE', source),
    kind: 'certificate',
    record: {
      number: docNo,
      type: 'EIA_APPROVAL',
      projectCode: trimmed(approval.projectCode),
      region: ctx.region,
      dept: 'EE',
      holder: partyOf(approval),
      issuedAt: f.decidedAt,
      validFrom: f.decidedAt,
      milestoneId: recordIdOf(milestone.source),
      documents: f.documents,
      source,
      dataClass: ctx.dataClass,
    },
  };
}

function revocationOf(f: Fields, docNo: string, ctx: EiaMappingContext): Envelope {
  const source = sourceOf(ctx, f, 'revocation');
  return {
    ...envelopeHeader(ctx, 'EE', source),
    kind: 'certificate-revocation',
    record: {
      number: docNo,
      region: ctx.region,
      dept: 'EE',
      reason: '环评批复撤销 (Result code 6)',
      revokedAt: f.decidedAt,
      source,
    },
  };
}

function partyOf(approval: EiaApproval): { name: string; uscc: string } {
  return { name: trimmed(approval.applicantName), uscc: trimmed(approval.applicantUscc) };
}

function trimmed(value: string | undefined): string {
  return value?.trim() ?? '';
}

function sourceOf(ctx: EiaMappingContext, f: Fields, part: string): SourceRef {
  return { system: ctx.sourceSystem, recordId: `${f.recordId}.${part}`, version: f.version };
}

function present(value: string | undefined, field: string, problems: MappingIssue[]): string {
  const text = value?.trim() ?? '';
  if (text === '') problems.push(issue(field, 'eia.required', 'is missing or empty'));
  return text;
}

function resultOf(
  approval: EiaApproval,
  problems: MappingIssue[],
): { zh: string; decision: Decision } | undefined {
  const code = approval.resultCode?.trim() ?? '';
  const found = Object.hasOwn(RESULT_CODES, code) ? RESULT_CODES[code] : undefined;
  if (found === undefined) {
    const known = Object.entries(RESULT_CODES)
      .map(([c, r]) => `${c} ${r.zh}`)
      .join(', ');
    const text = approval.resultText?.trim() ? ` (${approval.resultText.trim()})` : '';
    problems.push(
      issue(
        'eia:Result/@code',
        'eia.resultCode',
        `${JSON.stringify(code)}${text} is not in the mapping table (${known})`,
      ),
    );
  }
  return found;
}

function categoryOf(value: string | undefined, problems: MappingIssue[]): string {
  const text = value?.trim() ?? '';
  tableValue(CATEGORIES, text, 'eia:Category', 'eia.category', problems, '、');
  return text;
}

function documentOf(
  a: EiaApproval['attachments'][number],
  index: number,
  problems: MappingIssue[],
): DocumentRef {
  const size = byteCount(a.bytes, index, problems);
  // a digest in upper-case hex is the same digest
  const sha256 = trimmed(a.sha256).toLowerCase();
  return { name: trimmed(a.name), sha256, ...(size !== undefined ? { bytes: size } : {}) };
}

function byteCount(value: string | undefined, index: number, problems: MappingIssue[]): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d{1,15}$/.test(value.trim())) return Number(value.trim());
  problems.push(
    issue(
      `eia:Attachment[${index + 1}]/@bytes`,
      'eia.attachment',
      `${JSON.stringify(value)} is not a byte count`,
    ),
  );
  return undefined;
}
