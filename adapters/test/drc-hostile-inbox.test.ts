/**
 * The DRC inbox part of the hostile-input corpus (`hub/test/fixtures/hostile/drc-inbox.jsonl`) replayed against a
 * running drc-csv adapter: wrong encodings, BOM tricks, NUL bytes, a 50 MB row, header-only and zero-byte files,
 * CR/LF mixes, formula injection, a symbolic link, a directory, a FIFO, huge field counts, duplicate header names.
 * No crash, no hang, no silent skip: every file leaves the inbox (archived or quarantined), every row of it is
 * published or dead-lettered with a reason, and the adapter still reads a good file dropped after them.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NatsConnection } from '@nats-io/transport-node';
import { useNatsServer } from '@approval-ledger/testkit';
import iconv from 'iconv-lite';
import { PACKAGE_DIR, parseConfig } from '../src/core/adapter-config';
import { type RunningAdapter } from '../src/core/running-adapter';
import { DrcCsvConfigSchema } from '../src/drc-csv/config';
import { dropCsvFile } from '../src/drc-csv/drc-csv-client';
import { startDrcCsvAdapter } from '../src/drc-csv/main';
import { Random } from '../src/simulation/legacy-fixtures';
import { DRC_HEADER as HEADER, drcRow } from './support/drc-rows';
import { connectTest, deadLettersFrom, envelopesFrom, waitFor } from './support/jetstream-reader';
import { testLogger } from './support/test-logger';

const CORPUS = join(PACKAGE_DIR, '..', 'hub', 'test', 'fixtures', 'hostile', 'drc-inbox.jsonl');

type Part =
  | { text: string; encoding?: string }
  | { base64: string }
  | { repeat: string; times: number }
  | { header: true }
  | { row: number };

interface InboxEntry {
  readonly name: string;
  readonly type: 'file' | 'symlink' | 'directory' | 'fifo';
  readonly parts?: readonly Part[];
  readonly md5?: 'wrong';
  readonly target?: string;
  readonly expect: 'archived' | 'quarantined';
  readonly published: number;
  readonly deadLettered: number;
  readonly note?: string;
}

/** A valid GBK row with project serial `k` (distinct per entry). */
function row(k: number): Buffer {
  return iconv.encode(drcRow(new Random(1000 + k), 700 + k, `项目${k}`), 'gbk');
}

function bytesOf(parts: readonly Part[]): Buffer {
  return Buffer.concat(
    parts.map((part) => {
      if ('header' in part) return iconv.encode(HEADER, 'gbk');
      if ('row' in part) return row(part.row);
      if ('base64' in part) return Buffer.from(part.base64, 'base64');
      if ('repeat' in part) return Buffer.from(part.repeat.repeat(part.times), 'latin1');
      return iconv.encode(part.text, part.encoding ?? 'gbk');
    }),
  );
}

async function place(inbox: string, entry: InboxEntry): Promise<void> {
  const path = join(inbox, entry.name);
  if (entry.type === 'symlink') return symlink(entry.target ?? '/etc/passwd', path);
  if (entry.type === 'directory') return void (await mkdir(path));
  if (entry.type === 'fifo') return void execFileSync('mkfifo', [path]);
  const bytes = bytesOf(entry.parts ?? []);
  if (entry.md5 !== 'wrong') return dropCsvFile(inbox, entry.name, bytes);
  await writeFile(path, bytes);
  await writeFile(
    `${path}.md5`,
    `${createHash('md5').update('something else').digest('hex')}  ${entry.name}\n`,
  );
}

describe('hostile DRC inbox corpus against a running drc-csv adapter: no crash, no hang, no silent skip', function () {
  this.timeout(300_000);
  const nats = useNatsServer();
  let nc: NatsConnection;
  let dataDir: string;
  let adapter: RunningAdapter | undefined;
  const corpus = readFileSync(CORPUS, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as InboxEntry);

  before(async () => {
    nc = await connectTest(nats().url);
    dataDir = await mkdtemp(join(tmpdir(), 'drc-hostile-'));
  });
  after(async () => {
    await adapter?.stop();
    await nc.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('moves every file out of the inbox, publishing or dead-lettering each row with a reason', async () => {
    const inbox = join(dataDir, 'inbox', 'drc');
    await mkdir(inbox, { recursive: true });
    const system = 'bj-drc-hostile';
    const config = parseConfig(DrcCsvConfigSchema, {
      region: 'BJ',
      sourceSystem: system,
      health: { port: 0 },
      nats: { url: nats().url, publishTimeoutMs: 5_000 },
      retry: { initialMs: 50, maxMs: 1_000 },
      inboxDir: inbox,
      pollIntervalMs: 100,
      md5GraceMs: 1_000,
    });
    for (const entry of corpus) await place(inbox, entry);
    adapter = await startDrcCsvAdapter(config, {
      env: { LEDGER_DATA_DIR: dataDir },
      log: testLogger('drc-csv'),
    });

    const left = await waitFor(
      async () => (await readdir(inbox)).filter((n) => n.endsWith('.csv')),
      (names) => names.length === 0,
      'every file out of the inbox',
      240_000,
    );
    expect(left).to.deep.equal([]);

    const failures: string[] = [];
    let published = 0;
    for (const entry of corpus) {
      const where = `${entry.name}${entry.note ? ` (${entry.note})` : ''}`;
      const moved = existsSync(
        join(inbox, entry.expect === 'archived' ? 'archive' : 'quarantine', entry.name),
      );
      if (!moved) failures.push(`${where}: not ${entry.expect}`);
      const letters = await deadLettersFrom(nc, entry.name);
      const reasonless = letters.filter((l) => (l.headers['Ledger-Dlq-Reason'] ?? '') === '');
      if (letters.length !== entry.deadLettered)
        failures.push(
          `${where}: ${letters.length} dead letters, expected ${entry.deadLettered}: ${letters.map((l) => l.headers['Ledger-Dlq-Reason']).join(' | ')}`,
        );
      if (reasonless.length > 0) failures.push(`${where}: a dead letter without a reason`);
      published += entry.published;
    }
    expect(failures, failures.join('\n')).to.deep.equal([]);
    const envelopes = await envelopesFrom(nc, system);
    expect(
      envelopes.length,
      `rows published: ${envelopes.map((e) => String((e.envelope.record as { projectName?: unknown }).projectName)).join(', ')}`,
    ).to.equal(published);

    // still alive and reading: a good file after the corpus is published
    await dropCsvFile(
      inbox,
      'zz-good.csv',
      Buffer.concat([iconv.encode(HEADER, 'gbk'), Buffer.from('\r\n'), row(999), Buffer.from('\r\n')]),
    );
    await waitFor(
      () => envelopesFrom(nc, system),
      (e) => e.length === published + 1,
      'the good file after the corpus',
      60_000,
    );
    const health = await fetch(`${adapter.healthUrl}/healthz`);
    expect([200, 503]).to.include(health.status);
    const counts = adapter.runtime.journal.counts();
    const expectedReads = corpus.reduce((n, e) => n + e.published + e.deadLettered, 0) + 1;
    expect(counts.read, 'every row and every refused file accounted for in the journal').to.equal(
      expectedReads,
    );
  });
});
