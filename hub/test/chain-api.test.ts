/**
 * What the explorer re-checks in the browser, checked here with the protocol package against a real hub: each
 * transaction of `GET /blocks/{n}` and `GET /transactions/{txId}` carries its exact envelope bytes, from which
 * the data hash, the transaction id, the creator's and endorsers' signatures (against the CA certificates of
 * block 0's channel configuration) all re-compute; `GET /stats` counts by department and `GET /reconciliation`
 * says when each legacy system was last seen. The responses match the OpenAPI schemas.
 */
import {
  base64ToBytes,
  blockHash,
  dataHashOfEnvelopes,
  endorsementMessage,
  isIssuedBy,
  parseCertificate,
  parseTransactionEnvelope,
  proposalText,
  transactionId,
  transactionResponseHash,
  utf8Encode,
  verifyP256,
  type ChannelConfigJson,
  type EndorserTransactionJson,
} from '@approval-ledger/protocol';
import { expect } from 'chai';
import {
  BlockJsonSchema as BlockSchema,
  DashboardStatsSchema as StatsSchema,
  ReconciliationReportSchema as ReconciliationSchema,
  TransactionJsonSchema as TransactionSchema,
} from '@approval-ledger/protocol/api';
import { envelopeOf, milestone } from './support/records';
import { startTestHub, type TestHub } from './support/test-hub';

interface BlockBody {
  number: number;
  hash: string;
  previousHash: string;
  dataHash: string;
  transactions: { txId: string; envelope: string }[];
}

function signedByOrganisation(
  config: ChannelConfigJson,
  signer: { mspId: string; certificate: string; signature: string },
  message: Uint8Array,
): boolean {
  const ca = config.organisations.find((o) => o.mspId === signer.mspId)?.caCertificate;
  if (!ca) return false;
  const certificate = parseCertificate(signer.certificate);
  return (
    isIssuedBy(certificate, parseCertificate(ca)) &&
    verifyP256(certificate.publicKey, message, base64ToBytes(signer.signature))
  );
}

describe('the chain API gives readers what they need to re-check it', function () {
  this.timeout(120_000);
  let t: TestHub;
  const record = milestone({ region: 'BJ', dept: 'EE', n: 7, serial: 207 });

  before(async () => {
    t = await startTestHub();
    await t.publish(envelopeOf(record, 'milestone'));
    await t.waitFor('the receipt', () => t.receipts.find((r) => r.status === 'ANCHORED'));
  });

  after(async () => {
    await t?.stop();
  });

  it('returns each envelope: data hash, tx id, creator and endorsements re-check against block 0', async () => {
    const auditor = await t.token('auditor');
    const receipt = t.receipts.find((r) => r.status === 'ANCHORED');
    const genesis = await t.api('GET', '/api/v1/blocks/0', { token: auditor });
    expect(genesis.status).to.equal(200);
    BlockSchema.parse(genesis.body);
    const configTx = parseTransactionEnvelope(
      new TextDecoder().decode(base64ToBytes((genesis.body as BlockBody).transactions[0]!.envelope)),
    );
    if (configTx?.type !== 'config') throw new Error('block 0 holds no channel configuration');

    const block = await t.api('GET', `/api/v1/blocks/${receipt?.blockNumber}`, { token: auditor });
    BlockSchema.parse(block.body);
    const body = block.body as BlockBody;
    const envelopes = body.transactions.map((tx) => base64ToBytes(tx.envelope));
    expect(dataHashOfEnvelopes(envelopes)).to.equal(body.dataHash);
    expect(blockHash(body)).to.equal(body.hash);

    const tx = await t.api('GET', `/api/v1/transactions/${receipt?.txId}`, { token: auditor });
    TransactionSchema.parse(tx.body);
    const inBlock = body.transactions.find((x) => x.txId === receipt?.txId);
    expect(tx.body.envelope).to.equal(inBlock?.envelope);
    const envelope = parseTransactionEnvelope(
      new TextDecoder().decode(base64ToBytes(tx.body.envelope as string)),
    ) as EndorserTransactionJson;
    const { nonce, creator } = envelope.proposal;
    expect(transactionId(base64ToBytes(nonce), creator.mspId, creator.certificate)).to.equal(receipt?.txId);
    const creatorSigned = { ...creator, signature: envelope.creatorSignature };
    expect(signedByOrganisation(configTx.config, creatorSigned, utf8Encode(proposalText(envelope.proposal))))
      .to.be.true;
    const responseHash = transactionResponseHash(envelope);
    expect(envelope.endorsements.map((e) => e.mspId)).to.deep.equal(['BeijingMSP']);
    for (const e of envelope.endorsements) {
      expect(signedByOrganisation(configTx.config, e, endorsementMessage(e, responseHash))).to.be.true;
    }
    const forged = { ...envelope.endorsements[0]!, mspId: 'TianjinMSP' };
    expect(signedByOrganisation(configTx.config, forged, endorsementMessage(forged, responseHash))).to.be
      .false;
  });

  it('counts anchored records by department and says when each legacy system was last seen', async () => {
    const auditor = await t.token('auditor');
    const stats = await t.api('GET', '/api/v1/stats', { token: auditor });
    StatsSchema.parse(stats.body);
    expect(stats.body.chain.byDept).to.deep.equal({ EE: 1 });
    expect(stats.body.chain.byRegion).to.deep.equal({ BJ: 1 });

    const report = await t.api('GET', '/api/v1/reconciliation', { token: auditor });
    ReconciliationSchema.parse(report.body);
    const source = (report.body.sources as { sourceSystem: string; lastSeenAt: string | null }[]).find(
      (s) => s.sourceSystem === record.source.system,
    );
    expect(source?.lastSeenAt).to.be.a('string');
    const age = Date.now() - Date.parse(source?.lastSeenAt ?? '');
    expect(age).to.be.within(0, 120_000);
  });
});
