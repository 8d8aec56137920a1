/**
 * `<dataDir>/adapters/<name>.runtime.json`: where a running adapter of a data dir serves `/healthz`, so `npm start`'s
 * banner and operators find it when the configured port was taken. Written after start, removed on a clean
 * stop (a file left by a killed adapter names a pid that no longer runs).
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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
