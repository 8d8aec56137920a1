/**
 * `<dataDir>/hub/runtime.json`: where the running hub of a data dir listens and which NATS it uses, so the
 * `ledger` CLI finds them without flags. Written by main() after start, removed on a clean stop.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface HubRuntime {
  readonly url: string;
  readonly natsUrl: string;
  readonly pid: number;
  readonly startedAt: string;
}

export function runtimeFilePath(dataDir: string): string {
  return join(dataDir, 'hub', 'runtime.json');
}

export function writeRuntimeFile(dataDir: string, runtime: HubRuntime): void {
  const file = runtimeFilePath(dataDir);
  mkdirSync(join(dataDir, 'hub'), { recursive: true });
  writeFileSync(`${file}.tmp`, `${JSON.stringify(runtime, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

export function readRuntimeFile(dataDir: string): HubRuntime | undefined {
  try {
    return JSON.parse(readFileSync(runtimeFilePath(dataDir), 'utf8')) as HubRuntime;
  } catch {
    return undefined;
  }
}

export function removeRuntimeFile(dataDir: string): void {
  rmSync(runtimeFilePath(dataDir), { force: true });
}
