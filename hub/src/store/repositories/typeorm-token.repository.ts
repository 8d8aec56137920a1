import { type DepartmentCode, type RegionCode, type Role } from '@approval-ledger/protocol';
import { IsNull, MoreThan, type FindOptionsWhere } from 'typeorm';
import { TokenEntity } from '../entities/token.entity';
import { type SqlExecutor } from '../sql-executor';
import { type IssuedToken, type TokenListOptions, type TokenRepository } from './token.repository';

export class TypeormTokenRepository implements TokenRepository {
  readonly #db: SqlExecutor;

  constructor(db: SqlExecutor) {
    this.#db = db;
  }

  async record(token: Omit<IssuedToken, 'revokedAt' | 'revokedReason'>): Promise<void> {
    await this.#db.run((manager) =>
      manager.getRepository(TokenEntity).insert({ ...token, revokedAt: null, revokedReason: null }),
    );
  }

  async findByJti(jti: string): Promise<IssuedToken | undefined> {
    const row = await this.#db.run((manager) => manager.getRepository(TokenEntity).findOneBy({ jti }));
    return row === null ? undefined : toIssued(row);
  }

  async revoke(jti: string, at: Date, reason: string): Promise<boolean> {
    const result = await this.#db.run((manager) =>
      manager
        .getRepository(TokenEntity)
        .update({ jti, revokedAt: IsNull() }, { revokedAt: at, revokedReason: reason.slice(0, 500) }),
    );
    return (result.affected ?? 0) > 0;
  }

  async list(options: TokenListOptions = {}): Promise<IssuedToken[]> {
    const where: FindOptionsWhere<TokenEntity> = {};
    if (options.subject !== undefined) where.subject = options.subject;
    if (options.activeAt !== undefined) {
      where.revokedAt = IsNull();
      where.expiresAt = MoreThan(options.activeAt);
    }
    const take = Math.min(Math.max(1, options.limit ?? 100), 1000);
    const rows = await this.#db.run((manager) =>
      manager.getRepository(TokenEntity).find({ where, order: { issuedAt: 'DESC', jti: 'ASC' }, take }),
    );
    return rows.map(toIssued);
  }
}

function toIssued(row: TokenEntity): IssuedToken {
  return {
    jti: row.jti,
    subject: row.subject,
    region: row.region as RegionCode,
    role: row.role as Role,
    dept: row.dept as DepartmentCode | null,
    issuedAt: row.issuedAt,
    expiresAt: row.expiresAt,
    issuedBy: row.issuedBy,
    revokedAt: row.revokedAt,
    revokedReason: row.revokedReason,
  };
}
