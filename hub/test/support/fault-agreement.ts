/**
 * What a fault run must show: every count agrees, per source, and with the ledger. A legacy record can make more
 * than one envelope (an EIA approval: its milestone and its certificate), so from the adapter on the count is of
 * envelopes sent: read = source; sent = seen on LEGACY = stored = anchored = receipted at the adapter = receipted
 * by the hub. For the API, every record posted is one envelope.
 */
import { expect } from 'chai';
import { type FaultRunResult } from './fault-run';

export function expectAgreement(result: FaultRunResult): void {
  let anchored = 0;
  for (const s of result.sources) {
    const what = `${s.sourceSystem} (seed ${result.seed}): ${JSON.stringify(s)}`;
    expect(s.source, `${what}: produced`).to.be.greaterThan(0);
    let envelopes = s.source;
    if (s.adapter !== null) {
      expect(s.adapter.read, `${what}: adapter read = source`).to.equal(s.source);
      expect(s.adapter.sent, `${what}: adapter sent >= read`).to.be.at.least(s.adapter.read);
      expect(s.adapter.receipted, `${what}: adapter receipted = sent`).to.equal(s.adapter.sent);
      expect(s.adapter.unreceipted, what).to.equal(0);
      expect(s.store.seen, `${what}: seen on LEGACY = sent`).to.equal(s.adapter.sent);
      envelopes = s.adapter.sent;
    }
    expect(s.store.records, `${what}: stored = sent`).to.equal(envelopes);
    expect(s.store.anchored, `${what}: anchored = sent`).to.equal(envelopes);
    expect(s.receipts, `${what}: receipted by the hub = sent`).to.equal(envelopes);
    anchored += s.store.anchored;
  }
  expect(result.ledger.distinct, 'distinct records on the ledger = anchored in the store').to.equal(anchored);
  expect(result.ledger.written, 'records written to the ledger (none twice)').to.equal(
    result.ledger.distinct,
  );
  expect(result.reconcileExit, result.reconcileOutput).to.equal(0);
  for (const s of result.sources.filter((x) => x.adapter !== null))
    expect(result.reconcileOutput, 'reconcile compared the adapter counters').to.include(
      `(${s.sourceSystem}, counters of`,
    );
  expect(result.verifyChainExit, 'ledger verify-chain').to.equal(0);
}
