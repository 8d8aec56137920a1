import { expect } from 'chai';
import { type NatsConnection } from '@nats-io/transport-node';
import { parseConfig } from '../src/core/adapter-config';
import { type RunningAdapter } from '../src/core/running-adapter';
import { EiaSoapConfigSchema } from '../src/eia-soap/config';
import { startEiaSoapAdapter } from '../src/eia-soap/main';
import {
  EIA_NAMESPACE,
  startEiaSoapSimulator,
  type EiaSoapSimulator,
  type EiaSoapSimulatorOptions,
} from '../src/eia-soap/simulator';
import { useAdapterHarness } from './support/adapter-harness';
import { deadLettersFrom, envelopesFrom, waitFor, type StoredEnvelope } from './support/jetstream-reader';
import { testLogger } from './support/test-logger';

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>&lol4;</soap:Body></soap:Envelope>`;
const XXE = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>&xxe;</soap:Body></soap:Envelope>`;

describe('eia-soap adapter (SOAP 1.1 with cursor paging -> JetStream)', function () {
  this.timeout(60_000);
  const h = useAdapterHarness('eia-soap', 'bj-ee-test');
  const simulators: EiaSoapSimulator[] = [];

  afterEach(async () => {
    await Promise.all(simulators.splice(0).map((s) => s.stop()));
  });

  async function setup(
    simulatorOptions: EiaSoapSimulatorOptions = {},
    pageSize = 50,
  ): Promise<{ sim: EiaSoapSimulator; system: string; start: () => Promise<RunningAdapter>; key: string }> {
    const { serial, system, base } = h.next();
    const sim = await startEiaSoapSimulator({ seed: serial, ...simulatorOptions });
    simulators.push(sim);
    const config = parseConfig(EiaSoapConfigSchema, {
      ...base,
      soap: { endpoint: sim.endpoint, pageSize, requestTimeoutMs: 2_000 },
    });
    const key = config.checkpointKey ?? '';
    const start = async (): Promise<RunningAdapter> =>
      h.started(await startEiaSoapAdapter(config, { env: {}, log: testLogger('eia-soap') }));
    return { sim, system, start, key };
  }

  const envelopes = h.envelopes;
  const nc = (): NatsConnection => h.nc();

  it('maps the sample page: approval with its attachment digest, refusal, and the unmappable one to the DLQ', async () => {
    const { system, start } = await setup();
    await start();
    const stored = await envelopes(system, 3);
    const byId = (id: string): StoredEnvelope | undefined =>
      stored.find((s) => s.msgId === `${system}:${id}`);
    const milestone = byId('EIA-2025-0041.milestone:2');
    const certificate = byId('EIA-2025-0041.certificate:2');
    const refused = byId('EIA-2025-0042.milestone:1');
    expect(milestone?.subject).to.equal('legacy.BJ.EE.milestone');
    expect(milestone?.msgId).to.equal(`${system}:EIA-2025-0041.milestone:2`);
    expect(milestone?.envelope.record).to.deep.include({
      projectCode: '2025-110115-35-02-000027',
      stage: 'EIA',
      decision: 'APPROVED',
      decidedAt: '2025-03-06T16:30:00+08:00',
      documentNo: '京环审〔2025〕41号',
      documents: [
        {
          name: '批复文件.pdf',
          sha256: '5b0f6e0d1f1cbb3e29f1ae6a0e2e4c6a4e47cfc0b3f4a2f7a43b1c2e0f9d8a71',
          bytes: 482113,
        },
      ],
    });
    expect(certificate?.envelope.kind).to.equal('certificate');
    expect(certificate?.envelope.record).to.deep.include({
      number: '京环审〔2025〕41号',
      type: 'EIA_APPROVAL',
    });
    expect(refused?.envelope.record).to.deep.include({
      decision: 'REJECTED',
      projectCode: '2025-110105-47-03-000318',
    });
    expect(refused?.envelope.record).to.have.property('documentNo', '京环审〔2025〕42号');
    expect(stored.filter((s) => s.envelope.kind === 'certificate')).to.have.length(
      1,
      'only the approval is a certificate',
    );

    const [letter] = await waitFor(
      () => deadLettersFrom(nc(), `${system}:EIA-2025-0043`),
      (d) => d.length >= 1,
      'the DLQ',
    );
    expect(letter?.headers).to.include({
      'Ledger-Dlq-Code': 'MAPPING_FAILED',
      'Ledger-Dlq-Origin': 'eia-soap',
    });
    expect(letter?.headers['Ledger-Dlq-Reason'])
      .to.contain(
        'eia:Result/@code: "9" (未知状态) is not in the mapping table (1 批准, 2 退回补正, 3 不予批准',
      )
      .and.contain('eia:DecisionTime: "not-a-date" is not a date');
    const body = letter?.body.toString('utf8') ?? '';
    expect(body)
      .to.match(/^<eia:Approval>/)
      .and.match(/<\/eia:Approval>$/)
      .and.contain('<eia:RecordId>EIA-2025-0043</eia:RecordId>');
  });

  it('follows nextCursor page by page and checkpoints the cursor', async () => {
    const { sim, system, start, key } = await setup({ withSample: false }, 10);
    for (let i = 0; i < 25; i++) await sim.add(sim.invent());
    await start();
    // 25 milestones (approved ones bring a certificate too, so 25 envelopes can come before the last page)
    const milestones = (stored: StoredEnvelope[]): number =>
      new Set(stored.filter((s) => s.envelope.kind === 'milestone').map((s) => s.envelope.source.recordId))
        .size;
    const stored = await waitFor(
      () => envelopesFrom(nc(), system),
      (e) => milestones(e) >= 25,
      '25 milestones',
    );
    expect(milestones(stored)).to.equal(25);
    const checkpoint = await waitFor(
      () => h.checkpoint<{ cursor: string }>(key),
      (c) =>
        Buffer.from(c?.cursor ?? '', 'base64')
          .toString()
          .endsWith('|25'),
      'the last cursor',
    );
    expect(checkpoint?.cursor).to.be.a('string');
    await sim.add(sim.invent());
    await envelopes(system, stored.length + 1);
    expect(sim.requests).to.be.at.least(4);
  });

  for (const [name, payload] of [
    ['billion-laughs', BILLION_LAUGHS],
    ['XXE', XXE],
  ] as const) {
    it(`refuses a ${name} response unread, dead-letters it whole, and reads the next answer`, async () => {
      const { sim, system, start } = await setup({ withSample: false });
      await sim.add(sim.invent());
      sim.answerOnce(Buffer.from(payload));
      const adapter = await start();
      const [letter] = await waitFor(
        () => deadLettersFrom(nc(), sim.endpoint),
        (d) => d.length >= 1,
        'the refused response',
      );
      expect(letter?.headers['Ledger-Dlq-Code']).to.equal('UNSAFE_XML');
      expect(letter?.headers['Ledger-Dlq-Reason']).to.contain(
        'DOCTYPE with entity declarations; DTD processing is off',
      );
      expect(letter?.body.toString()).to.equal(payload);
      await envelopes(system, 1);
      const health = (await (await fetch(`${adapter.healthUrl}/healthz`)).json()) as {
        lastError: { message: string };
      };
      expect(health.lastError.message).to.contain('DOCTYPE');
    });
  }

  it('decodes a GB18030 response with characters outside GBK', async () => {
    const { sim, system, start } = await setup({ withSample: false, encoding: 'gb18030' });
    await sim.add({ ...sim.invent(), projectName: '𠀀䶮喆镕生态修复工程' });
    await start();
    const [milestone] = await envelopes(system, 1);
    expect(milestone?.envelope.record).to.have.property('projectName', '𠀀䶮喆镕生态修复工程');
  });

  it('maps by namespace URI, whatever the prefix, and ignores elements of other namespaces', async () => {
    const { sim, system, start } = await setup({ withSample: false });
    const a = sim.invent();
    const xml =
      `<?xml version="1.0" encoding="UTF-8"?><S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>` +
      `<r:QueryApprovalsResponse xmlns:r="${EIA_NAMESPACE}" xmlns:x="urn:other"><r:Page nextCursor=""/>` +
      `<x:Approval><r:RecordId>FOREIGN</r:RecordId></x:Approval>` +
      `<Approval xmlns="${EIA_NAMESPACE}"><DocNo/><RecordId>NS-1</RecordId><Revision>1</Revision><ProjectCode>${a.projectCode}</ProjectCode>` +
      `<Applicant uscc="${a.applicantUscc}">${a.applicantName}</Applicant><Category>登记表</Category>` +
      `<Result code="3">不予批准</Result><DecisionTime>2025-03-08 09:00:00</DecisionTime></Approval>` +
      `</r:QueryApprovalsResponse></S:Body></S:Envelope>`;
    sim.answerOnce(Buffer.from(xml));
    await start();
    const [milestone] = await envelopes(system, 1);
    expect(milestone?.envelope.source.recordId).to.equal('NS-1.milestone');
    expect(milestone?.envelope.record).to.deep.include({
      decision: 'REJECTED',
      decidedAt: '2025-03-08T09:00:00+08:00',
    });
  });

  it('waits out an unavailable service (HTTP 503) and reports it on /healthz', async () => {
    const { sim, system, start } = await setup({ withSample: false });
    await sim.add(sim.invent());
    sim.failNext(4);
    const adapter = await start();
    await envelopes(system, 1);
    const metrics = await (await fetch(`${adapter.healthUrl}/metrics`)).text();
    expect(metrics).to.match(/ledger_adapter_retries_total\{operation="poll",adapter="eia-soap"\} [4-9]/);
    expect(metrics).to.match(/ledger_adapter_published_total\{kind="milestone",adapter="eia-soap"\} 1/);
  });
});
