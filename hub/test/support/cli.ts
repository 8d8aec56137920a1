/**
 * How tests run the `ledger` CLI and the hub's main as processes: the build when it is up to date with the
 * sources (as after `npm test`'s build step), else the sources via ts-node.
 */
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

function command(
  distFile: string,
  srcFile: string,
  newest: readonly string[],
): { node: string; args: string[] } {
  const built = join(root, 'dist', distFile);
  const fresh =
    existsSync(built) &&
    newest.every((f) => {
      const src = join(root, 'src', f);
      const dist = join(root, 'dist', f.replace(/\.ts$/, '.js'));
      return existsSync(dist) && statSync(dist).mtimeMs >= statSync(src).mtimeMs;
    });
  return fresh
    ? { node: process.execPath, args: [built] }
    : { node: process.execPath, args: ['-r', 'ts-node/register/transpile-only', join(root, 'src', srcFile)] };
}

export const cliCommand = command('cli/ledger.js', 'cli/ledger.ts', [
  'cli/commands/index.ts',
  'cli/commands/token.ts',
  'cli/commands/export-proof.ts',
  'cli/data-dir.ts',
  'cli/commands/verify.ts',
  'cli/commands/dlq.ts',
  'cli/commands/import.ts',
  'cli/commands/anchors.ts',
]);

export const mainCommand = command('main.js', 'main.ts', [
  'main.ts',
  'hub.ts',
  'ingest/ingest-pipeline.ts',
  'server.ts',
]);

/** Runs the CLI without blocking this process (whose event loop may be serving the hub the CLI talks to). */
export function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd?: string,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cliCommand.node, [...cliCommand.args, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(cwd === undefined ? {} : { cwd }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
