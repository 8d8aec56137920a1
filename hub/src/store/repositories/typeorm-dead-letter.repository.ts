import { canonicalize } from '@approval-ledger/protocol';
import { IsNull, MoreThan, Not, type FindOptionsWhere } from 'typeorm';
import { DeadLetterEntity } from '../entities/dead-letter.entity';
import { isUniqueViolation } from '../sql-dialect';
import { type SqlExecutor } from '../sql-executor';
import {
  type DeadLetter,
  type DeadLetterQuery,
  type DeadLetterRepository,
  type StoredDeadLetter,
} from './dead-letter.repository';

export class TypeormDeadLetterRepository implements DeadLetterRepository {
  readonly #db: SqlExecutor;

  constructor(db: SqlExecutor) {
    this.#db = db;
  }

  async save(letter: DeadLetter): Promise<boolean> {
    const { headers, payload, ...columns } = letter;
    try {
      await this.#db.run((manager) =>
        manager.getRepository(DeadLetterEntity).insert({
          ...columns,
          reason: letter.reason.slice(0, 2000),
          headersJson: canonicalize(headers),
          payload: Buffer.from(payload),
          replayedAt: null,
          replayCount: 0,
        }),
      );
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async findBySeq(streamSeq: number): Promise<StoredDeadLetter | undefined> {
    const row = await this.#db.run((manager) =>
      manager.getRepository(DeadLetterEntity).findOneBy({ streamSeq }),
    );
    return row === null ? undefined : toStored(row);
  }

  async list(query: DeadLetterQuery = {}): Promise<StoredDeadLetter[]> {
    const where: FindOptionsWhere<DeadLetterEntity> = {};
    if (query.after !== undefined) where.streamSeq = MoreThan(query.after);
    if (query.code !== undefined) where.code = query.code;
    if (query.replayed !== undefined) where.replayedAt = query.replayed ? Not(IsNull()) : IsNull();
    const take = Math.min(Math.max(1, query.limit ?? 100), 1000);
    const rows = await this.#db.run((manager) =>
      manager.getRepository(DeadLetterEntity).find({ where, order: { streamSeq: 'ASC' }, take }),
    );
    return rows.map(toStored);
  }

  async markReplayed(streamSeq: number, at: Date): Promise<StoredDeadLetter | undefined> {
    return this.#db.transaction(async (manager) => {
      const repo = manager.getRepository(DeadLetterEntity);
      const result = await repo.increment({ streamSeq }, 'replayCount', 1);
      if ((result.affected ?? 0) === 0) return undefined;
      await repo.update({ streamSeq }, { replayedAt: at });
      const row = await repo.findOneBy({ streamSeq });
      return row === null ? undefined : toStored(row);
    });
  }

  async count(): Promise<number> {
    return this.#db.run((manager) => manager.getRepository(DeadLetterEntity).count());
  }
}

function toStored(row: DeadLetterEntity): StoredDeadLetter {
  return {
    streamSeq: row.streamSeq,
    subject: row.subject,
    originSubject: row.originSubject,
    reason: row.reason,
    code: row.code,
    sourceKey: row.sourceKey,
    headers: JSON.parse(row.headersJson) as Record<string, string[]>,
    payload: new Uint8Array(row.payload),
    receivedAt: row.receivedAt,
    replayedAt: row.replayedAt,
    replayCount: row.replayCount,
  };
}
