// The public surface of the off-chain store.
export { type Dialect } from './column-types';
export { createStoreDataSource, sqliteStorePath, storeDialect, type StoreOptions } from './data-source';
export { StoreConfigError } from './errors';
export { newRecord, newRecordFromEnvelope, type KindedRecord, type NewRecordOptions } from './new-record';
export { openStore, storeRepositories, type Store, type StoreRepositories } from './store';
export { STORE_ENTITIES } from './entities';
export { SQLITE_MIGRATIONS } from './migrations/sqlite';
export { MYSQL_MIGRATIONS } from './migrations/mysql';
export * from './repositories/record.repository';
export * from './repositories/receipt.repository';
export * from './repositories/recognition.repository';
export * from './repositories/token.repository';
export * from './repositories/audit-log.repository';
export * from './repositories/dead-letter.repository';
export * from './repositories/reconciliation.repository';
