/** Adapter checkpoints in the JetStream key-value bucket `adapter-checkpoints`, one key per adapter. */
import { ADAPTER_CHECKPOINT_BUCKET } from '@approval-ledger/protocol';
import { type KV } from '@nats-io/kv';
import { type z } from 'zod';

export interface CheckpointStore<C> {
  /** The last checkpoint saved, or undefined before the first. */
  load(): Promise<C | undefined>;
  /** Saves the checkpoint; called only after every record before it has been acknowledged by JetStream. */
  save(checkpoint: C): Promise<void>;
}

export class KvCheckpointStore<C> implements CheckpointStore<C> {
  constructor(
    private kv: KV,
    readonly key: string,
    private readonly schema: z.ZodType<C>,
    /** Opens the bucket again, creating it when absent (a nats-server whose store was lost or wiped). */
    private readonly reopen?: () => Promise<KV>,
  ) {}

  async load(): Promise<C | undefined> {
    const entry = await this.kv.get(this.key);
    if (entry === null || entry.operation !== 'PUT' || entry.value.length === 0) return undefined;
    const parsed = this.schema.safeParse(entry.json());
    if (!parsed.success) {
      const detail = parsed.error.issues
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ');
      throw new Error(`checkpoint ${this.key} in ${ADAPTER_CHECKPOINT_BUCKET} is not readable: ${detail}`);
    }
    return parsed.data;
  }

  async save(checkpoint: C): Promise<void> {
    try {
      await this.kv.put(this.key, JSON.stringify(checkpoint));
    } catch (error) {
      if (this.reopen === undefined) throw error;
      // the bucket may be gone with a lost JetStream store: open (re-create) it; the caller retries the save
      this.kv = await this.reopen();
      throw error;
    }
  }
}
