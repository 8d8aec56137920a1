/**
 * Certificates now and at a past time, before and after a revocation; and the mutual recognition of one:
 * requested and decided (EIP-712) by Tianjin, then SOURCE_REVOKED when Beijing revokes it, with both regions
 * told on `ledger.recognition.*` within a second.
 */
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
import { officialKey } from '../src/services/registry-seeder';
import { certificate, envelopeOf, revocation } from './support/records';
import { startTestHub, type TestHub } from './support/test-hub';

describe('certificates: status now and at a past time, revocation, recognition', function () {
  this.timeout(120_000);
  let t: TestHub;
  let auditor: string;
  const number = '110105202503100101';
  const cert = certificate(number);

  before(async () => {
    t = await startTestHub();
    auditor = await t.token('auditor');
    await t.publish(envelopeOf(cert, 'certificate'));
    await t.waitFor('the certificate receipt', () =>
      t.receipts.find((r) => r.recordId === `test-bj-hc:C${number}:1`),
    );
  });

  after(async () => {
    await t?.stop();
  });

  it('is valid now, and not yet valid before its validity starts', async () => {
    const now = await t.api('GET', `/api/v1/certificates/${number}`, { token: auditor });
    expect(now.status).to.equal(200);
    expect(now.body).to.include({ status: 'VALID', valid: true, offChain: 'match', tampered: false });
    const before = await t.api('GET', `/api/v1/certificates/${number}?at=2025-03-01T00:00:00%2B08:00`, {
      token: auditor,
    });
    expect(before.body).to.include({ status: 'NOT_YET_VALID', valid: false });
  });

  it('is recognised by Tianjin with a signed decision', async () => {
    const authority = await t.token('authority', 'TJ');
    const request: RecognitionRequest = {
      id: 'REC-TJ-0001',
      subjectType: 'certificate',
      subjectId: number,
      sourceRegion: 'BJ',
      targetRegion: 'TJ',
    };
    const requested = await t.api('POST', '/api/v1/recognitions', { token: authority, body: request });
    expect(requested.status, JSON.stringify(requested.body)).to.equal(201);
    expect(requested.body.recognition.status).to.equal('PENDING');

    const official = officialKey(t.dataDir, 'TJ');
    const decidedAt = new Date(Date.now() - 1000).toISOString();
    const signature = await new Wallet(official.privateKey).signTypedData(
      EIP712_DOMAIN,
      RECOGNITION_DECISION_TYPES,
      recognitionDecisionMessage(request, { outcome: 'RECOGNISED', decidedAt }),
    );
    const decision: RecognitionDecision = {
      recognitionId: request.id,
      outcome: 'RECOGNISED',
      decidedAt,
      signer: official.address,
      signature,
    };
    const decided = await t.api('POST', `/api/v1/recognitions/${request.id}/decision`, {
      token: authority,
      body: decision,
    });
    expect(decided.status, JSON.stringify(decided.body)).to.equal(200);
    expect(decided.body.recognition.status).to.equal('RECOGNISED');

    const replayed = await t.api('POST', `/api/v1/recognitions/${request.id}/decision`, {
      token: authority,
      body: decision,
    });
    expect(replayed.status).to.be.oneOf([409]);

    const board = await t.api('GET', '/api/v1/recognitions?source=BJ&target=TJ', { token: auditor });
    expect(
      board.body.recognitions.map((r: { id: string; status: string }) => [r.id, r.status]),
    ).to.deep.equal([['REC-TJ-0001', 'RECOGNISED']]);
  });

  it('is revoked from its revocation time on: valid before, revoked after, recognitions SOURCE_REVOKED and announced', async () => {
    const revokedAt = new Date(Date.now() - 500).toISOString();
    await t.publish(envelopeOf(revocation(number, revokedAt), 'certificate-revocation'));
    const receipt = await t.waitFor('the revocation receipt', () =>
      t.receipts.find((r) => r.recordId === `test-bj-hc:REV${number}:1`),
    );
    expect(receipt.status).to.equal('ANCHORED');
    const receivedAt = Date.now();
    const notice = await t.waitFor('the source-revoked notice to Tianjin', () =>
      t.notices.find(
        (n) =>
          n.subject === 'ledger.recognition.TJ' && (n.data as { type: string }).type === 'source-revoked',
      ),
    );
    expect(Date.now() - receivedAt).to.be.below(1000);
    expect(notice.data).to.include({ subjectId: number, status: 'SOURCE_REVOKED' });

    const now = await t.api('GET', `/api/v1/certificates/${number}`, { token: auditor });
    expect(now.body).to.include({ status: 'REVOKED', valid: false });
    expect(now.body.revocation.reason).to.equal('申请人提供虚假材料');
    const beforeRevocation = new Date(Date.parse(revokedAt) - 60_000).toISOString();
    const earlier = await t.api(
      'GET',
      `/api/v1/certificates/${number}?at=${encodeURIComponent(beforeRevocation)}`,
      { token: auditor },
    );
    expect(earlier.body).to.include({ status: 'VALID', valid: true });
    const later = await t.api(
      'GET',
      `/api/v1/certificates/${number}?at=${encodeURIComponent(new Date().toISOString())}`,
      { token: auditor },
    );
    expect(later.body).to.include({ status: 'REVOKED', valid: false });
    expect(later.body.history.map((h: { revoked: boolean }) => h.revoked)).to.deep.equal([true, false]);

    const board = await t.api('GET', '/api/v1/recognitions?target=TJ', { token: auditor });
    expect(board.body.recognitions[0].status).to.equal('SOURCE_REVOKED');

    const verified = await t.api('POST', '/api/v1/verify', {
      body: { sha256: cert.documents[0]!.sha256, bundle: true },
    });
    expect(verified.body.status).to.equal('revoked');
    expect(verified.body.matches[0].recognitions[0].status).to.equal('SOURCE_REVOKED');
    const verdict = verifyProofBundle(verified.body.matches[0].bundle);
    expect(verdict).to.include({ ok: true, status: 'revoked', revokedAt });
  });
});
