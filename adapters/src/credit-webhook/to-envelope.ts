/**
 * Credit centre webhook payload -> credit-event envelope. Pure; event types and credit levels go through the
 * explicit tables below, anything else is a MAPPING_FAILED dead letter naming the JSON field.
 */
import { checkUscc, recordIdOf, type CreditLevel, type Envelope, DLQ_CODES } from '@approval-ledger/protocol';
import { z } from 'zod';
import {
  failedChecks,
  issue,
  mapped,
  mappingFailure,
  type Mapped,
  type MappingIssue,
} from '../core/dead-letter';
import { envelopeHeader, tableValue, timeWithZone, type MappingContext } from '../core/legacy-mapping';

/** What the credit centre POSTs (signed). Loose on purpose: the mapping says what is wrong, field by field. */
export const CreditPayloadSchema = z.looseObject({
  deliveryId: z.string().min(1).max(200),
  eventType: z.string().optional(),
  eventId: z.string().optional(),
  revision: z.number().optional(),
  enterprise: z.looseObject({ name: z.string().optional(), uscc: z.string().optional() }).optional(),
  level: z.string().optional(),
  occurredAt: z.string().optional(),
});
export type CreditPayload = z.infer<typeof CreditPayloadSchema>;

/** eventType -> whether the enterprise is on the dishonest list afterwards, and the level when none is given. */
export const EVENT_TYPES: Readonly<
  Record<string, { readonly dishonest: boolean; readonly defaultLevel?: CreditLevel }>
> = {
  /** A periodic or ad-hoc credit evaluation (信用评价). */
  CREDIT_EVALUATED: { dishonest: false },
  /** Put on the list of seriously dishonest entities (列入严重失信主体名单): level D unless stated. */
  DISHONEST_LISTED: { dishonest: true, defaultLevel: 'D' },
  /** Taken off the list after credit repair (信用修复移出). */
  DISHONEST_REMOVED: { dishonest: false },
};

/** Credit level as the centre writes it -> protocol level. */
export const LEVELS: Readonly<Record<string, CreditLevel>> = {
  A: 'A',
  B: 'B',
  C: 'C',
  D: 'D',
  A级: 'A',
  B级: 'B',
  C级: 'C',
  D级: 'D',
};

/** Envelope path -> JSON field. */
export const LEGACY_FIELDS: Readonly<Record<string, string>> = {
  'record.uscc': 'enterprise.uscc',
  'record.enterpriseName': 'enterprise.name',
  'record.evaluatedAt': 'occurredAt',
  'record.id': 'eventId',
  'source.recordId': 'eventId',
  'record.source.recordId': 'eventId',
};

export function legacyField(path: string): string | undefined {
  return LEGACY_FIELDS[path];
}

export type CreditMappingContext = MappingContext;

export function creditPayloadToEnvelopes(
  payload: CreditPayload,
  ctx: CreditMappingContext,
): Mapped<Envelope> {
  const fields = readFields(payload);
  if (!fields.ok) return mappingFailure(DLQ_CODES.MAPPING_FAILED, fields.problems);
  const { eventId, revision, level, dishonest, evaluatedAt } = fields;
  const source = { system: ctx.sourceSystem, recordId: eventId, version: revision };
  const enterprise = payload.enterprise ?? {};
  return mapped([
    {
      ...envelopeHeader(ctx, 'CREDIT', source),
      kind: 'credit',
      record: {
        id: recordIdOf(source),
        uscc: text(enterprise.uscc),
        enterpriseName: text(enterprise.name),
        level,
        dishonest,
        evaluatedAt,
        region: ctx.region,
        source,
        dataClass: ctx.dataClass,
      },
    },
  ]);
}

interface Fields {
  readonly ok: true;
  readonly eventId: string;
  readonly revision: number;
  readonly level: CreditLevel;
  readonly dishonest: boolean;
  readonly evaluatedAt: string;
}

function readFields(payload: CreditPayload): Fields | { ok: false; problems: MappingIssue[] } {
  const problems: MappingIssue[] = [];
  const event = eventOf(payload.eventType, problems);
  const level = levelOf(payload.level, event?.defaultLevel, problems);
  const evaluatedAt = timeWithZone(payload.occurredAt, 'occurredAt', problems);
  const eventId = text(payload.eventId);
  if (eventId === '') problems.push(issue('eventId', 'credit.required', 'is missing or empty'));
  const revision = revisionOf(payload.revision, problems);
  if (problems.length > 0 || !event || !level || !evaluatedAt) {
    const more = failedChecks([['enterprise.uscc', checkUscc(text(payload.enterprise?.uscc))]]);
    return { ok: false, problems: [...problems, ...more] };
  }
  return { ok: true, eventId, revision, level, dishonest: event.dishonest, evaluatedAt };
}

function revisionOf(value: number | undefined, problems: MappingIssue[]): number {
  if (value !== undefined && Number.isInteger(value) && value >= 1) return value;
  problems.push(
    issue('revision', 'credit.revision', `${JSON.stringify(value)} is not a positive whole number`),
  );
  return 0;
}

function text(value: string | undefined): string {
  return value?.trim() ?? '';
}

function eventOf(
  value: string | undefined,
  problems: MappingIssue[],
): (typeof EVENT_TYPES)[string] | undefined {
  return tableValue(EVENT_TYPES, value, 'eventType', 'credit.eventType', problems);
}

function levelOf(
  value: string | undefined,
  fallback: CreditLevel | undefined,
  problems: MappingIssue[],
): CreditLevel | undefined {
  if (value === undefined && fallback !== undefined) return fallback;
  const found = value !== undefined && Object.hasOwn(LEVELS, value.trim()) ? LEVELS[value.trim()] : undefined;
  if (found === undefined) {
    problems.push(
      issue(
        'level',
        'credit.level',
        `${JSON.stringify(value)} is not a credit level (${Object.keys(LEVELS).join(', ')})`,
      ),
    );
  }
  return found;
}
