/**
 * `ledger export-proof <sha256> -o proof.json`: writes the proof bundle (`approval-ledger/proof@1`, or `approval-ledger/fabric-proof@1` on Fabric) of the
 * record the hash names (a document digest or a commitment), as the running hub builds it. When the hash
 * matches several records (one document attached to several milestones), it writes nothing and lists them:
 * `--id` picks one. `--v2` writes the proof bundle v2 instead (`approval-ledger/proof@2`: the same evidence proven
 * against the latest cosigned checkpoint, with the record's status proof). Exit 0 written, 1 not anchored, 2
 * error or several matches.
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
    const bundle = options.v2 ? await bundleV2(options.hub, match, sha256) : match.bundle;
    writeFileSync(options.output, `${JSON.stringify(bundle, null, 2)}\n`);
    out.write(
      `wrote the proof of ${match.kind} ${match.id} to ${options.output} (check it with: ledger verify --bundle ${options.output})\n`,
    );
    return 0;
  } catch (error) {
    return reportFailure(failureOf(error, 2), err);
  }
}

type Match = VerifyResponse['matches'][number];

async function bundleV2(hub: string | undefined, match: Match, sha256: string): Promise<unknown> {
  const url = `${hubUrl(hub)}/api/v1/proofs/${match.kind}/${encodeURIComponent(match.id)}?version=2&sha256=${sha256}`;
  const response = await fetch(url);
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
