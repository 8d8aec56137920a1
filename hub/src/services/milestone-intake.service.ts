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
import { BusUnavailableError } from '../bus/bus-unavailable.error';
import { isTimeout, type Bus } from '../bus/nats-bus';

/** How long a request waits for JetStream's PubAck before it is answered 503 (the client retries). */
export const INTAKE_PUBLISH_TIMEOUT_MS = 5000;

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

  /**
   * Publishes each milestone. While NATS is down nothing is published and a BusUnavailableError is thrown at
   * once (the bus would otherwise hold the request until its 30 s PubAck timeout); a PubAck that does not
   * come within INTAKE_PUBLISH_TIMEOUT_MS is the same error: some records of the request may have been
   * taken, and the client's retry is de-duplicated by `Nats-Msg-Id`.
   */
  async accept(milestones: readonly Milestone[]): Promise<AcceptedMilestone[]> {
    if (!this.bus.connected) {
      throw new BusUnavailableError('NATS is unavailable (reconnecting): no milestone was accepted; retry');
    }
    try {
      return await this.#publishAll(milestones);
    } catch (error) {
      if (!isTimeout(error) && this.bus.connected) throw error;
      throw new BusUnavailableError(
        `NATS did not acknowledge the milestones within ${INTAKE_PUBLISH_TIMEOUT_MS} ms; retry (the same source record + version is de-duplicated)`,
        5,
        { cause: error },
      );
    }
  }

  #publishAll(milestones: readonly Milestone[]): Promise<AcceptedMilestone[]> {
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
          timeoutMs: INTAKE_PUBLISH_TIMEOUT_MS,
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
