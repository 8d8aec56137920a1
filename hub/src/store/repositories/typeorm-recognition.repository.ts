import {
  type RecognitionDecision,
  type RecognitionRequest,
  type RecognitionStatus,
  type RecognitionSubjectType,
  canonicalize,
} from '@approval-ledger/protocol';
import { type EntityManager, MoreThan, Not, type FindOptionsWhere } from 'typeorm';
import { RecognitionEntity } from '../entities/recognition.entity';
import { type SqlExecutor } from '../sql-executor';
import {
  type LedgerPosition,
  type RecognitionFilter,
  type RecognitionRepository,
  type StoredRecognition,
} from './recognition.repository';

export class TypeormRecognitionRepository implements RecognitionRepository {
  readonly #db: SqlExecutor;

  constructor(db: SqlExecutor) {
    this.#db = db;
  }

  async saveRequest(
    request: RecognitionRequest,
    meta: { readonly requestedBy?: string; readonly requestedAt: Date; readonly ledger?: LedgerPosition },
  ): Promise<StoredRecognition> {
    return this.#db.transaction(async (manager) => {
      const repo = manager.getRepository(RecognitionEntity);
      const existing = await repo.findOneBy({ id: request.id });
      if (existing !== null) return toStored(existing);
      const row = repo.create({
        id: request.id,
        subjectType: request.subjectType,
        subjectId: request.subjectId,
        sourceRegion: request.sourceRegion,
        targetRegion: request.targetRegion,
        status: 'PENDING',
        requestJson: canonicalize(request),
        requestedBy: meta.requestedBy ?? null,
        requestedAt: meta.requestedAt,
        decisionJson: null,
        decidedAt: null,
        statusReason: null,
        txId: meta.ledger?.txId ?? null,
        blockNumber: meta.ledger?.blockNumber ?? null,
        updatedAt: new Date(),
      });
      await repo.insert(row);
      return toStored(row);
    });
  }

  async saveDecision(
    decision: RecognitionDecision,
    ledger?: LedgerPosition,
  ): Promise<StoredRecognition | undefined> {
    return this.#db.transaction(async (manager) => {
      const repo = manager.getRepository(RecognitionEntity);
      const existing = await repo.findOneBy({ id: decision.recognitionId });
      if (existing === null) return undefined;
      existing.status = decision.outcome;
      existing.decisionJson = canonicalize(decision);
      existing.decidedAt = new Date(decision.decidedAt);
      existing.updatedAt = new Date();
      if (ledger !== undefined) Object.assign(existing, ledger);
      await repo.save(existing);
      return toStored(existing);
    });
  }

  async markSourceRevoked(
    subjectType: RecognitionSubjectType,
    subjectId: string,
    reason: string,
    at: Date,
  ): Promise<StoredRecognition[]> {
    return this.#db.transaction(async (manager) => {
      const repo = manager.getRepository(RecognitionEntity);
      const affected = await repo.findBy({ subjectType, subjectId, status: Not('SOURCE_REVOKED') });
      if (affected.length === 0) return [];
      await repo.update(
        affected.map((r) => r.id),
        { status: 'SOURCE_REVOKED', statusReason: reason.slice(0, 500), updatedAt: at },
      );
      return affected.map((r) =>
        toStored({ ...r, status: 'SOURCE_REVOKED', statusReason: reason, updatedAt: at }),
      );
    });
  }

  async findById(id: string): Promise<StoredRecognition | undefined> {
    const row = await this.#db.run((manager) => manager.getRepository(RecognitionEntity).findOneBy({ id }));
    return row === null ? undefined : toStored(row);
  }

  async findBySubject(subjectType: RecognitionSubjectType, subjectId: string): Promise<StoredRecognition[]> {
    return this.#find((manager) =>
      manager
        .getRepository(RecognitionEntity)
        .find({ where: { subjectType, subjectId }, order: { id: 'ASC' } }),
    );
  }

  async list(filter: RecognitionFilter = {}): Promise<StoredRecognition[]> {
    const where: FindOptionsWhere<RecognitionEntity> = {};
    if (filter.source !== undefined) where.sourceRegion = filter.source;
    if (filter.target !== undefined) where.targetRegion = filter.target;
    if (filter.status !== undefined) where.status = filter.status;
    if (filter.after !== undefined) where.id = MoreThan(filter.after);
    const take = Math.min(Math.max(1, filter.limit ?? 100), 1000);
    return this.#find((manager) =>
      manager.getRepository(RecognitionEntity).find({ where, order: { id: 'ASC' }, take }),
    );
  }

  async #find(query: (manager: EntityManager) => Promise<RecognitionEntity[]>): Promise<StoredRecognition[]> {
    return (await this.#db.run(query)).map(toStored);
  }
}

function toStored(row: RecognitionEntity): StoredRecognition {
  return {
    request: JSON.parse(row.requestJson) as RecognitionRequest,
    status: row.status as RecognitionStatus,
    requestedBy: row.requestedBy,
    requestedAt: row.requestedAt,
    decision: row.decisionJson === null ? null : (JSON.parse(row.decisionJson) as RecognitionDecision),
    decidedAt: row.decidedAt,
    statusReason: row.statusReason,
    txId: row.txId,
    blockNumber: row.blockNumber,
    updatedAt: row.updatedAt,
  };
}
