// @approval-ledger/adapters: bridges from four legacy department systems onto NATS JetStream, and their simulators.
export {
  ADAPTER_NAMES,
  isAdapterName,
  loadAdapterConfig,
  startAdapter,
  type AdapterName,
  type AdapterConfigs,
} from './adapter-registry';

// the adapter core
export { AdapterRuntime, type RuntimeOptions } from './core/adapter-runtime';
export { AdapterHealth, type HealthSnapshot } from './core/adapter-health';
export { AdapterMetrics } from './core/metrics';
export {
  LedgerPublisher,
  type LegacyRecord,
  type DeliveryOutcome,
  type DeadLetter,
} from './core/ledger-publisher';
export { runPollingLoop, type PollingSource, type SourceBatch } from './core/polling-loop';
export { runReceiptConsumer, type WriteBack } from './core/receipts-consumer';
export { DeliveryJournal, type JournalCounts } from './core/delivery-journal';
export {
  adapterCountersFilePath,
  adapterJournalPath,
  type AdapterCountersFile,
} from './core/adapter-runtime-file';
export { KvCheckpointStore, type CheckpointStore } from './core/checkpoint-store';
export { ensureStreams } from '@approval-ledger/protocol/nats';
export { backoffDelay, retrying, sleep, AbortedError, type BackoffPolicy } from './core/backoff';
export { DLQ_HEADERS, DLQ_CODES, type DlqCode } from '@approval-ledger/protocol';
export { decodeLegacyText, encodeLegacyText, type LegacyEncoding } from './core/legacy-text';
export { InvalidConfigError } from './core/invalid-config.error';
export { LegacyUnavailableError } from './core/legacy-unavailable.error';
export { type RunningAdapter, type StartOptions } from './core/running-adapter';

// the adapters
export { startHcMysqlAdapter } from './hc-mysql/main';
export { startDrcCsvAdapter } from './drc-csv/main';
export { startEiaSoapAdapter } from './eia-soap/main';
export { startCreditWebhookAdapter } from './credit-webhook/main';
export { parseCsv, type CsvRecord } from './drc-csv/csv-parser';
export { parseXml, decodeXml, XmlRefusedError } from './eia-soap/safe-xml';
export { signCreditDelivery, verifyCreditSignature } from './credit-webhook/credit-webhook-client';
export { startWithSimulator } from './simulated-adapter';
export {
  SIMULATED_ADAPTERS,
  SIMULATED_SYSTEMS,
  instanceName,
  regionalConfigPath,
  type SimulatedSystem,
} from './simulated-systems';
