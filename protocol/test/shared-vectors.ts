// Reads the shared test vectors from `../shared/vectors` beside the repository root.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

function repositoryRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'lerna.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no repository root (lerna.json) above ${from}`);
  }
}

export const VECTORS_DIR = join(repositoryRoot(__dirname), '..', 'shared', 'vectors');

export function readVectors<T>(file: string): T {
  return JSON.parse(readFileSync(join(VECTORS_DIR, file), 'utf8')) as T;
}
