/**
 * POST /milestones: milestones from an approver go the same way as the adapters' records, as envelopes on
 * `legacy.<region>.<dept>.milestone` under their source key as `Nats-Msg-Id`, so ingest stores, anchors and
 * receipts them with the same exactly-once effect; posting the same source record + version again is a
 * no-op. The answer (202) names the receipt of each record, to be read from `ledger.receipt.*` or
 * GET /receipts/{recordId}.
 */
import {
  ENVELOPE_SCHEMA,
  envelopeSubject,
  natsMsgId,
  receiptSubject,
  recordIdOf,
  type Envelope,
  type Milestone,
} from '@approval-ledger/protocol';
import { type Bus } from '../bus/nats-bus';

export interface AcceptedMilestone {
  readonly recordId: string;
  readonly milestoneId: string;
  /** True when the same source record + version was already accepted (nothing new happens). */
  readonly duplicate: boolean;
  readonly receiptSubject: string;
  readonly receiptHref: string;
}

export class MilestoneIntakeService {
  constructor(private readonly bus: Bus) {}

  async accept(milestones: readonly Milestone[]): Promise<AcceptedMilestone[]> {
    return Promise.all(
      milestones.map(async (record) => {
        const envelope: Envelope = {
          schema: ENVELOPE_SCHEMA,
          kind: 'milestone',
          region: record.region,
          dept: record.dept,
          source: record.source,
          emittedAt: new Date().toISOString(),
          record,
        };
        const ack = await this.bus.publish(envelopeSubject(envelope), JSON.stringify(envelope), {
          msgId: natsMsgId(record.source),
        });
        const recordId = recordIdOf(record.source);
        return {
          recordId,
          milestoneId: record.id,
          duplicate: ack.duplicate,
          receiptSubject: receiptSubject(record.region, record.dept),
          receiptHref: `/api/v1/receipts/${encodeURIComponent(recordId)}`,
        };
      }),
    );
  }
}
