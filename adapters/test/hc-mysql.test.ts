import { expect } from 'chai';
import { canonicalize, type Receipt } from '@approval-ledger/protocol';
import { type NatsConnection } from '@nats-io/transport-node';
import { useMariaDb } from '@approval-ledger/testkit';
import { type Connection, type RowDataPacket } from 'mysql2/promise';
import { parseConfig } from '../src/core/adapter-config';
import { type RunningAdapter } from '../src/core/running-adapter';
import { rowVersion } from '../src/hc-mysql/change-capture';
import { HcMysqlConfigSchema, type HcMysqlConfig } from '../src/hc-mysql/config';
import { startHcMysqlAdapter } from '../src/hc-mysql/main';
import { connectLegacy, loadLegacySchema } from '../src/hc-mysql/simulator';
import { Random, makeCompanyName, makeProjectCode, makeUscc } from '../src/simulation/legacy-fixtures';
import { useAdapterHarness } from './support/adapter-harness';
import { deadLettersFrom, envelopesFrom, waitFor } from './support/jetstream-reader';
import { testLogger } from './support/test-logger';

/** Epoch seconds of a Shanghai local time. */
function epochOf(local: string): number {
  return Date.parse(`${local.replace(' ', 'T')}+08:00`) / 1000;
}

describe('hc-mysql adapter (MariaDB T_SGXK in GBK -> JetStream)', function () {
  this.timeout(120_000);
  const mariadb = useMariaDb();
  const h = useAdapterHarness('hc-mysql', 'bj-hc-test');
  const connections: Connection[] = [];

  afterEach(async () => {
    await Promise.all(connections.splice(0).map((c) => c.end().catch(() => undefined)));
  });

  async function legacyDb(
    withSample = true,
  ): Promise<{ conn: Connection; config: HcMysqlConfig; system: string }> {
    const { serial, system, base } = h.next();
    const database = `sgxk_${serial}`;
    await mariadb().createDatabase(database, { charset: 'gbk' });
    const conn = await connectLegacy(mariadb(), database);
    connections.push(conn);
    await loadLegacySchema(conn);
    if (!withSample) await conn.query('TRUNCATE TABLE T_SGXK');
    const config = parseConfig(HcMysqlConfigSchema, {
      ...base,
      mysql: { host: mariadb().host, port: mariadb().port, user: 'root', database, connectTimeoutMs: 1_000 },
    });
    return { conn, config, system };
  }

  async function start(config: HcMysqlConfig): Promise<RunningAdapter> {
    const options = { env: { HC_MYSQL_PASSWORD: '' }, log: testLogger('hc-mysql') };
    return h.started(await startHcMysqlAdapter(config, options));
  }

  const envelopes = h.envelopes;
  const nc = (): NatsConnection => h.nc();

  it('publishes the sample rows as milestones, certificates and revocations, then checkpoints', async () => {
    const { config, system } = await legacyDb();
    await start(config);
    const stored = await envelopes(system, 5);
    await new Promise((r) => setTimeout(r, 300));
    expect(await envelopesFrom(nc(), system)).to.have.length(
      5,
      'the deleted rejection (row 4) publishes nothing',
    );

    const byId = new Map(stored.map((s) => [s.msgId, s]));
    const v1 = rowVersion(epochOf('2025-03-10 09:31:12'), 0);
    const cert = byId.get(`${system}:1.certificate:${v1}`);
    expect(cert?.subject).to.equal('legacy.BJ.HC.certificate');
    expect(cert?.envelope.record).to.deep.include({
      number: '110105202503100101',
      type: 'CONSTRUCTION_PERMIT',
      projectCode: '2025-110105-47-03-000318',
      issuedAt: '2025-03-10T09:30:00+08:00',
      milestoneId: `${system}:1.milestone`,
    });
    expect(cert?.envelope.record).to.have.nested.property('holder.name', '北京望京科创置业有限公司');
    const milestone = byId.get(`${system}:1.milestone:${v1}`);
    expect(milestone?.subject).to.equal('legacy.BJ.HC.milestone');
    expect(milestone?.envelope.record).to.deep.include({
      projectName: '朝阳区望京科技园三期研发楼',
      stage: 'CONSTRUCTION_PERMIT',
      decision: 'APPROVED',
      decidedAt: '2025-03-10T09:30:00+08:00',
      details: { constructionScale: '地上12层 建筑面积48000平方米', contractAmountWanYuan: 21850 },
    });
    const revocation = byId.get(`${system}:3.revocation:${rowVersion(epochOf('2025-03-20 10:00:03'), 0)}`);
    expect(revocation?.subject).to.equal('legacy.BJ.HC.certificate');
    expect(revocation?.envelope).to.deep.include({ kind: 'certificate-revocation' });
    expect(revocation?.envelope.record).to.deep.include({
      number: '110115202503110203',
      reason: '撤销 (BLJG=03)',
      revokedAt: '2025-03-20T10:00:00+08:00',
    });

    const checkpoint = await waitFor(
      () => h.checkpoint<{ gxsj: number; id: number }>(config.checkpointKey ?? ''),
      (c) => c?.id === 3,
      'the checkpoint',
    );
    expect(checkpoint).to.deep.include({ gxsj: epochOf('2025-03-20 10:00:03'), id: 3 });
  });

  it('never misses a same-second update of a lower ID and never re-publishes an unchanged row', async () => {
    const { conn, config, system } = await legacyDb(false);
    const insert = `INSERT INTO T_SGXK (ID, XMDM, XMMC, SGXKZH, JSDW, TYSHXYDM, BLJG, FZRQ, ZT, GXSJ)
      VALUES (?, '2025-110105-47-03-000318', ?, ?, '北京望京科创置业有限公司', '91110105MA01WJ3K7N', '01', '2025-03-10 09:30:00', '1', ?)`;
    const second = '2025-04-01 10:00:00';
    await conn.query(insert, [1, '甲楼', '110105202504010001', second]);
    await conn.query(insert, [2, '乙楼', '110105202504010002', second]);
    await start(config);
    await envelopes(system, 4);
    // the checkpoint is now (10:00:00, 2); row 1 changes again within that very second
    await conn.query(`UPDATE T_SGXK SET XMMC = '甲楼（更正）', GXSJ = ? WHERE ID = 1`, [second]);
    // an update that changes nothing, and a write-back style touch that keeps GXSJ
    await conn.query(`UPDATE T_SGXK SET XMMC = '乙楼' WHERE ID = 2`);
    await conn.query(`UPDATE T_SGXK SET CHAIN_TXID = 'x', GXSJ = GXSJ WHERE ID = 2`);
    const stored = await envelopes(system, 5);
    await new Promise((r) => setTimeout(r, 600));
    const all = await envelopesFrom(nc(), system);
    expect(all.map((s) => s.msgId).sort()).to.deep.equal(
      [
        `${system}:1.certificate:${rowVersion(epochOf(second), 0)}`,
        `${system}:1.milestone:${rowVersion(epochOf(second), 0)}`,
        `${system}:1.milestone:${rowVersion(epochOf(second), 1)}`,
        `${system}:1.certificate:${rowVersion(epochOf(second), 1)}`,
        `${system}:2.certificate:${rowVersion(epochOf(second), 0)}`,
        `${system}:2.milestone:${rowVersion(epochOf(second), 0)}`,
      ].sort(),
    );
    expect(stored.some((s) => JSON.stringify(s.envelope).includes('甲楼（更正）'))).to.be.true;
    // the same-second change of row 1 is a correction (更正) of what was sent; the first states are not
    const byMsgId = new Map(all.map((s) => [s.msgId, s.envelope.record as Record<string, unknown>]));
    expect(byMsgId.get(`${system}:1.milestone:${rowVersion(epochOf(second), 1)}`)).to.include({
      id: `${system}:1.milestone`,
      correctionReason: `更正：T_SGXK 第 1 行于 ${second} 更新`,
    });
    expect(byMsgId.get(`${system}:1.certificate:${rowVersion(epochOf(second), 0)}`)).to.not.have.property(
      'correctionReason',
    );
  });

  it('sends an UPDATE of an anchored row (CHAIN_TXID set) as a correction of the same milestone and certificate', async () => {
    const { conn, config, system } = await legacyDb();
    await start(config);
    await envelopes(system, 5);
    // the receipt of the first version was written back, later (another second) a clerk corrects the row
    await conn.query(`UPDATE T_SGXK SET CHAIN_TXID = 'f', GXSJ = GXSJ WHERE ID = 1`);
    await conn.query(`UPDATE T_SGXK SET HTJE = HTJE + 1 WHERE ID = 1`); // GXSJ: now
    const all = await envelopes(system, 7);
    const [[{ GXSJ }]] = (await conn.query('SELECT GXSJ FROM T_SGXK WHERE ID = 1')) as unknown as [
      [{ GXSJ: string }],
    ];
    const v2 = rowVersion(epochOf(GXSJ), 0);
    const milestone = all.find((s) => s.msgId === `${system}:1.milestone:${v2}`)?.envelope.record;
    const certificate = all.find((s) => s.msgId === `${system}:1.certificate:${v2}`)?.envelope.record;
    expect(milestone).to.deep.include({
      id: `${system}:1.milestone`,
      correctionReason: `更正：T_SGXK 第 1 行于 ${GXSJ} 更新`,
      details: { constructionScale: '地上12层 建筑面积48000平方米', contractAmountWanYuan: 21851 },
    });
    expect(certificate).to.deep.include({
      number: '110105202503100101',
      milestoneId: `${system}:1.milestone`,
    });
    expect(certificate).to.have.property('correctionReason');
    expect(milestone).to.not.have.any.keys('version', 'corrects');
  });

  it('writes CHAIN_TXID back from an anchoring receipt without touching GXSJ or re-publishing', async () => {
    const { conn, config, system } = await legacyDb();
    const adapter = await start(config);
    await envelopes(system, 5);
    const v1 = rowVersion(epochOf('2025-03-10 09:31:12'), 0);
    const receipt: Receipt = {
      recordId: `${system}:1.certificate:${v1}`,
      kind: 'certificate',
      sha256: 'a'.repeat(64),
      txId: 'f'.repeat(64),
      blockNumber: 7,
      status: 'ANCHORED',
      at: '2025-03-10T09:40:00+08:00',
    };
    const { jetstream } = await import('@nats-io/jetstream');
    await jetstream(nc()).publish('ledger.receipt.BJ.HC', canonicalize(receipt));
    const [rows] = await waitFor(
      () => conn.query<RowDataPacket[]>('SELECT CHAIN_TXID, GXSJ FROM T_SGXK WHERE ID = 1'),
      ([r]) => r[0]?.CHAIN_TXID === 'f'.repeat(64),
      'CHAIN_TXID written back',
    );
    expect(rows[0]?.GXSJ).to.equal('2025-03-10 09:31:12');
    await new Promise((r) => setTimeout(r, 500));
    expect(await envelopesFrom(nc(), system)).to.have.length(5);
    expect(await adapter.runtime.metrics.total(adapter.runtime.metrics.writeBacks)).to.be.greaterThan(0);
  });

  it('dead-letters malformed rows naming the column and rule, and keeps going', async () => {
    const { conn, config, system } = await legacyDb(false);
    const rows: [string, string, string | null, string, string | null][] = [
      // XMDM, TYSHXYDM, SGXKZH, BLJG, FZRQ
      ['2025-110105-47-03-000401', '91110105MA01WJ3K7N', '110105202504020001', '09', '2025-04-02 09:00:00'],
      ['2025-110105-47-03-000402', '911101050000000000', '110105202504020002', '01', '2025-04-02 09:00:00'],
      ['2025-120101-47-03-000403', '91110105MA01WJ3K7N', '120101202504020003', '01', '2025-04-02 09:00:00'],
      ['2025-110105-47-03-000404', '91110105MA01WJ3K7N', null, '01', null],
      ['2025-110105-47-03-000405', '91110105MA01WJ3K7N', '110105202504020005', '01', '2025-04-02 09:00:00'],
    ];
    for (const [xmdm, uscc, number, bljg, fzrq] of rows) {
      await conn.query(
        `INSERT INTO T_SGXK (XMDM, XMMC, SGXKZH, JSDW, TYSHXYDM, BLJG, FZRQ, ZT) VALUES (?, '测试项目', ?, '北京测试建设有限公司', ?, ?, ?, '1')`,
        [xmdm, number, uscc, bljg, fzrq],
      );
    }
    await start(config);
    const letters = await waitFor(
      () => deadLettersFrom(nc(), `${system}:`),
      (d) => d.length >= 4,
      '4 dead letters',
    );
    const stored = await envelopes(system, 2);
    expect(stored.map((s) => s.envelope.record)).to.satisfy((records: { projectCode?: string }[]) =>
      records.every((r) => r.projectCode === '2025-110105-47-03-000405'),
    );
    const byRow = new Map(letters.map((l) => [l.headers['Ledger-Dlq-Source']?.split(':')[1], l]));
    expect(byRow.get('1')?.headers).to.include({
      'Ledger-Dlq-Code': 'MAPPING_FAILED',
      'Ledger-Dlq-Origin': 'hc-mysql',
    });
    expect(byRow.get('1')?.headers['Ledger-Dlq-Reason']).to.match(
      /^BLJG: 办理结果 "09" is not a result code/,
    );
    expect(byRow.get('2')?.headers['Ledger-Dlq-Code']).to.equal('VALIDATION_FAILED');
    expect(byRow.get('2')?.headers['Ledger-Dlq-Reason'])
      .to.contain('TYSHXYDM (record.applicant.uscc)')
      .and.contain('[uscc.');
    expect(byRow.get('3')?.headers['Ledger-Dlq-Reason'])
      .to.contain('XMDM (record.region)')
      .and.contain('[region.projectCode]');
    expect(byRow.get('3')?.headers['Ledger-Dlq-Subject']).to.equal('legacy.BJ.HC.milestone');
    expect(byRow.get('4')?.headers['Ledger-Dlq-Reason'])
      .to.contain('FZRQ: 发证日期 is empty')
      .and.contain('SGXKZH');
    expect(byRow.get('4')?.subject).to.equal('ledger.dlq.BJ.HC');
    const body = JSON.parse(byRow.get('1')?.body.toString('utf8') ?? '{}') as {
      row: Record<string, unknown>;
    };
    expect(body.row).to.include({ ID: 1, BLJG: '09', XMMC: '测试项目' });
  });

  it('decodes GBK text and GB18030 codes the database itself cannot convert (FE9F is 䶮)', async () => {
    const { conn, config, system } = await legacyDb(false);
    await conn.query(
      `INSERT INTO T_SGXK (XMDM, XMMC, SGXKZH, JSDW, TYSHXYDM, BLJG, FZRQ, ZT)
       VALUES ('2025-110108-70-01-000777', CONCAT('喆镕堃', CONVERT(UNHEX('FE9F') USING gbk), '楼'), '110108202504030001',
               '北京喆园建设有限公司', '91110105MA01WJ3K7N', '01', '2025-04-03 10:00:00', '1')`,
    );
    const [check] = await conn.query<RowDataPacket[]>('SELECT XMMC FROM T_SGXK');
    expect(check[0]?.XMMC).to.equal('喆镕堃?楼', "MariaDB's own GBK conversion loses the character");
    await start(config);
    const stored = await envelopes(system, 2);
    const milestone = stored.find((s) => s.envelope.kind === 'milestone');
    expect(milestone?.envelope.record).to.include({ projectName: '喆镕堃䶮楼' });
  });

  it('waits out a killed database and carries on from its checkpoint when it is back', async () => {
    const { conn, config, system } = await legacyDb();
    const adapter = await start(config);
    await envelopes(system, 5);
    await conn.end().catch(() => undefined);
    await mariadb().kill();
    await waitFor(
      async () =>
        (await fetch(`${adapter.healthUrl}/healthz`)).json() as Promise<{
          status: string;
          lastError: unknown;
        }>,
      (h) => h.status === 'degraded' && h.lastError !== null,
      'health to report the database down',
    );
    await mariadb().restart();
    const again = await connectLegacy(mariadb(), config.mysql.database);
    connections.push(again);
    const random = new Random(7);
    await again.query(
      `INSERT INTO T_SGXK (XMDM, XMMC, SGXKZH, JSDW, TYSHXYDM, BLJG, FZRQ, ZT) VALUES (?, '恢复后项目', '110105202504050001', ?, ?, '01', NOW(), '1')`,
      [makeProjectCode(random, 'BJ', '03', 9), makeCompanyName(random), makeUscc(random)],
    );
    await envelopes(system, 7);
    expect(await adapter.runtime.metrics.total(adapter.runtime.metrics.retries)).to.be.greaterThan(0);
    const health = (await (await fetch(`${adapter.healthUrl}/healthz`)).json()) as { status: string };
    expect(health.status).to.equal('ok');
  });

  it('publishes every row exactly once when nats-server is killed and restarted mid-run', async () => {
    const { conn, config, system } = await legacyDb(false);
    const random = new Random(11);
    const insertMany = async (from: number, count: number): Promise<void> => {
      const values = Array.from({ length: count }, (_, i) => [
        makeProjectCode(random, 'BJ', '03', from + i),
        `项目${from + i}`,
        `1101052025${String(from + i).padStart(8, '0')}`,
        makeCompanyName(random),
        makeUscc(random),
        '02',
        '2025-04-01 09:00:00',
        '1',
      ]);
      await conn.query(`INSERT INTO T_SGXK (XMDM, XMMC, SGXKZH, JSDW, TYSHXYDM, BLJG, FZRQ, ZT) VALUES ?`, [
        values,
      ]);
    };
    await insertMany(1, 300);
    const adapter = await start({ ...config, batchSize: 25 });
    await envelopes(system, 40);
    await h.nats().kill();
    await insertMany(301, 100);
    await new Promise((r) => setTimeout(r, 1_000));
    await h.nats().restart();
    const stored = await waitFor(
      () => envelopesFrom(nc(), system),
      (e) => e.length >= 400,
      '400 envelopes',
      60_000,
    );
    await new Promise((r) => setTimeout(r, 500));
    const final = await envelopesFrom(nc(), system);
    const ids = final.map((s) => s.envelope.source.recordId);
    expect(new Set(ids).size).to.equal(400);
    expect(final).to.have.length(400, 'every row exactly once');
    expect(stored.every((s) => s.envelope.kind === 'milestone')).to.be.true;
    expect(await adapter.runtime.metrics.total(adapter.runtime.metrics.retries)).to.be.greaterThan(0);
  });
});
