import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADAPTER_CHECKPOINT_BUCKET } from '@approval-ledger/protocol';
import { Kvm } from '@nats-io/kv';
import { type NatsConnection } from '@nats-io/transport-node';
import { startNatsServer } from '@approval-ledger/testkit';
import iconv from 'iconv-lite';
import { PACKAGE_DIR, parseConfig } from '../src/core/adapter-config';
import { type RunningAdapter } from '../src/core/running-adapter';
import { DrcCsvConfigSchema, type DrcCsvConfig } from '../src/drc-csv/config';
import { dropCsvFile } from '../src/drc-csv/drc-csv-client';
import { startDrcCsvAdapter } from '../src/drc-csv/main';
import { Random, makeCompanyName, makeProjectCode, makeUscc } from '../src/simulation/legacy-fixtures';
import { DRC_HEADER as HEADER, drcRows } from './support/drc-rows';
import { useAdapterHarness } from './support/adapter-harness';
import { connectTest, deadLettersFrom, envelopesFrom, waitFor } from './support/jetstream-reader';
import { testLogger } from './support/test-logger';

const SAMPLE = 'drc-filing-20250307.csv';

function rows(count: number, seed: number, firstSerial = 1): string[] {
  return drcRows(count, seed, firstSerial, (serial) => `"项目,${serial}"`);
}

function gbkCsv(lines: string[], encoding: 'gbk' | 'gb18030' = 'gbk'): Buffer {
  return iconv.encode([HEADER, ...lines].join('\r\n') + '\r\n', encoding);
}

