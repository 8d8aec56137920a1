/**
 * The genuine Fabric 2.4.9 artefacts in `../shared/fabric-fixtures` beside the repository root (captured from a
 * real three-region network; their README and manifest.json say how each was produced and what independently
 * computed values to expect), for the protocol's and the hub's tests alike.
 */
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

/** The whole manifest: each file's entry, the identities (certificates of the capture's clients), the flows. */
export function fabricManifest(): {
  files: Record<string, unknown>;
  identities: Record<string, { mspId: string; subject: string; certificatePem: string }>;
} {
  return JSON.parse(readFileSync(join(FABRIC_FIXTURES_DIR, 'manifest.json'), 'utf8')) as ReturnType<
    typeof fabricManifest
  >;
}

/** The manifest's entry of one file, with the expected values computed independently at capture. */
export function fabricManifestEntry<T = Record<string, unknown>>(file: string): T {
  const entry = fabricManifest().files[file];
  if (entry === undefined) throw new Error(`manifest.json describes no file ${file}`);
  return entry as T;
}
