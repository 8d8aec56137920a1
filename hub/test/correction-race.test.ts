/**
 * The hc-mysql race (issue 19): a clerk corrects a T_SGXK row before the first version's receipt has come back.
 * The adapter then cannot tell the update from a first record (no CHAIN_TXID written back yet, and the change
 * capture has moved past the row's old second), so it sends the new state without a correction reason. The hub
 * recognises it as a later version of the same legacy record (same source system and record id, a higher
 * source version) and anchors it as version 2, after version 1. Another row that claims the same permit number
 * (two different "first" versions) stays a RECORD_CONFLICT.
 *
 * Real MariaDB (legacy table and the hub's store), a real nats-server, the real adapter; the hub starts only
 * after the adapter has published all three rows, so no receipt can have come back before the update.
 */
import { type Certificate, type Receipt } from '@approval-ledger/protocol';
import { startNatsServer, type NatsServer, useMariaDb } from '@approval-ledger/testkit';
import { parseConfig } from '@approval-ledger/adapters/dist/core/adapter-config';
import { type RunningAdapter } from '@approval-ledger/adapters/dist/core/running-adapter';
import { HcMysqlConfigSchema } from '@approval-ledger/adapters/dist/hc-mysql/config';
import { startHcMysqlAdapter } from '@approval-ledger/adapters/dist/hc-mysql/main';
import { connectLegacy, loadLegacySchema } from '@approval-ledger/adapters/dist/hc-mysql/simulator';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { expect } from 'chai';
import { type Connection } from 'mysql2/promise';
import pino from 'pino';
import { startTestHub, type TestHub } from './support/test-hub';

const SYSTEM = 'bj-hc-race';
const NUMBER = '110105202604020001';
const PROJECT = '2025-110105-47-03-000319';

describe('corrections: an update sent before the first version’s receipt came back', function () {
  this.timeout(180_000);
  const mariadb = useMariaDb();
  let nats: NatsServer;
  let nc: NatsConnection;
  let legacy: Connection;
  let adapter: RunningAdapter;
  let t: TestHub;
  let auditor: string;

  const receiptsOf = (row: number, part: string, status: Receipt['status']): Receipt[] =>
    t.receipts.filter((r) => r.recordId.startsWith(`${SYSTEM}:${row}.${part}:`) && r.status === status);

  async function published(count: number): Promise<void> {
    const jsm = await jetstreamManager(nc);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const info = await jsm.streams.info('LEGACY').catch(() => undefined);
      if ((info?.state.messages ?? 0) >= count) return;
      if (Date.now() > deadline) throw new Error(`the adapter did not publish ${count} messages`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const insert = (number: string, secondsAgo: number): Promise<unknown> =>
    legacy.query(
      `INSERT INTO T_SGXK (XMDM, XMMC, SGXKZH, JSDW, TYSHXYDM, JSGM, HTJE, BLJG, FZRQ, ZT, GXSJ)
       VALUES (?, '朝阳区望京科技园四期研发楼', ?, '北京望京科创置业有限公司', '91110105MA01WJ3K7N',
               '地上10层 建筑面积36000平方米', 18000.00, '01', '2026-04-02 09:30:00', '1',
               NOW() - INTERVAL ? SECOND)`,
      [PROJECT, number, secondsAgo],
    );

  before(async () => {
    nats = await startNatsServer();
    nc = await connect({ servers: nats.url });
    await mariadb().createDatabase('sgxk_race', { charset: 'gbk' });
    legacy = await connectLegacy(mariadb(), 'sgxk_race');
    await loadLegacySchema(legacy);
    await legacy.query('TRUNCATE TABLE T_SGXK');
    const config = parseConfig(HcMysqlConfigSchema, {
      region: 'BJ',
      sourceSystem: SYSTEM,
      health: { port: 0 },
      nats: { url: nats.url, publishTimeoutMs: 1_500 },
      retry: { initialMs: 50, maxMs: 400 },
      mysql: {
        host: mariadb().host,
        port: mariadb().port,
        user: 'root',
        database: 'sgxk_race',
        connectTimeoutMs: 1_000,
      },
      pollIntervalMs: 100,
      checkpointKey: 'hc-mysql.race',
    });
    adapter = await startHcMysqlAdapter(config, {
      env: { HC_MYSQL_PASSWORD: '' },
      log: pino({ level: 'silent' }),
    });
    await insert(NUMBER, 300); // row 1: version 1 (a milestone and a certificate)
    await published(2);
    await insert('110105202604020002', 200); // row 2: moves the change capture past row 1's second
    await published(4);
    // the clerk corrects row 1; no hub has answered yet, so CHAIN_TXID is still NULL
    await legacy.query('UPDATE T_SGXK SET HTJE = HTJE + 1, GXSJ = NOW() - INTERVAL 100 SECOND WHERE ID = 1');
    await published(6);
    await insert(NUMBER, 50); // row 3: another record claiming row 1’s permit number
    await published(8);
    const store = await mariadb().createDatabase('hub_race');
    t = await startTestHub({ nats, env: { DATABASE_URL: store } });
    auditor = await t.token('auditor');
    await t
      .waitFor('row 1 anchored twice', () => receiptsOf(1, 'certificate', 'ANCHORED').length === 2)
      .catch((error: Error) => {
        const letters = t.deadLetters.map((d) => `${d.code}: ${d.reason}`).join('\n');
        throw new Error(`${error.message}; dead letters:\n${letters}`);
      });
    await t.waitFor('row 3 refused', () => receiptsOf(3, 'certificate', 'CONFLICT').length === 1);
  });

  after(async () => {
    await adapter?.stop();
    await legacy?.end().catch(() => undefined);
    await t?.stop();
    await nc?.close();
    await nats?.stop();
  });

  it('anchors the update as version 2 of the certificate and the milestone, correcting version 1', async () => {
    const res = await t.api('GET', `/api/v1/certificates/${NUMBER}`, { token: auditor });
    expect(res.status).to.equal(200);
    // row 3's refused claim is listed too (a conflict, never on the ledger)
    const [v1, v2] = (res.body.versions as Record<string, unknown>[]).filter((v) =>
      String(v.sourceKey).startsWith(`${SYSTEM}:1.`),
    );
    expect(res.body).to.include({ version: 2, current: true });
    expect(v1).to.include({ version: 1, status: 'anchored', current: false });
    expect(v2).to.include({ version: 2, status: 'anchored', current: true, corrects: v1?.commitment });
    expect(v2?.correctionReason).to.be.a('string').and.match(/^更正/);
    const milestones = await t.hub.store.records.findByLedgerKey('milestone', `${SYSTEM}:1.milestone`);
    expect(milestones.map((m) => [m.status, (m.record as { version?: number }).version ?? 1])).to.deep.equal([
      ['anchored', 1],
      ['anchored', 2],
    ]);
    expect(
      t.deadLetters.filter((d) => d.data.includes(`"${SYSTEM}"`) && d.data.includes('"1.')),
    ).to.deep.equal([]);
  });

  it('keeps a different row claiming the same permit number a RECORD_CONFLICT', async () => {
    const letter = t.deadLetters.find((d) => d.code === 'RECORD_CONFLICT');
    expect(letter?.reason).to.contain(`certificate ${NUMBER} is already anchored`);
    const stored = await t.hub.store.records.findByLedgerKey('certificate', NUMBER);
    const row3 = stored.find((s) => s.id.startsWith(`${SYSTEM}:3.certificate:`));
    expect(row3?.status).to.equal('conflict');
    expect((row3?.record as Certificate).version).to.equal(undefined);
  });
});
