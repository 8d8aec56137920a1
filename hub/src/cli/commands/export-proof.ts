/**
 * `ledger export-proof <sha256> -o proof.json`: writes the proof bundle (`approval-ledger/proof@1`, or `approval-ledger/fabric-proof@1` on Fabric) of the
 * record the hash names (a document digest or a commitment), as the running hub builds it. When the hash
 * matches several records (one document attached to several milestones), it writes nothing and lists them:
 * `--id` picks one. `--v2` writes the proof bundle v2 instead (`approval-ledger/proof@2`: the same evidence proven
 * against the latest cosigned checkpoint, with the record's status proof). `--record-version N` proves version N
 * of a corrected record (更正) instead of its current one: the bundle's statement says whether it is the latest,
 * and a v2 bundle proves it. Exit 0 written, 1 not anchored (or no such version), 2 error or several matches.
 */
import { writeFileSync } from 'node:fs';
import { SHA256_HEX } from '@approval-ledger/protocol';
import { type VerifyResponse } from '@approval-ledger/protocol/api';
import { type Command } from 'commander';
import { type CliCommand } from '../cli-command';
import { CliFailure, failureOf, reportFailure } from '../cli-failure';
import { hubUrl } from '../hub-endpoint';

interface ExportOptions {
  output: string;
  id?: string;
  hub?: string;
  v2?: boolean;
  recordVersion?: string;
}

export const exportProofCommand: CliCommand = {
  name: 'export-proof',
  register(program: Command): void {
    program
      .command('export-proof <sha256>')
      .description('write the proof bundle of an anchored record (exit 0 written, 1 not anchored)')
      .requiredOption('-o, --output <file>', 'where to write the bundle')
      .option('--id <id>', 'the record to export when the hash matches several (<id> or <kind>:<id>)')
      .option('--v2', 'write the proof bundle v2 (checkpoint, witnesses, status proof)')
      .option(
        '--record-version <n>',
        'prove version n of a corrected (更正) certificate or milestone instead of its current version',
      )
      .option(
        '--hub <url>',
        'the hub (default: HUB_URL, the data dir’s running hub, or http://127.0.0.1:8080)',
      )
      .action(async (sha256: string, options: ExportOptions) => {
        process.exitCode = await runExportProof(sha256, options);
      });
  },
};

export async function runExportProof(
  sha256: string,
  options: ExportOptions,
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  try {
    if (!SHA256_HEX.test(sha256))
      throw new CliFailure(`${sha256} is not a SHA-256 (64 lower-case hex digits)`, 2);
    const response = await fetch(`${hubUrl(options.hub)}/api/v1/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sha256, bundle: true }),
    });
    if (!response.ok)
      throw new CliFailure(`the hub answered ${response.status}: ${await response.text()}`, 2);
    const result = (await response.json()) as VerifyResponse;
    const match = chooseMatch(sha256, result.matches, options.id);
    const version = recordVersionOf(options.recordVersion);
    const bundle =
      options.v2 || version !== undefined
        ? await bundleFromProofs(options.hub, match, sha256, { v2: options.v2 ?? false, version })
        : match.bundle;
    writeFileSync(options.output, `${JSON.stringify(bundle, null, 2)}\n`);
    const what = version === undefined ? '' : `version ${version} of `;
    out.write(
      `wrote the proof of ${what}${match.kind} ${match.id} to ${options.output} (check it with: ledger verify --bundle ${options.output})\n`,
    );
    return 0;
  } catch (error) {
    return reportFailure(failureOf(error, 2), err);
  }
}

type Match = VerifyResponse['matches'][number];

/** `--record-version`: a version number, 1 or more. */
function recordVersionOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[1-9][0-9]{0,6}$/.test(text))
    throw new CliFailure(`--record-version: ${text} is not a version (a whole number from 1)`, 2);
  return Number(text);
}

/**
 * The bundle from `GET /proofs/{kind}/{id}`: v2 and/or another version than the current one. The hash asked
 * about names the current version (or its documents), so it is checked only against the current version.
 */
async function bundleFromProofs(
  hub: string | undefined,
  match: Match,
  sha256: string,
  options: { v2: boolean; version: number | undefined },
): Promise<unknown> {
  const query = new URLSearchParams();
  if (options.v2) query.set('version', '2');
  if (options.version === undefined) query.set('sha256', sha256);
  else query.set('recordVersion', String(options.version));
  const url = `${hubUrl(hub)}/api/v1/proofs/${match.kind}/${encodeURIComponent(match.id)}?${query.toString()}`;
  const response = await fetch(url);
  if (response.status === 404) throw new CliFailure(`the hub answered 404: ${await response.text()}`, 1);
  if (!response.ok) throw new CliFailure(`the hub answered ${response.status}: ${await response.text()}`, 2);
  return response.json();
}

/** The one match to export: the only one, or the one `--id` names (`<id>` or `<kind>:<id>`); else a failure listing them. */
function chooseMatch(sha256: string, matches: readonly Match[], id: string | undefined): Match {
  if (matches.length === 0) throw new CliFailure(`${sha256} is not anchored`, 1);
  const chosen =
    id === undefined ? matches : matches.filter((m) => m.id === id || `${m.kind}:${m.id}` === id);
  if (chosen.length === 1) return chosen[0] as Match;
  const list = matches.map((m) => `  ${m.kind}:${m.id} (${m.status})`).join('\n');
  if (chosen.length === 0) {
    throw new CliFailure(`${sha256} is not anchored as ${id}; it matches:\n${list}`, 1);
  }
  throw new CliFailure(
    `${sha256} matches ${chosen.length} records; choose one with --id <id> (or --id <kind>:<id>):\n${list}`,
    2,
  );
}
