import { AuditLogEntryEntity } from './audit-log-entry.entity';
import { DeadLetterEntity } from './dead-letter.entity';
import { ReceiptEntity } from './receipt.entity';
import { RecognitionEntity } from './recognition.entity';
import { ReconciliationEntryEntity } from './reconciliation-entry.entity';
import { RecordEntity } from './record.entity';
import { TokenEntity } from './token.entity';

export {
  AuditLogEntryEntity,
  DeadLetterEntity,
  ReceiptEntity,
  RecognitionEntity,
  ReconciliationEntryEntity,
  RecordEntity,
  TokenEntity,
};

/** Every entity of the off-chain store. */
export const STORE_ENTITIES = [
  RecordEntity,
  ReceiptEntity,
  RecognitionEntity,
  TokenEntity,
  AuditLogEntryEntity,
  DeadLetterEntity,
  ReconciliationEntryEntity,
];
