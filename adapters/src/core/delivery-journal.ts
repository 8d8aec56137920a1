/**
 * The adapter's own durable account of what it did, and its list of what to send again.
 *
 * `<data>/adapters/<name>.journal.jsonl`, append-only, one JSON line per event, each appended synchronously
 * before the checkpoint that covers it can move (the polling loop saves a checkpoint only after `deliverAll`):
 *
 *   {"read": source, "outcome": published|duplicate|dead-lettered|skipped}   a legacy record read, and its fate
 *   {"sent": msgId, "subject", "payload", "at"}                             an envelope JetStream acknowledged
 *   {"receipt": msgId, "status"}                                            the hub's receipt for it
 *
 * Why: a JetStream PubAck is not the end of the road. nats-server flushes its file store on an interval, so a
 * power loss (or a store rewound from a backup) can lose acknowledged messages; the hub's receipt is what says
 * a record is anchored. Every envelope acknowledged but not receipted after `resendAfterMs` (doubling with each
 * re-send) is published again
 * with its `Nats-Msg-Id` (JetStream drops it inside its de-duplication window; the hub answers a record it
 * already anchored with a DUPLICATE receipt, and the chaincode is idempotent), on start and while running.
 *
 * A line is in the kernel when its `write` returns, so the journal survives kill -9 of the adapter; a
 * torn last line (power loss) is skipped on reading. Counts are of distinct records and envelopes: a record
 * read twice after a crash counts once. On open the file is compacted (payloads of receipted envelopes go).
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { type ReceiptStatus } from '@approval-ledger/protocol';

export type ReadOutcome = 'published' | 'duplicate' | 'dead-lettered' | 'skipped';

/** What the adapter read and what came back, as distinct counts. */
export interface JournalCounts {
  /** Distinct legacy records read (a record re-read after a restart counts once). */
  readonly read: number;
  /** Of those, by what became of them the last time they were read. */
  readonly readOutcomes: Readonly<Record<ReadOutcome, number>>;
  /** Distinct envelopes JetStream acknowledged (published or duplicate). */
  readonly sent: number;
  /** Every acknowledged publish of those envelopes, re-sends included. */
  readonly sends: number;
  /** Distinct envelopes sent for which the hub's receipt arrived, by the receipt's status. */
  readonly receipted: number;
  readonly receiptStatuses: Readonly<Record<ReceiptStatus, number>>;
  /** Sent, no receipt yet. */
  readonly unreceipted: number;
  /** Receipts for records of this source system that this journal never sent (e.g. sent before it existed). */
  readonly receiptsOfUnknown: number;
}

export interface Resendable {
  readonly msgId: string;
  readonly subject: string;
  readonly payload: string;
}

interface Envelope {
  subject: string;
  /** Dropped once receipted. */
  payload: string | undefined;
  sends: number;
  lastSentAt: number;
  receipt: ReceiptStatus | undefined;
}

type Line =
  | { read: string; outcome: ReadOutcome }
  | { sent: string; subject: string; payload?: string; at: number; sends?: number }
  | { receipt: string; status: ReceiptStatus };

export class DeliveryJournal {
  readonly #reads = new Map<string, ReadOutcome>();
  readonly #envelopes = new Map<string, Envelope>();
  /** Receipts that came before their `sent` line (or for envelopes never sent from here). */
  readonly #early = new Map<string, ReceiptStatus>();
  #fd: number | undefined;

  /** Opens (and compacts) the journal at `file`; without a file it is kept in memory only. */
  constructor(readonly file?: string) {
    if (file === undefined) return;
    mkdirSync(dirname(file), { recursive: true });
    if (existsSync(file)) this.#replay(readFileSync(file, 'utf8'));
    this.#compact(file);
    this.#fd = openSync(file, 'a');
  }

  /** A legacy record read, and its fate (published or dead-lettered once stays so when it is read again). */
  read(source: string, outcome: ReadOutcome): void {
    const known = this.#reads.get(source);
    if (known === outcome || known === 'published' || known === 'dead-lettered') return;
    this.#reads.set(source, outcome);
    this.#append({ read: source, outcome });
  }

