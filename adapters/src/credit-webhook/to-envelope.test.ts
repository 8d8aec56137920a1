import { expect } from 'chai';
import { EnvelopeSchema, validate } from '@approval-ledger/protocol';
import {
  EVENT_TYPES,
  LEVELS,
  creditPayloadToEnvelopes,
  type CreditMappingContext,
  type CreditPayload,
} from './to-envelope';

const ctx: CreditMappingContext = {
  region: 'BJ',
  sourceSystem: 'bj-credit',
  dataClass: 'internal',
  emittedAt: '2025-03-12T10:00:01+08:00',
};
const payload: CreditPayload = {
  deliveryId: 'd-1',
  eventType: 'CREDIT_EVALUATED',
  eventId: 'CR-1',
  revision: 1,
  enterprise: { name: '北京望京科创置业有限公司', uscc: '91110105MA01WJ3K7N' },
  level: 'B',
  occurredAt: '2025-03-12T10:00:00+08:00',
};

function mapped(change: Partial<CreditPayload>): Record<string, unknown> | string[] {
  const result = creditPayloadToEnvelopes({ ...payload, ...change }, ctx);
  if (!result.ok) return result.issues.map((i) => `${i.field} [${i.rule}]`);
  expect(validate(EnvelopeSchema, result.envelopes[0])).to.deep.include({ ok: true });
  return result.envelopes[0]?.record as Record<string, unknown>;
}

describe('credit-webhook mapping (payload -> credit event)', () => {
  for (const [text, level] of Object.entries(LEVELS)) {
    it(`level ${text} -> ${level}`, () =>
      expect(mapped({ level: text })).to.deep.include({ level, dishonest: false }));
  }
  const events: [string, Partial<CreditPayload>, { level: string; dishonest: boolean }][] = [
    ['CREDIT_EVALUATED', { level: 'C' }, { level: 'C', dishonest: false }],
    ['DISHONEST_LISTED', { level: undefined }, { level: 'D', dishonest: true }],
    ['DISHONEST_LISTED', { level: 'C' }, { level: 'C', dishonest: true }],
    ['DISHONEST_REMOVED', { level: 'B' }, { level: 'B', dishonest: false }],
  ];
  for (const [eventType, change, expected] of events) {
    it(`${eventType} with level ${String(change.level)} -> ${expected.level}, dishonest ${expected.dishonest}`, () =>
      expect(mapped({ eventType, ...change })).to.deep.include(expected));
  }
  it('covers every event type', () => expect(Object.keys(EVENT_TYPES)).to.have.length(3));

  it('names the source by event id and revision', () =>
    expect(mapped({ eventId: 'CR-9', revision: 3 })).to.deep.include({ id: 'bj-credit:CR-9:3' }));

  const failures: [string, Partial<CreditPayload>, string[]][] = [
    ['an unknown event type', { eventType: 'SOMETHING' }, ['eventType [credit.eventType]']],
    ['an unknown level', { level: 'E' }, ['level [credit.level]']],
    ['an evaluation without level', { level: undefined }, ['level [credit.level]']],
    ['a bad time', { occurredAt: 'yesterday' }, ['occurredAt [date.format]']],
    [
      'no event id, revision 0',
      { eventId: ' ', revision: 0 },
      ['eventId [credit.required]', 'revision [credit.revision]'],
    ],
  ];
  for (const [name, change, expected] of failures) {
    it(`dead-letters ${name}`, () => expect(mapped(change)).to.deep.equal(expected));
  }
});
