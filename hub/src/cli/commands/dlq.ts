/**
 * `ledger dlq [list]|show|replay`: the dead letters of the data dir's hub (its store's mirror of the DLQ
 * stream); `ledger dlq` alone lists them. `replay <seq>` publishes the message unchanged on its original `legacy.*` subject, where ingest
 * takes it again; the replay is recorded in the audit log.
 */
import { userInfo } from 'node:os';
import { type Command } from 'commander';
import { NatsBus } from '../../bus/nats-bus';
import {
  DeadLetterService,
  type DeadLetterDetail,
  type DeadLetterView,
} from '../../services/dead-letter.service';
import { openStore, type Store } from '../../store';
import { type CliCommand } from '../cli-command';
import { CliFailure, failureOf, reportFailure } from '../cli-failure';
import { dataDirectory, requireHubDataDir } from '../data-dir';
import { cliStoreOptions } from '../store-options';
import { natsUrl } from '../hub-endpoint';

interface ListOptions {
  code?: string;
  after?: string;
  limit?: string;
  replayed?: boolean;
  json?: boolean;
}

export const dlqCommand: CliCommand = {
  name: 'dlq',
  register(program: Command): void {
    const dlq = program.command('dlq').description('dead letters: list, show, replay');
    dlq
      .command('list', { isDefault: true })
      .description('list dead letters, oldest first (what `ledger dlq` alone does)')
      .option('--code <code>', 'only this reason code')
      .option('--after <seq>', 'after this stream sequence')
      .option('--limit <n>', 'at most n (default 100)')
      .option('--json', 'print JSON')
      .action(async (options: ListOptions) => {
        process.exitCode = await withStore((store) => listDeadLetters(store, options));
      });
    dlq
      .command('show <seq>')
      .description('one dead letter with its headers and payload')
      .option('--json', 'print JSON')
      .action(async (seq: string, options: { json?: boolean }) => {
        process.exitCode = await withStore((store) => showDeadLetter(store, Number(seq), options));
      });
    dlq
      .command('replay <seq>')
      .description('publish a dead letter again on its legacy.* subject for ingest (audit-logged)')
      .option('--nats <url>', 'NATS (default: NATS_URL or the data dir’s running hub)')
      .action(async (seq: string, options: { nats?: string }) => {
        process.exitCode = await withStore((store) =>
          replayDeadLetter(store, Number(seq), natsUrl(options.nats)),
        );
      });
  },
};

async function withStore(
  work: (store: Store) => Promise<number>,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  let store: Store | undefined;
  try {
    const dataDir = dataDirectory();
    requireHubDataDir(dataDir);
    store = await openStore(cliStoreOptions(dataDir));
    return await work(store);
  } catch (error) {
    return reportFailure(failureOf(error, 2), err);
  } finally {
    await store?.close();
  }
}

export async function listDeadLetters(
  store: Store,
  options: ListOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  const letters = await new DeadLetterService(store, undefined).list({
    ...(options.code ? { code: options.code } : {}),
    ...(options.after ? { after: Number(options.after) } : {}),
    limit: Number(options.limit ?? '100'),
  });
  if (options.json) out.write(`${JSON.stringify(letters)}\n`);
  else if (letters.length === 0) out.write('no dead letters\n');
  else for (const l of letters) out.write(`${line(l)}\n`);
  return 0;
}

export async function showDeadLetter(
  store: Store,
  seq: number,
  options: { json?: boolean },
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  const letter = await new DeadLetterService(store, undefined).show(seq);
  if (!letter) throw new CliFailure(`no dead letter ${seq}`, 1);
  out.write(options.json ? `${JSON.stringify(letter)}\n` : describeLetter(letter));
  return 0;
}

function describeLetter(letter: DeadLetterDetail): string {
  const lines = [line(letter), `  origin: ${letter.originSubject ?? '-'}`, `  reason: ${letter.reason}`];
  for (const [k, v] of Object.entries(letter.headers)) lines.push(`  ${k}: ${v.join(', ')}`);
  const payload = letter.payload;
  lines.push(`  payload (${payload.bytes} bytes, ${payload.encoding}):`, payload.data);
  return `${lines.join('\n')}\n`;
}

export async function replayDeadLetter(
  store: Store,
  seq: number,
  url: string,
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  const bus = await NatsBus.connect(url, 'approval-ledger-cli');
  try {
    const actor = { subject: `cli:${userInfo().username}`, jti: null, region: null, role: null, dept: null };
    const result = await new DeadLetterService(store, bus).replay(seq, actor, null);
    if (!result) throw new CliFailure(`no dead letter ${seq}`, 1);
    out.write(
      `replayed dead letter ${seq} on ${result.subject} as ${result.msgId} (replay #${result.replayCount}); recorded in the audit log\n`,
    );
    return 0;
  } finally {
    await bus.close();
  }
}

function line(l: DeadLetterView): string {
  const replayed = l.replayCount > 0 ? ` replayed ${l.replayCount}x` : '';
  return `#${l.seq} ${l.receivedAt} ${l.subject} [${l.code}] ${l.sourceKey ?? '-'}${replayed}: ${l.reason.slice(0, 160)}`;
}
