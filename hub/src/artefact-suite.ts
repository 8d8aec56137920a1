/**
 * The crypto suite of the hub's own artefacts (commitments, the transparency log's trees, checkpoints and
 * witness cosignatures), fixed per data directory at first start, as block 0 fixes the embedded ledger's.
 *
 * LEDGER_CRYPTO names it on either engine: on the embedded engine the ledger and the artefacts share it; on
 * Fabric the ledger stays SHA-256 / P-256 (Fabric peers cannot verify SM2) and only the artefacts are `gm`. The
 * first start writes `<dataDir>/artefact-suite` (`intl` or `gm`, created exclusively, so two processes racing
 * agree on one); every later start must name the same, or is refused naming LEDGER_CRYPTO: commitments and
 * checkpoints of two suites in one data directory would be a log no verifier can follow.
 *
 * A data directory whose transparency log (`tlog/`) predates the marker was made before the hub's artefacts had a
 * suite, so they are `intl` (SHA-256 commitments and trees, Ed25519 notes), whatever its ledger is: its first start
 * with a marker fixes `intl`, and LEDGER_CRYPTO=gm on it is refused rather than continuing an SHA-256 log in SM3.
 */
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type ArtefactSuite = 'intl' | 'gm';

export const ARTEFACT_SUITE_FILE = 'artefact-suite';

export class ArtefactSuiteMismatchError extends Error {
  override readonly name = 'ArtefactSuiteMismatchError';

  constructor(
    readonly dataDir: string,
    readonly fixed: ArtefactSuite,
    readonly asked: ArtefactSuite,
  ) {
    super(
      `LEDGER_CRYPTO=${asked}, but the hub's artefacts in ${dataDir} (commitments, transparency log, checkpoints, cosignatures) were made with LEDGER_CRYPTO=${fixed} at its first start; start it with LEDGER_CRYPTO=${fixed}, or use a new data directory`,
    );
  }
}

/** The suite fixed for `dataDir`, or undefined before its first start. */
export function artefactSuiteOf(dataDir: string): ArtefactSuite | undefined {
  const path = join(dataDir, ARTEFACT_SUITE_FILE);
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8').trim();
  if (text !== 'intl' && text !== 'gm') {
    throw new TypeError(`${path} holds ${JSON.stringify(text)}, not intl or gm`);
  }
  return text;
}

/**
 * Fixes `suite` for `dataDir` on its first start and returns it; later starts must ask for the same, else an
 * {@link ArtefactSuiteMismatchError} naming LEDGER_CRYPTO.
 */
export function fixArtefactSuite(dataDir: string, suite: ArtefactSuite): ArtefactSuite {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, ARTEFACT_SUITE_FILE);
  if (!existsSync(path)) {
    const first = existsSync(join(dataDir, 'tlog')) ? 'intl' : suite; // artefacts older than the marker are intl
    const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(temp, `${first}\n`, { flag: 'wx' });
    try {
      linkSync(temp, path); // fails if another process fixed it first: its suite is then the one read below
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(temp);
    }
  }
  const fixed = artefactSuiteOf(dataDir) as ArtefactSuite;
  if (fixed !== suite) throw new ArtefactSuiteMismatchError(dataDir, fixed, suite);
  return fixed;
}