describe('drc-csv adapter (GBK CSV + .md5 file drop -> JetStream)', function () {
  this.timeout(120_000);
  const h = useAdapterHarness('drc-csv', 'bj-drc-test');
  const dirs: string[] = [];

  after(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  async function setup(
    overrides: Partial<Record<string, unknown>> = {},
  ): Promise<{ config: DrcCsvConfig; inbox: string; system: string }> {
    const { system, base } = h.next();
    const dataDir = await mkdtemp(join(tmpdir(), 'drc-test-'));
    dirs.push(dataDir);
    const inbox = join(dataDir, 'inbox', 'drc');
    await mkdir(inbox, { recursive: true });
    const config = parseConfig(DrcCsvConfigSchema, { ...base, inboxDir: inbox, ...overrides });
    return { config, inbox, system };
  }

  async function start(config: DrcCsvConfig): Promise<RunningAdapter> {
    return h.started(await startDrcCsvAdapter(config, { env: {}, log: testLogger('drc-csv') }));
  }

  const envelopes = h.envelopes;
  const nc = (): NatsConnection => h.nc();

  it('publishes the sample file, dead-letters its bad row by line number, and archives it', async () => {
    const { config, inbox, system } = await setup();
    await copyFile(join(PACKAGE_DIR, 'samples', SAMPLE), join(inbox, SAMPLE));
    await copyFile(join(PACKAGE_DIR, 'samples', `${SAMPLE}.md5`), join(inbox, `${SAMPLE}.md5`));
    await start(config);
    const stored = await envelopes(system, 4);
    const records = stored.map((s) => s.envelope.record as Record<string, unknown>);
    expect(records.map((r) => [r.projectCode, r.decidedAt, r.decision])).to.deep.equal([
      ['2025-110105-47-03-000318', '2025-03-04T00:00:00+08:00', 'APPROVED'],
      ['2025-110115-35-02-000027', '2025-03-05T00:00:00+08:00', 'APPROVED'],
      ['2025-110108-70-01-000112', '2025-03-06T00:00:00+08:00', 'APPROVED'],
      ['2025-110101-48-03-000009', '2025-03-07T00:00:00+08:00', 'RETURNED'],
    ]);
    expect(stored[0]?.subject).to.equal('legacy.BJ.DRC.milestone');
    expect(stored[0]?.msgId).to.equal(`${system}:2025-110105-47-03-000318.FILING:1`);
    expect(records[0]).to.deep.include({
      projectName: '朝阳区望京科技园三期研发楼',
      stage: 'PROJECT_APPROVAL',
      applicant: { name: '北京望京科创置业有限公司', uscc: '91110105MA01WJ3K7N' },
      details: { item: '企业投资项目备案', projectKind: '备案', office: '投资处' },
    });
    expect(records[2]).to.have.property('projectName', '海淀区老旧小区加装电梯(学院路街道)');

    const [letter] = await waitFor(
      () => deadLettersFrom(nc(), `${SAMPLE}:`),
      (d) => d.length >= 1,
      'the bad row',
    );
    expect(letter?.headers).to.include({
      'Ledger-Dlq-Source': `${SAMPLE}:6`,
      'Ledger-Dlq-Code': 'MAPPING_FAILED',
    });
    expect(letter?.headers['Ledger-Dlq-Reason'])
      .to.contain('办结日期: "2025年13月40日" is not a calendar date [date.calendar]')
      .and.contain('项目代码: division code 11010 has 5 digits')
      .and.contain('统一社会信用代码: check character');
    expect(iconv.decode(letter?.body ?? Buffer.alloc(0), 'gbk')).to.match(
      /^2025-11010-47-03-000318,字段格式错误的项目代码,/,
    );

    await waitFor(
      () => readdir(join(inbox, 'archive')).catch(() => []),
      (f) => f.length === 2,
      'the archived file',
    );
    expect(await readdir(join(inbox, 'archive'))).to.deep.equal([SAMPLE, `${SAMPLE}.md5`]);
    expect(await h.checkpoint(config.checkpointKey ?? '')).to.deep.include({
      file: SAMPLE,
      afterLine: 6,
      done: true,
    });
  });

  it('waits for the .md5 file, and quarantines a file whose MD5 does not match', async () => {
    const { config, inbox, system } = await setup();
    await start(config);
    await writeFile(join(inbox, 'a.csv'), gbkCsv(rows(2, 1)));
    await new Promise((r) => setTimeout(r, 500));
    expect(await envelopesFrom(nc(), system)).to.have.length(0, 'not complete without its .md5');
    await dropCsvFile(inbox, 'a.csv', gbkCsv(rows(2, 1)));
    await envelopes(system, 2);

    await writeFile(join(inbox, 'b.csv'), gbkCsv(rows(2, 2)));
    await writeFile(join(inbox, 'b.csv.md5'), '0123456789abcdef0123456789abcdef  b.csv\n');
    const [letter] = await waitFor(
      () => deadLettersFrom(nc(), 'b.csv'),
      (d) => d.length >= 1,
      'the corrupt file',
    );
    expect(letter?.headers['Ledger-Dlq-Code']).to.equal('CORRUPT_FILE');
    expect(letter?.headers['Ledger-Dlq-Reason']).to.match(
      /MD5 of b\.csv is [0-9a-f]{32}, but b\.csv\.md5 says 0123456789abcdef/,
    );
    await waitFor(
      () => readdir(join(inbox, 'quarantine')).catch(() => []),
      (f) => f.length === 2,
      'quarantine',
    );
    expect(await envelopesFrom(nc(), system)).to.have.length(2);
  });

  it('quarantines a file whose header is not the export format (a UTF-8 file read as GBK)', async () => {
    const { config, inbox } = await setup();
    await start(config);
    await dropCsvFile(inbox, 'utf8.csv', Buffer.from([HEADER, ...rows(1, 3)].join('\r\n'), 'utf8'));
    const [letter] = await waitFor(
      () => deadLettersFrom(nc(), 'utf8.csv'),
      (d) => d.length >= 1,
      'the corrupt file',
    );
    expect(letter?.headers['Ledger-Dlq-Reason']).to.contain('header lacks 项目代码');
  });

  it('parses quoted fields with commas, quotes and line breaks, keeps GB18030 characters outside GBK, and refuses bad bytes', async () => {
    const { config, inbox, system } = await setup();
    await start(config);
    const random = new Random(5);
    const base = (serialNo: number, name: string, office: string): string =>
      [
        makeProjectCode(random, 'BJ', '03', serialNo),
        name,
        '北京喆园科技有限公司',
        makeUscc(random),
        '备案',
        '企业投资项目备案',
        '予以备案',
        '20250306',
        office,
        '1',
      ].join(',');
    const text = [
      HEADER,
      base(1, '"𠀀䶮喆镕大厦(一期,二期)"', '"投资处\r\n""重点""科"'),
      base(2, '普通项目', '投资处'),
    ].join('\r\n');
    const badBytes = Buffer.concat([
      iconv.encode(`${HEADER}\r\n`, 'gb18030'),
      iconv.encode(base(3, '坏字节项目', '投资处').replace('北京喆园科技有限公司', 'XX'), 'gb18030'),
    ]);
    const withFf = Buffer.from(badBytes.toString('latin1').replace('XX', 'X\u00ff'), 'latin1');
    await dropCsvFile(inbox, 'c1.csv', iconv.encode(text + '\r\n', 'gb18030'));
    await dropCsvFile(inbox, 'c2.csv', withFf);
    const stored = await envelopes(system, 2);
    const first = stored[0]?.envelope.record as Record<string, unknown>;
    expect(first.projectName).to.equal('𠀀䶮喆镕大厦(一期,二期)');
    expect(first.details).to.deep.include({ office: '投资处\r\n"重点"科' });
    const [letter] = await waitFor(
      () => deadLettersFrom(nc(), 'c2.csv:'),
      (d) => d.length >= 1,
      'the undecodable row',
    );
    expect(letter?.headers).to.include({
      'Ledger-Dlq-Code': 'DECODING_FAILED',
      'Ledger-Dlq-Source': 'c2.csv:2',
    });
    expect(letter?.headers['Ledger-Dlq-Reason']).to.match(
      /^建设单位: line 2: bytes ff .* not a valid GB18030 character/,
    );
  });

  it('refuses, with a clear reason, a character outside GBK when the export is declared GBK', async () => {
    const { config, inbox, system } = await setup({ encoding: 'gbk' });
    await start(config);
    const random = new Random(6);
    const line = [
      makeProjectCode(random, 'BJ', '03', 1),
      '𠀀大厦',
      makeCompanyName(random),
      makeUscc(random),
      '备案',
      '企业投资项目备案',
      '予以备案',
      '2025-03-05',
      '投资处',
      '1',
    ].join(',');
    await dropCsvFile(
      inbox,
      'd.csv',
      Buffer.concat([
        gbkCsv([]),
        iconv.encode(`${line}\r\n`, 'gb18030'),
        iconv.encode(`${rows(1, 9)[0]}\r\n`, 'gbk'),
      ]),
    );
    const [letter] = await waitFor(
      () => deadLettersFrom(nc(), 'd.csv:'),
      (d) => d.length >= 1,
      'the refused row',
    );
    expect(letter?.headers['Ledger-Dlq-Reason']).to.contain(
      '项目名称: line 2: bytes 95 32 82 36 at byte 0 of the field are the GB18030 four-byte sequence of U+20000 𠀀, a character outside GBK',
    );
    await envelopes(system, 1);
  });

  it('resumes mid-file without duplicates after a stop, and de-duplicates a batch re-sent after a lost checkpoint', async () => {
    const { config, inbox, system } = await setup({ batchSize: 10 });
    const file = gbkCsv(rows(200, 21));
    await dropCsvFile(inbox, 'big.csv', file);
    let batches = 0;
    const stopped: Promise<void>[] = [];
    const first = await startDrcCsvAdapter(config, {
      env: {},
      log: testLogger('drc-csv'),
      onBatch: () => {
        if (++batches === 5) stopped.push(first.stop());
      },
    });
    h.started(first);
    await waitFor(
      () => Promise.resolve(stopped.length),
      (n) => n > 0,
      'five batches',
    );
    await stopped[0];
    const checkpoint = await h.checkpoint<{ afterLine: number; done: boolean }>(config.checkpointKey ?? '');
    expect(checkpoint?.done).to.be.false;
    const doneRows = (checkpoint?.afterLine ?? 0) - 1;
    expect(doneRows).to.be.within(50, 199);

    const second = await start(config);
    await envelopes(system, 200);
    await waitFor(
      () => readdir(join(inbox, 'archive')).catch(() => []),
      (f) => f.length === 2,
      'archived',
    );
    const { metrics } = second.runtime;
    expect((await metrics.total(metrics.published)) + (await metrics.total(metrics.duplicates))).to.equal(
      200 - doneRows,
    );
    expect(await metrics.total(metrics.duplicates)).to.be.at.most(10);
    await second.stop();

    // a crash after the publishes of rows 101-200 but before their checkpoint: JetStream drops the re-sends
    const kv = await new Kvm(nc()).open(ADAPTER_CHECKPOINT_BUCKET);
    await kv.put(config.checkpointKey ?? '', JSON.stringify({ ...checkpoint, afterLine: 101, done: false }));
    await rename(join(inbox, 'archive', 'big.csv'), join(inbox, 'big.csv'));
    await rename(join(inbox, 'archive', 'big.csv.md5'), join(inbox, 'big.csv.md5'));
    const third = await start(config);
    await waitFor(
      () => readdir(inbox),
      (f) => !f.includes('big.csv'),
      'archived again',
    );
    expect(await third.runtime.metrics.total(third.runtime.metrics.duplicates)).to.equal(100);
    expect(await third.runtime.metrics.total(third.runtime.metrics.published)).to.equal(0);
    const all = await envelopesFrom(nc(), system);
    expect(all).to.have.length(200);
  });

  it('dead-letters a 50 MB row (more than NATS carries) with its size and digest and the body cut, and goes on', async () => {
    const { config, inbox, system } = await setup();
    const adapter = await start(config);
    const [before, after] = rows(2, 41);
    const huge = rows(1, 42, 3)[0]!.replace(/,投资处,1$/, `,${'处'.repeat(25 * 1024 * 1024)},1`);
    const hugeRaw = iconv.encode(huge, 'gbk');
    expect(hugeRaw.length).to.be.above(50 * 1024 * 1024);
    await dropCsvFile(inbox, 'huge-1.csv', gbkCsv([before!, huge, after!]));
    await dropCsvFile(inbox, 'huge-2.csv', gbkCsv(rows(2, 43, 10)));
    await envelopes(system, 4, 60_000);
    const [letter] = await waitFor(
      () => deadLettersFrom(nc(), 'huge-1.csv:'),
      (d) => d.length >= 1,
      'the dead letter of the huge row',
    );
    expect(letter?.headers).to.include({
      'Ledger-Dlq-Code': 'VALIDATION_FAILED',
      'Ledger-Dlq-Source': 'huge-1.csv:3',
      'Ledger-Dlq-Payload-Bytes': String(hugeRaw.length),
      'Ledger-Dlq-Payload-Sha256': createHash('sha256').update(hugeRaw).digest('hex'),
    });
    expect(letter?.headers['Ledger-Dlq-Reason']).to.match(
      /^经办处室 \(record\.details\.office\): .*\[too_big\]/,
    );
    const body = letter?.body ?? Buffer.alloc(0);
    expect(body.length).to.be.within(1, 256 * 1024);
    expect(letter?.headers['Ledger-Dlq-Truncated']).to.equal(
      `kept the first ${body.length} of ${hugeRaw.length} bytes`,
    );
    expect(body.equals(hugeRaw.subarray(0, body.length))).to.equal(true);
    await waitFor(
      () => readdir(join(inbox, 'archive')).catch(() => []),
      (f) => f.length === 4,
      'both files archived',
    );
    // each of the 4 rows is in the stream once (above); a publish whose ack timed out under load is sent again
    // and counted a duplicate, so the adapter's own counts add up to 4 between them
    const { metrics } = adapter.runtime;
    const sent = async (): Promise<number> =>
      (await metrics.total(metrics.published)) + (await metrics.total(metrics.duplicates));
    expect(await waitFor(sent, (n) => n >= 4, 'the 4 rows counted')).to.equal(4);
    const health = await adapter.runtime.health.snapshot();
    expect(health).to.include({ status: 'ok', deadLettered: 1 });
  });

  it('refuses for good an envelope above the server max_payload: dead-letters its row (without the body if even that does not fit) and goes on', async () => {
    const conf = join(await mkdtemp(join(tmpdir(), 'drc-nats-conf-')), 'small.conf');
    dirs.push(join(conf, '..'));
    await writeFile(conf, 'max_payload: 8192\n');
    const small = await startNatsServer({ args: ['-c', conf] });
    const smallNc = await connectTest(small.url);
    try {
      const { config, inbox, system } = await setup({ nats: { url: small.url, publishTimeoutMs: 1_500 } });
      const adapter = await start(config);
      const [before, after] = rows(2, 45);
      const big = rows(1, 46, 3)[0]!.replace(/,投资处,1$/, `,${'处'.repeat(4000)},1`);
      await dropCsvFile(inbox, 'wide.csv', gbkCsv([before!, big, after!]));
      await waitFor(
        () => envelopesFrom(smallNc, system),
        (e) => e.length >= 2,
        'the two rows around the wide one',
      );
      const [letter] = await waitFor(
        () => deadLettersFrom(smallNc, 'wide.csv:'),
        (d) => d.length >= 1,
        'the dead letter of the wide row',
      );
      const raw = iconv.encode(big, 'gbk');
      expect(letter?.headers).to.include({
        'Ledger-Dlq-Code': 'PUBLISH_REFUSED',
        'Ledger-Dlq-Source': 'wide.csv:3',
        'Ledger-Dlq-Subject': 'legacy.BJ.DRC.milestone',
        'Ledger-Dlq-Truncated': `kept the first 0 of ${raw.length} bytes`,
        'Ledger-Dlq-Payload-Bytes': String(raw.length),
        'Ledger-Dlq-Payload-Sha256': createHash('sha256').update(raw).digest('hex'),
      });
      expect(letter?.headers['Ledger-Dlq-Reason']).to.match(
        /^the envelope is \d+ bytes, more than NATS takes in one message: 'payload' max_payload size exceeded/,
      );
      expect(letter?.body.length).to.equal(0);
      await waitFor(
        () => readdir(join(inbox, 'archive')).catch((): string[] => []),
        (f) => f.length === 2,
        'the file archived',
      );
      expect(await adapter.runtime.health.snapshot()).to.include({ status: 'ok', deadLettered: 1 });
    } finally {
      await h.stopAdapters();
      await smallNc.close();
      await small.stop();
    }
  });

  it('quarantines a symbolic link or a directory named like an export, with a dead letter saying why, unread', async () => {
    const { config, inbox, system } = await setup();
    const secret = join(inbox, '..', 'secret.txt');
    await writeFile(secret, 'not for the ledger');
    await symlink(secret, join(inbox, 'link.csv'));
    await mkdir(join(inbox, 'dir.csv'));
    await dropCsvFile(inbox, 'plain.csv', gbkCsv(rows(1, 44)));
    await start(config);
    await envelopes(system, 1);
    const letters = await waitFor(
      () => deadLettersFrom(nc(), ''),
      (d) => d.some((l) => l.headers['Ledger-Dlq-Source'] === 'dir.csv'),
      'the dead letters of link.csv and dir.csv',
    );
    const link = letters.find((l) => l.headers['Ledger-Dlq-Source'] === 'link.csv');
    expect(link?.headers['Ledger-Dlq-Code']).to.equal('CORRUPT_FILE');
    expect(link?.headers['Ledger-Dlq-Reason']).to.match(
      /link\.csv: a symbolic link .*secret\.txt, not a regular file; moved to quarantine\/ unread \[file\.type\]/,
    );
    expect(link?.body.length).to.equal(0);
    const dir = letters.find((l) => l.headers['Ledger-Dlq-Source'] === 'dir.csv');
    expect(dir?.headers['Ledger-Dlq-Reason']).to.match(/dir\.csv: a directory, not a regular file/);
    await waitFor(
      () => readdir(join(inbox, 'quarantine')).catch((): string[] => []),
      (f) => f.includes('link.csv') && f.includes('dir.csv'),
      'quarantined',
    );
    const left: string[] = await readdir(inbox);
    expect(left).to.not.include('link.csv');
    expect(left).to.not.include('dir.csv');
  });

  it('publishes every row exactly once when nats-server is killed and restarted between files', async () => {
    const { config, inbox, system } = await setup({ batchSize: 20 });
    await dropCsvFile(inbox, 'n1.csv', gbkCsv(rows(150, 31)));
    const adapter = await start(config);
    await envelopes(system, 60);
    await h.nats().kill();
    await dropCsvFile(inbox, 'n2.csv', gbkCsv(rows(150, 32, 151)));
    await new Promise((r) => setTimeout(r, 1_000));
    await h.nats().restart();
    await envelopes(system, 300, 60_000);
    await new Promise((r) => setTimeout(r, 500));
    const all = await envelopesFrom(nc(), system);
    expect(new Set(all.map((s) => s.envelope.source.recordId)).size).to.equal(300);
    expect(all).to.have.length(300);
    expect(await adapter.runtime.metrics.total(adapter.runtime.metrics.retries)).to.be.greaterThan(0);
  });
});
