// Reads the genuine Fabric artefacts in `../shared/fabric-fixtures` beside the repository root (captured from a
// real three-region Fabric 2.4.9 network; their README and manifest.json say how each was produced).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

function repositoryRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'lerna.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no repository root (lerna.json) above ${from}`);
  }
}

export const FABRIC_FIXTURES_DIR = join(repositoryRoot(__dirname), '..', 'shared', 'fabric-fixtures');

export function readFabricFixture(file: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FABRIC_FIXTURES_DIR, file)));
}

/** The manifest's entry of one file (what produced it, and the independently computed expected values). */
export function fabricManifestEntry<T = Record<string, unknown>>(file: string): T {
  const manifest = JSON.parse(readFileSync(join(FABRIC_FIXTURES_DIR, 'manifest.json'), 'utf8')) as {
    files: Record<string, unknown>;
  };
  const entry = manifest.files[file];
  if (entry === undefined) throw new Error(`manifest.json describes no file ${file}`);
  return entry as T;
}

/** The whole manifest: identities (certificates of the capture's clients) and the flows it recorded. */
export function fabricManifest(): {
  identities: Record<string, { mspId: string; subject: string; certificatePem: string }>;
} {
  return JSON.parse(readFileSync(join(FABRIC_FIXTURES_DIR, 'manifest.json'), 'utf8')) as ReturnType<
    typeof fabricManifest
  >;
}
