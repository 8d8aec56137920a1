/**
 * The hub's routing to the namespaces of the plan (@approval-ledger/protocol `registries/namespaces.ts`), end to
 * end on the embedded engine: ingested records committed in their region's namespace and endorsed by that
 * region's peer alone; a recognition's request and decision in the pair's namespace, endorsed by both; a proof
 * bundle that passes `record.namespace` / `record.endorsement` and fails them when tampered; chaincode events,
 * receipts and `ledger verify-chain` over every namespace. And the mode fixed at genesis: a data dir created
 * under the legacy single name keeps it, and is never silently mixed with the plan.
 */
import { Writable } from 'node:stream';
import {
  EIP712_DOMAIN,
  RECOGNITION_DECISION_TYPES,
  recognitionDecisionMessage,
  verifyProofBundle,
  type RecognitionDecision,
  type RecognitionRequest,
} from '@approval-ledger/protocol';
import { expect } from 'chai';
import { Wallet } from 'ethers';
import { runVerifyChain } from '../src/cli/commands/verify-chain';
import { EmbeddedLedger } from '../src/ledger/embedded/embedded-ledger';
import { type LedgerChaincodeEvent, type LedgerIdentity, parseResult } from '../src/ledger';
import { officialKey } from '../src/services/registry-seeder';
import { envelopeOf, milestone } from './support/records';
import { anchorOf, grant, milestone as chaincodeMilestone } from './support/approval-records';
import { startTestHub, type TestHub } from './support/test-hub';
import { TempDirs } from './support/temp-dirs';

interface Check {
  readonly name: string;
  readonly status: string;
}

const checkOf = (checks: readonly Check[], name: string): string | undefined =>
  checks.find((c) => c.name === name)?.status;

describe('routing to the namespaces of the plan (embedded engine, end to end)', function () {
  this.timeout(180_000);
  let t: TestHub;

  before(async () => {
    t = await startTestHub();
  });

  after(async () => {
    await t?.stop();
  });

  it('starts a fresh data dir in the namespace plan', () => {
    expect(t.hub.ledger.namespaceMode).to.equal('plan');
  });

  it("commits ingested Beijing and Tianjin milestones in their regions' namespaces, each endorsed by its own region's peer alone, with events and receipts", async () => {
    const since = await t.hub.ledger.height();
    const events: LedgerChaincodeEvent[] = [];
    const stream = t.hub.ledger.chaincodeEvents({ startBlock: since });
    const collecting = (async () => {
      for await (const event of stream) events.push(event);
    })();
    const bj = milestone({ region: 'BJ', dept: 'EE', n: 71, serial: 710 });
    const tj = milestone({ region: 'TJ', dept: 'EE', n: 72, serial: 720 });
    await t.publish(envelopeOf(bj, 'milestone'));
    await t.publish(envelopeOf(tj, 'milestone'));
    const receipts = await t.waitFor('both receipts', () => {
      const found = ['test-bj-ee:R71:1', 'test-tj-ee:R72:1'].map((id) =>
        t.receipts.find((r) => r.recordId === id),
      );
      return found.every((r) => r !== undefined) && found;
    });
    const expected = [
      ['approval-beijing', 'BeijingMSP'],
      ['approval-tianjin', 'TianjinMSP'],
    ];
    for (const [i, receipt] of receipts.entries()) {
      expect(receipt?.status).to.equal('ANCHORED');
      const tx = await t.hub.ledger.getTransaction(receipt?.txId ?? '');
      expect(tx.chaincodeName).to.equal(expected[i]?.[0]);
      expect(tx.endorsements.map((e) => e.mspId)).to.deep.equal([expected[i]?.[1]]);
      await t.waitFor('its chaincode event', () => events.find((e) => e.txId === tx.txId));
      expect(events.find((e) => e.txId === tx.txId)?.chaincodeName).to.equal(expected[i]?.[0]);
    }
    stream.close();
    await collecting;
  });

  it("records a recognition's request and decision in the pair's namespace, endorsed by both regions' peers", async () => {
    const subject = milestone({ region: 'BJ', dept: 'EE', n: 73, serial: 730 });
    await t.publish(envelopeOf(subject, 'milestone'));
    await t.waitFor('the subject receipt', () => t.receipts.find((r) => r.recordId === 'test-bj-ee:R73:1'));
    const authority = await t.token('authority', 'TJ');
    const request: RecognitionRequest = {
      id: 'REC-NS-0001',
      subjectType: 'milestone',
      subjectId: subject.id,
      sourceRegion: 'BJ',
      targetRegion: 'TJ',
    };
    const requested = await t.api('POST', '/api/v1/recognitions', { token: authority, body: request });
    expect(requested.status, JSON.stringify(requested.body)).to.equal(201);

    const official = officialKey(t.dataDir, 'TJ');
    const decidedAt = new Date(Date.now() - 1000).toISOString();
    const decision: RecognitionDecision = {
      recognitionId: request.id,
      outcome: 'RECOGNISED',
      decidedAt,
      signer: official.address,
      signature: await new Wallet(official.privateKey).signTypedData(
        EIP712_DOMAIN,
        RECOGNITION_DECISION_TYPES,
        recognitionDecisionMessage(request, { outcome: 'RECOGNISED', decidedAt }),
      ),
    };
    const decided = await t.api('POST', `/api/v1/recognitions/${request.id}/decision`, {
      token: authority,
      body: decision,
    });
    expect(decided.status, JSON.stringify(decided.body)).to.equal(200);
    expect(decided.body.recognition.status).to.equal('RECOGNISED');

    for (const txId of [requested.body.txId as string, decided.body.txId as string]) {
      const tx = await t.hub.ledger.getTransaction(txId);
      expect(tx.chaincodeName).to.equal('approval-bj-tj');
      expect(tx.endorsements.map((e) => e.mspId).sort()).to.deep.equal(['BeijingMSP', 'TianjinMSP']);
    }
  });

  it('proves a milestone written in approval-beijing (record.namespace, record.endorsement), and not once tampered', async () => {
    const record = milestone({ region: 'BJ', dept: 'EE', n: 74, serial: 740, document: 'namespace proof' });
    await t.publish(envelopeOf(record, 'milestone'));
    await t.waitFor('the receipt', () => t.receipts.find((r) => r.recordId === 'test-bj-ee:R74:1'));
    const verified = await t.api('POST', '/api/v1/verify', {
      body: { sha256: record.documents[0]!.sha256, bundle: true },
    });
    expect(verified.status).to.equal(200);
    const bundle = verified.body.matches[0].bundle;
    const verdict = verifyProofBundle(bundle);
    expect(verdict).to.include({ ok: true, status: 'valid' });
    expect(checkOf(verdict.checks, 'record.namespace')).to.equal('verified');
    expect(checkOf(verdict.checks, 'record.endorsement')).to.equal('verified');

    // the same transaction offered as a Tianjin record: in the wrong namespace, without Tianjin's peer
    const tampered = structuredClone(bundle);
    tampered.record.anchor.region = 'TJ';
    const refused = verifyProofBundle(tampered);
    expect(refused.ok).to.equal(false);
    expect(checkOf(refused.checks, 'record.namespace')).to.equal('failed');
    expect(checkOf(refused.checks, 'record.endorsement')).to.equal('failed');
  });

  it('passes `ledger verify-chain` over the transactions of every namespace', async () => {
    let output = '';
    const out = new Writable({
      write(chunk: Buffer, _encoding, done) {
        output += chunk.toString();
        done();
      },
    });
    const code = await runVerifyChain(t.dataDir, { json: true }, out);
    expect(code, output).to.equal(0);
  });
});

