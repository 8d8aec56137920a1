import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { requireBinary } from './binaries';
import { ServerStartError } from './server-start.error';
import { removeDir } from './temp-dir';

const run = promisify(execFile);

/** How a data directory was made ready: copied from the cached template, initialised, or already there. */
export type DataDirSource = 'template' | 'install-db' | 'existing';

/** The InnoDB redo log size; mariadbd must start with the same value the data dir was initialised with. */
export const INNODB_LOG_FILE_SIZE = '8M';

const TEMPLATE_ROOT = join(tmpdir(), 'approval-ledger-testkit');
const MANIFEST = 'manifest.json';

/** Whether a mariadbd process must be told `--user=root` (it refuses to run as root otherwise). */
export function runningAsRoot(): boolean {
  return process.getuid?.() === 0;
}

/**
 * Make `dataDir` a MariaDB data directory with a password-less root: reuse it if it already holds one,
 * else copy the cached template (`useTemplate`) or run mariadb-install-db into it.
 */
export async function prepareDataDir(dataDir: string, useTemplate: boolean): Promise<DataDirSource> {
  if (existsSync(join(dataDir, 'mysql'))) return 'existing';
  await mkdir(dataDir, { recursive: true });
  if (!useTemplate) {
    await installDb(dataDir);
    return 'install-db';
  }
  const template = await ensureTemplate();
  await run('cp', ['-a', `${join(template, 'data')}/.`, dataDir]);
  return 'template';
}

/** Run mariadb-install-db into `dataDir` (about a second on a 2-core machine). */
export async function installDb(dataDir: string): Promise<void> {
  const installer = requireBinary('mariadb-install-db', 'mariadb-server');
  const args = [
    '--no-defaults',
    `--datadir=${dataDir}`,
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
    '--skip-name-resolve',
    ...(runningAsRoot() ? ['--user=root'] : []),
    // passed on to the bootstrap mariadbd: a small redo log makes a 26 MB data dir instead of 114 MB
    `--innodb-log-file-size=${INNODB_LOG_FILE_SIZE}`,
    '--innodb-buffer-pool-size=32M',
    '--skip-log-bin',
  ];
  try {
    await run(installer, args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const output = commandOutput(error);
    throw new ServerStartError(
      'mariadb-install-db',
      'init-failed',
      `could not initialise ${dataDir}`,
      output,
      {
        cause: error,
      },
    );
  }
}

let templateInProcess: Promise<string> | undefined;

/**
 * The cached template: `<os.tmpdir()>/approval-ledger-testkit/mariadb-<key>/data`, keyed by the mariadbd
 * version and the initialisation settings. Built once (staged, then renamed into place, so concurrent
 * test processes never see half of one) and checked against its manifest before each use, because
 * tmp cleaners may delete files from it.
 */
export function ensureTemplate(): Promise<string> {
  templateInProcess ??= buildOrReuseTemplate().finally(() => {
    templateInProcess = undefined;
  });
  return templateInProcess;
}

async function buildOrReuseTemplate(): Promise<string> {
  const dir = join(TEMPLATE_ROOT, `mariadb-${await templateKey()}`);
  if (await templateIsIntact(dir)) return dir;
  await removeDir(dir);
  const staging = `${dir}.staging-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await installDb(join(staging, 'data'));
    const files = await listFiles(join(staging, 'data'));
    await writeFile(join(staging, MANIFEST), JSON.stringify({ files }) + '\n');
    await rename(staging, dir);
  } catch (error) {
    await removeDir(staging);
    if (!(await templateIsIntact(dir))) throw error; // else another process won the race: use its template
  }
  return dir;
}

let cachedTemplateKey: string | undefined;

async function templateKey(): Promise<string> {
  if (cachedTemplateKey !== undefined) return cachedTemplateKey;
  const mariadbd = requireBinary('mariadbd', 'mariadb-server');
  const { stdout } = await run(mariadbd, ['--version']);
  const settings = [stdout.trim(), INNODB_LOG_FILE_SIZE, String(runningAsRoot())].join('\n');
  cachedTemplateKey = createHash('sha256').update(settings).digest('hex').slice(0, 16);
  return cachedTemplateKey;
}

async function templateIsIntact(dir: string): Promise<boolean> {
  try {
    const manifest = JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as { files?: unknown };
    const present = await listFiles(join(dir, 'data'));
    return JSON.stringify(manifest.files) === JSON.stringify(present);
  } catch {
    return false;
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

/** stdout and stderr of a failed execFile, for error messages. */
export function commandOutput(error: unknown): string {
  const { stdout, stderr } = error as { stdout?: unknown; stderr?: unknown };
  const text = [stdout, stderr].filter((part) => typeof part === 'string' && part !== '').join('\n');
  return text === '' ? String(error) : text;
}
