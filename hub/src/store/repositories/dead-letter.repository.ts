/** The mirror of the `DLQ` stream, for `ledger dlq list|show|replay` and the operators' API. */

export interface DeadLetter {
  /** Sequence number of the message in the `DLQ` stream: the key. */
  readonly streamSeq: number;
  /** `ledger.dlq.<region>.<dept>` */
  readonly subject: string;
  /** `Ledger-Dlq-Subject`: where the message was first published. */
  readonly originSubject: string | null;
  /** `Ledger-Dlq-Reason` */
  readonly reason: string;
  /** `Ledger-Dlq-Code`: a ledger error code or a validation rule. */
  readonly code: string;
  /** `recordIdOf(source)` if the message was readable enough to tell; links it to reconciliation. */
  readonly sourceKey: string | null;
  /** Every header, name -> values. */
  readonly headers: Readonly<Record<string, readonly string[]>>;
  /** The message exactly as received. */
  readonly payload: Uint8Array;
  readonly receivedAt: Date;
}

export interface StoredDeadLetter extends DeadLetter {
  readonly replayedAt: Date | null;
  readonly replayCount: number;
}

export interface DeadLetterQuery {
  /** Exclusive lower bound on streamSeq, for paging. */
  readonly after?: number;
  readonly code?: string;
  /** true: replayed at least once; false: never replayed. */
  readonly replayed?: boolean;
  /** Default 100, at most 1000. */
  readonly limit?: number;
}

export interface DeadLetterRepository {
  /** Mirrors a message; false when its stream sequence is already stored (a re-delivery). */
  save(letter: DeadLetter): Promise<boolean>;
  findBySeq(streamSeq: number): Promise<StoredDeadLetter | undefined>;
  /** In stream order. */
  list(query?: DeadLetterQuery): Promise<StoredDeadLetter[]>;
  /** Counts a replay; undefined when the sequence is unknown. (The caller also writes the audit log.) */
  markReplayed(streamSeq: number, at: Date): Promise<StoredDeadLetter | undefined>;
  count(): Promise<number>;
}
