/**
 * `ledger export-proof <sha256> -o proof.json`: writes the proof bundle (`approval-ledger/proof@1`) of the
 * record the hash names (a document digest or a commitment), as the running hub builds it. With several
 * matches, `--id` picks one (default: the first). Exit 0 written, 1 not anchored, 2 error.
 */
import { writeFileSync } from 'node:fs';
import { SHA256_HEX } from '@approval-ledger/protocol';
import { type VerifyResponse } from '@approval-ledger/protocol/api';
import { type Command } from 'commander';
import { type CliCommand } from '../cli-command';
import { CliFailure, hubUrl } from '../hub-endpoint';

interface ExportOptions {
  output: string;
  id?: string;
  hub?: string;
}

export const exportProofCommand: CliCommand = {
  name: 'export-proof',
  register(program: Command): void {
    program
      .command('export-proof <sha256>')
      .description('write the proof bundle of an anchored record (exit 0 written, 1 not anchored)')
      .requiredOption('-o, --output <file>', 'where to write the bundle')
      .option('--id <id>', 'the record to export when the hash matches several')
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
    const match = options.id ? result.matches.find((m) => m.id === options.id) : result.matches[0];
    if (!match) throw new CliFailure(`${sha256} is not anchored${options.id ? ` as ${options.id}` : ''}`, 1);
    writeFileSync(options.output, `${JSON.stringify(match.bundle, null, 2)}\n`);
    out.write(
      `wrote the proof of ${match.kind} ${match.id} to ${options.output} (check it with: ledger verify --bundle ${options.output})\n`,
    );
    return 0;
  } catch (error) {
    const failure =
      error instanceof CliFailure
        ? error
        : new CliFailure(error instanceof Error ? error.message : String(error), 2);
    out.write(`error: ${failure.message}\n`);
    return failure.exitCode;
  }
}
