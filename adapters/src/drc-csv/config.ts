/** `config/drc-csv.json`: the development & reform nightly GBK CSV exports dropped into a directory. */
import { z } from 'zod';
import { BaseConfigShape, dataPath, type AdapterEnv } from '../core/adapter-config';
import { LegacyEncodingSchema } from '../core/legacy-text';

export const ADAPTER_NAME = 'drc-csv';

export const DrcCsvConfigSchema = z.strictObject({
  ...BaseConfigShape,
  /** Watched directory; relative paths are under the data dir (LEDGER_DATA_DIR). */
  inboxDir: z.string().min(1).default('inbox/drc'),
  /** Where finished files go; relative to the inbox. */
  archiveDir: z.string().min(1).default('archive'),
  /** Where files that cannot be read go (md5 mismatch, undecodable header); relative to the inbox. */
  quarantineDir: z.string().min(1).default('quarantine'),
  /** GB18030 reads every GBK file the same and also the characters GBK lacks. */
  encoding: LegacyEncodingSchema.default('gb18030'),
  /** Only `*.csv` names matching this are picked up. */
  filePattern: z
    .string()
    .default('\\.csv$')
    .refine((p) => isRegExp(p), 'not a regular expression'),
  pollIntervalMs: z.number().int().positive().default(2_000),
  batchSize: z.number().int().min(1).max(10_000).default(500),
  /** A `.md5` file still not a complete digest after this long is corrupt (before: still being written). */
  md5GraceMs: z.number().int().nonnegative().default(30_000),
});

export type DrcCsvConfig = z.infer<typeof DrcCsvConfigSchema>;

export interface DrcDirectories {
  readonly inbox: string;
  readonly archive: string;
  readonly quarantine: string;
}

export function drcDirectories(config: DrcCsvConfig, env: AdapterEnv): DrcDirectories {
  const inbox = dataPath(env, config.inboxDir);
  const under = (dir: string): string => (dir.startsWith('/') ? dir : `${inbox}/${dir}`);
  return { inbox, archive: under(config.archiveDir), quarantine: under(config.quarantineDir) };
}

function isRegExp(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}