describe('the namespace mode is fixed at genesis (embedded engine)', function () {
  this.timeout(60_000);
  const dirs = new TempDirs();
  after(() => dirs.removeAll());
  const BJ_ADMIN: LedgerIdentity = { region: 'BJ', role: 'admin' };
  const BJ_PNR: LedgerIdentity = { region: 'BJ', role: 'approver', dept: 'PNR' };

  it('keeps a data dir created under the legacy single name in it, and refuses to open it as the plan', async () => {
    const dataDir = dirs.make('legacy-mode-');
    const created = await EmbeddedLedger.open({ dataDir, namespaceMode: 'legacy', endorsementWorkers: 0 });
    await created.close();

    const reopened = await EmbeddedLedger.open({ dataDir, endorsementWorkers: 0 });
    try {
      expect(reopened.namespaceMode).to.equal('legacy');
      await reopened.submit(BJ_ADMIN, 'issuers:Grant', [grant('BJ', 'PNR', ['LAND_USE_PLANNING'])]);
      const tx = await reopened.submit(BJ_PNR, 'milestones:Record', [anchorOf(chaincodeMilestone(90))]);
      expect((await reopened.getTransaction(tx.txId)).chaincodeName).to.equal('approval-ledger');
      expect(tx.event?.chaincodeName).to.equal('approval-ledger');
      expect(parseResult<{ status: string }>(tx.result)).to.be.an('object');
    } finally {
      await reopened.close();
    }

    let refusal: unknown;
    try {
      await EmbeddedLedger.open({ dataDir, namespaceMode: 'plan', endorsementWorkers: 0 });
    } catch (error) {
      refusal = error;
    }
    expect(String(refusal)).to.match(/created in the legacy namespace mode/);
  });

  it('writes a new ledger in the plan: a region record in its namespace, a query of another region answered there', async () => {
    const ledger = await EmbeddedLedger.open({ dataDir: dirs.make('plan-mode-'), endorsementWorkers: 0 });
    try {
      expect(ledger.namespaceMode).to.equal('plan');
      await ledger.submit(BJ_ADMIN, 'issuers:Grant', [grant('BJ', 'PNR', ['LAND_USE_PLANNING'])]);
      const m = chaincodeMilestone(91);
      const tx = await ledger.submit(BJ_PNR, 'milestones:Record', [anchorOf(m)]);
      expect((await ledger.getTransaction(tx.txId)).chaincodeName).to.equal('approval-beijing');
      const tjAuditor: LedgerIdentity = { region: 'TJ', role: 'auditor' };
      const got = await ledger.evaluate(tjAuditor, 'milestones:Get', [m.id], {
        scope: { kind: 'region', region: 'BJ' },
      });
      expect(parseResult<{ id: string }>(got)?.id).to.equal(m.id);
    } finally {
      await ledger.close();
    }
  });
});