  /** An envelope JetStream acknowledged (first send or re-send). */
  sent(msgId: string, subject: string, payload: string, at = Date.now()): void {
    const known = this.#envelopes.get(msgId);
    if (known !== undefined) {
      known.sends += 1;
      known.lastSentAt = at;
      this.#append({ sent: msgId, subject, at });
      return;
    }
    const receipt = this.#early.get(msgId);
    this.#early.delete(msgId);
    this.#envelopes.set(msgId, {
      subject,
      payload: receipt === undefined ? payload : undefined,
      sends: 1,
      lastSentAt: at,
      receipt,
    });
    this.#append({ sent: msgId, subject, payload, at });
  }

  /** The hub's receipt for `msgId` (a receipt's `recordId`). */
  receipted(msgId: string, status: ReceiptStatus): void {
    const known = this.#envelopes.get(msgId);
    if (known === undefined) {
      if (this.#early.get(msgId) === status) return;
      this.#early.set(msgId, status);
    } else {
      if (known.receipt === status) return;
      known.receipt = status;
      known.payload = undefined;
    }
    this.#append({ receipt: msgId, status });
  }

  /**
   * Envelopes sent but not receipted whose re-send is due at `now`: `afterMs` after the last send, doubling with
   * each send up to 64 times that (a hub working through a backlog is not flooded with copies), oldest first.
   */
  unreceipted(now: number, afterMs: number): Resendable[] {
    const due: (Resendable & { at: number })[] = [];
    for (const [msgId, e] of this.#envelopes) {
      const wait = afterMs * 2 ** Math.min(Math.max(e.sends - 1, 0), 6);
      if (e.receipt === undefined && e.payload !== undefined && e.lastSentAt + wait <= now)
        due.push({ msgId, subject: e.subject, payload: e.payload, at: e.lastSentAt });
    }
    return due
      .sort((a, b) => a.at - b.at)
      .map(({ msgId, subject, payload }) => ({ msgId, subject, payload }));
  }

  counts(): JournalCounts {
    const readOutcomes: Record<ReadOutcome, number> = {
      published: 0,
      duplicate: 0,
      'dead-lettered': 0,
      skipped: 0,
    };
    for (const outcome of this.#reads.values()) readOutcomes[outcome] += 1;
    const receiptStatuses: Record<ReceiptStatus, number> = {
      ANCHORED: 0,
      DUPLICATE: 0,
      CONFLICT: 0,
      REJECTED: 0,
    };
    let sends = 0;
    let receipted = 0;
    for (const e of this.#envelopes.values()) {
      sends += e.sends;
      if (e.receipt === undefined) continue;
      receipted += 1;
      receiptStatuses[e.receipt] += 1;
    }
    return {
      read: this.#reads.size,
      readOutcomes,
      sent: this.#envelopes.size,
      sends,
      receipted,
      receiptStatuses,
      unreceipted: this.#envelopes.size - receipted,
      receiptsOfUnknown: this.#early.size,
    };
  }

  close(): void {
    if (this.#fd === undefined) return;
    closeSync(this.#fd);
    this.#fd = undefined;
  }

  #append(line: Line): void {
    if (this.#fd !== undefined) writeSync(this.#fd, `${JSON.stringify(line)}\n`);
  }

  #replay(text: string): void {
    const fd = this.#fd;
    this.#fd = undefined; // replaying appends nothing
    for (const raw of text.split('\n')) {
      const line = parseLine(raw);
      if (line === undefined) continue;
      if ('read' in line) this.read(line.read, line.outcome);
      else if ('receipt' in line) this.receipted(line.receipt, line.status);
      else this.#replaySent(line);
    }
    this.#fd = fd;
  }

  #replaySent(line: { sent: string; subject: string; payload?: string; at: number; sends?: number }): void {
    const known = this.#envelopes.get(line.sent);
    if (known === undefined) {
      const receipt = this.#early.get(line.sent);
      this.#early.delete(line.sent);
      this.#envelopes.set(line.sent, {
        subject: line.subject,
        payload: receipt === undefined ? line.payload : undefined,
        sends: line.sends ?? 1,
        lastSentAt: line.at,
        receipt,
      });
      return;
    }
    known.sends += line.sends ?? 1;
    known.lastSentAt = Math.max(known.lastSentAt, line.at);
  }

  /** Rewrites the journal with only what is still needed, via a temporary file and a rename. */
  #compact(file: string): void {
    const lines: string[] = [];
    for (const [source, outcome] of this.#reads) lines.push(JSON.stringify({ read: source, outcome }));
    for (const [msgId, e] of this.#envelopes) {
      lines.push(
        JSON.stringify({
          sent: msgId,
          subject: e.subject,
          payload: e.payload,
          at: e.lastSentAt,
          sends: e.sends,
        }),
      );
      if (e.receipt !== undefined) lines.push(JSON.stringify({ receipt: msgId, status: e.receipt }));
    }
    for (const [msgId, status] of this.#early) lines.push(JSON.stringify({ receipt: msgId, status }));
    const tmp = `${file}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      if (lines.length > 0) writeSync(fd, `${lines.join('\n')}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  }
}

function parseLine(raw: string): Line | undefined {
  if (raw.trim() === '') return undefined;
  try {
    const value = JSON.parse(raw) as Partial<Record<string, unknown>>;
    if (typeof value.read === 'string' && typeof value.outcome === 'string') return value as Line;
    if (typeof value.sent === 'string' && typeof value.subject === 'string' && typeof value.at === 'number')
      return value as Line;
    if (typeof value.receipt === 'string' && typeof value.status === 'string') return value as Line;
    return undefined;
  } catch {
    return undefined; // a torn last line
  }
}
