/**
 * `ledger import <file> [--wait]`: bulk import of a legacy export, one protocol envelope per line (NDJSON) or
 * a JSON array of envelopes. Each valid envelope is published on its `legacy.*` subject under its source key
 * (so importing the same file twice changes nothing); a line that is not a valid envelope is dead-lettered on
 * `ledger.dlq.*` with the reason, never dropped. A progress bar shows publishing, and with --wait the
 * receipts coming back. Exit 0 when every record was published (and, with --wait, anchored or a duplicate),
 * 1 otherwise.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import {
  DLQ_HEADERS,
  EnvelopeSchema,
  envelopeSubject,
  formatIssue,
  natsMsgId,
  recordIdOf,
  validate,
  type Receipt,
} from '@approval-ledger/protocol';
import { type Command } from 'commander';
import { NatsBus } from '../../bus/nats-bus';
import { dlqSubjectOf } from '../../ingest/dead-letterer';
import { type CliCommand } from '../cli-command';
import { natsUrl } from '../hub-endpoint';
import { ProgressBar } from '../progress-bar';

interface ImportOptions {
  nats?: string;
  wait?: boolean;
  timeout?: string;
  json?: boolean;
}

export interface ImportSummary {
  readonly file: string;
  readonly lines: number;
  readonly published: number;
  readonly duplicates: number;
  readonly deadLettered: number;
  readonly receipts?: Readonly<Record<string, number>>;
  readonly missingReceipts?: number;
}

const IN_FLIGHT = 512;

export const importCommand: CliCommand = {
  name: 'import',
  register(program: Command): void {
    program
      .command('import <file>')
      .description(
        'publish a legacy export (NDJSON or JSON array of envelopes) for ingest, with a progress bar',
      )
      .option('--wait', 'wait for every record’s receipt')
      .option('--timeout <seconds>', 'with --wait: give up after this long (default 600)')
      .option('--nats <url>', 'NATS (default: NATS_URL or the data dir’s running hub)')
      .option('--json', 'print the summary as JSON')
      .action(async (file: string, options: ImportOptions) => {
        process.exitCode = await runImport(file, options);
      });
  },
};

/** The items of an export: a JSON array, or one JSON value per non-empty line. */
export function exportItems(text: string): { line: number; text: string }[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) {
    const items = JSON.parse(trimmed) as unknown[];
    return items.map((item, i) => ({ line: i + 1, text: JSON.stringify(item) }));
  }
  return text
    .split(/\r?\n/)
    .map((t, i) => ({ line: i + 1, text: t }))
    .filter((l) => l.text.trim() !== '');
}

export async function runImport(
  file: string,
  options: ImportOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  const items = exportItems(readFileSync(file, 'utf8'));
  const bus = await NatsBus.connect(natsUrl(options.nats), 'approval-ledger-import');
  try {
    const receipts = new Map<string, Receipt>();
    const stopReceipts = bus.subscribe('ledger.receipt.>', (_s, data) => {
      const receipt = JSON.parse(Buffer.from(data).toString('utf8')) as Receipt;
      receipts.set(receipt.recordId, receipt);
    });
    const { published, duplicates, deadLettered, recordIds } = await publishAll(bus, file, items);
    const summary: ImportSummary = {
      file,
      lines: items.length,
      published,
      duplicates,
      deadLettered,
      ...(options.wait
        ? await waitForReceipts(recordIds, receipts, Number(options.timeout ?? '600') * 1000)
        : {}),
    };
    stopReceipts();
    out.write(options.json ? `${JSON.stringify(summary)}\n` : describe(summary));
    const refused = Object.entries(summary.receipts ?? {})
      .filter(([s]) => s === 'REJECTED' || s === 'CONFLICT')
      .reduce((n, [, c]) => n + c, 0);
    return deadLettered === 0 && refused === 0 && (summary.missingReceipts ?? 0) === 0 ? 0 : 1;
  } finally {
    await bus.close();
  }
}

