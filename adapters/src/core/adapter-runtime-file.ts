/**
 * `<dataDir>/adapters/<name>.runtime.json`: where a running adapter of a data dir serves `/healthz`, so `npm start`'s
 * banner and operators find it when the configured port was taken. Written after start, removed on a clean
 * stop (a file left by a killed adapter names a pid that no longer runs).
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type JournalCounts } from './delivery-journal';

export interface AdapterRuntimeFile {
  readonly adapter: string;
  readonly healthUrl: string;
  readonly pid: number;
  readonly startedAt: string;
  /** What runs where (simulators), one line each. */
  readonly where: readonly string[];
}

export function adapterRuntimeFilePath(dataDir: string, adapter: string): string {
  return join(dataDir, 'adapters', `${adapter}.runtime.json`);
}

export function writeAdapterRuntimeFile(dataDir: string, runtime: AdapterRuntimeFile): void {
  const file = adapterRuntimeFilePath(dataDir, runtime.adapter);
  mkdirSync(join(dataDir, 'adapters'), { recursive: true });
  writeFileSync(`${file}.tmp`, `${JSON.stringify(runtime, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

export function removeAdapterRuntimeFile(dataDir: string, adapter: string): void {
  rmSync(adapterRuntimeFilePath(dataDir, adapter), { force: true });
}

/**
 * `<dataDir>/adapters/<name>.counters.json`: the delivery journal's distinct counts (what was read from the legacy
 * system, sent, receipted), rewritten atomically within a second of a change and on stop; `ledger reconcile`
 * reads it. The journal beside it is the durable truth, so after a kill -9 the file is right again once the
 * adapter runs. Kept on a clean stop.
 */
export interface AdapterCountersFile extends JournalCounts {
  readonly adapter: string;
  readonly sourceSystem: string | null;
  readonly region: string;
  readonly dept: string;
  readonly updatedAt: string;
  readonly journal: string;
}

export function adapterCountersFilePath(dataDir: string, adapter: string): string {
  return join(dataDir, 'adapters', `${adapter}.counters.json`);
}

export function adapterJournalPath(dataDir: string, adapter: string): string {
  return join(dataDir, 'adapters', `${adapter}.journal.jsonl`);
}

/** `instance`: the file's name when several instances of an adapter share the data dir (`drc-csv-tj`). */
export function writeAdapterCountersFile(
  dataDir: string,
  counters: AdapterCountersFile,
  instance: string = counters.adapter,
): void {
  const file = adapterCountersFilePath(dataDir, instance);
  mkdirSync(join(dataDir, 'adapters'), { recursive: true });
  writeFileSync(`${file}.tmp`, `${JSON.stringify(counters, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}