async function publishAll(bus: NatsBus, file: string, items: readonly { line: number; text: string }[]) {
  const bar = new ProgressBar(`publishing ${basename(file)}`);
  const recordIds: string[] = [];
  let published = 0;
  let duplicates = 0;
  let deadLettered = 0;
  const pending = new Set<Promise<void>>();
  for (const [i, item] of items.entries()) {
    const work = publishOne(bus, file, item).then((r) => {
      if (r.kind === 'dead-lettered') deadLettered++;
      else if (r.duplicate) duplicates++;
      else {
        // a duplicate's receipt was sent when it was first published: only new ones are waited for
        recordIds.push(r.recordId);
        published++;
      }
    });
    pending.add(work);
    void work.finally(() => pending.delete(work));
    if (pending.size >= IN_FLIGHT) await Promise.race(pending);
    bar.update(i + 1, items.length);
  }
  await Promise.all(pending);
  bar.finish();
  return { published, duplicates, deadLettered, recordIds };
}

type Published = { kind: 'published'; recordId: string; duplicate: boolean } | { kind: 'dead-lettered' };

async function publishOne(
  bus: NatsBus,
  file: string,
  item: { line: number; text: string },
): Promise<Published> {
  let value: unknown;
  try {
    value = JSON.parse(item.text);
  } catch (error) {
    return deadLetter(
      bus,
      file,
      item,
      'message.json',
      `line ${item.line} is not JSON: ${(error as Error).message}`,
    );
  }
  const result = validate(EnvelopeSchema, value);
  if (!result.ok)
    return deadLetter(
      bus,
      file,
      item,
      result.issues[0]?.rule ?? 'envelope.schema',
      result.issues.map(formatIssue).join('; '),
    );
  const envelope = result.value;
  const ack = await bus.publish(envelopeSubject(envelope), item.text, { msgId: natsMsgId(envelope.source) });
  return { kind: 'published', recordId: recordIdOf(envelope.source), duplicate: ack.duplicate };
}

async function deadLetter(
  bus: NatsBus,
  file: string,
  item: { line: number; text: string },
  code: string,
  reason: string,
): Promise<Published> {
  const origin = `import:${basename(file)}:${item.line}`;
  let region: string | undefined;
  let dept: string | undefined;
  try {
    ({ region, dept } = JSON.parse(item.text) as { region?: string; dept?: string });
  } catch {
    // unreadable: unknown region and department
  }
  await bus.publish(dlqSubjectOf(region, dept), item.text, {
    msgId: `import:${basename(file)}:${item.line}:${code}`,
    headers: {
      [DLQ_HEADERS.reason]: reason.replace(/[\r\n]+/g, ' ').slice(0, 2000),
      [DLQ_HEADERS.code]: code,
      [DLQ_HEADERS.subject]: origin,
      [DLQ_HEADERS.origin]: 'ledger-import',
    },
  });
  return { kind: 'dead-lettered' };
}

async function waitForReceipts(
  recordIds: readonly string[],
  receipts: ReadonlyMap<string, Receipt>,
  timeoutMs: number,
): Promise<Pick<ImportSummary, 'receipts' | 'missingReceipts'>> {
  const bar = new ProgressBar('waiting for receipts');
  const deadline = Date.now() + timeoutMs;
  const wanted = [...new Set(recordIds)];
  for (;;) {
    const done = wanted.filter((id) => receipts.has(id)).length;
    bar.update(done, wanted.length);
    if (done === wanted.length || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  bar.finish();
  const byStatus: Record<string, number> = {};
  for (const id of wanted) {
    const status = receipts.get(id)?.status;
    if (status) byStatus[status] = (byStatus[status] ?? 0) + 1;
  }
  return { receipts: byStatus, missingReceipts: wanted.filter((id) => !receipts.has(id)).length };
}

function describe(s: ImportSummary): string {
  const lines = [
    `${s.file}: ${s.lines} records; published ${s.published}, already published ${s.duplicates}, dead-lettered ${s.deadLettered}`,
  ];
  if (s.receipts) {
    lines.push(
      `receipts: ${
        Object.entries(s.receipts)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ') || 'none'
      }${s.missingReceipts ? `; ${s.missingReceipts} not received` : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
