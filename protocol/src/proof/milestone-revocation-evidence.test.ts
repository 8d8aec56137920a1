import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { type EndorserTransactionJson } from '../block-format/embedded-block.js';
import { base64ToBytes, bytesToBase64 } from './base64.js';
import { findMilestoneRevocation, revokedMilestonesWritten } from './milestone-revocation-evidence.js';
import { type ProofBundle, type TransactionProof } from './proof-bundle.js';
import { verifyProofBundle, type ProofVerdict } from '../verify/verify-proof-bundle.js';

// Real bundles from an embedded ledger (hub/test/fixtures/make-milestone-revocation-fixtures.ts writes them):
// BJ-PNR-t-1 (APPROVED, LAND_USE_PLANNING, 2025-03-06) revoked by BJ-PNR-t-2 (REVOKED, same stage, 2025-04-01);
// decoys: REVOKED milestones of another stage (t-3), another project (t-4), decided before it (t-5).
function read<T>(name: string): T {
  return JSON.parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8')) as T;
}
const revokedMilestone = (): ProofBundle => read('proof-bundle.revoked-milestone.json');
type Decoy = 'otherStage' | 'otherProject' | 'decidedEarlier';
const decoy = (name: Decoy): TransactionProof =>
  read<Record<Decoy, TransactionProof>>('milestone-revocation.decoys.json')[name];

function withEvidence(transaction: TransactionProof): ProofBundle {
  return { ...revokedMilestone(), revocation: { transaction } };
}

function failures(verdict: ProofVerdict): Record<string, string> {
  return Object.fromEntries(
    verdict.checks.filter((c) => c.status === 'failed').map((c) => [c.name, c.detail ?? '']),
  );
}

function envelopeOf(proof: TransactionProof): EndorserTransactionJson {
  return JSON.parse(proof.envelope) as EndorserTransactionJson;
}

/** The envelope with the value of its `milestone` write for `id` changed by `change`. */
function rewriteEntry(
  proof: TransactionProof,
  id: string,
  change: (entry: Record<string, unknown>) => void,
): TransactionProof {
  const tx = envelopeOf(proof) as unknown as { rwset: { writes: { key: string; value: string }[] } };
  const write = tx.rwset.writes.find((w) => w.key === `\u0000milestone\u0000${id}\u0000`)!;
  const entry = JSON.parse(new TextDecoder().decode(base64ToBytes(write.value))) as Record<string, unknown>;
  change(entry);
  write.value = bytesToBase64(new TextEncoder().encode(JSON.stringify(entry)));
  return { ...proof, envelope: JSON.stringify(tx) };
}

describe('milestone revocation evidence in proof bundles', () => {
  it('says revoked when a REVOKED milestone of the same project, region, department and stage, decided later, was recorded', () => {
    const verdict = verifyProofBundle(revokedMilestone());
    expect(failures(verdict)).to.deep.equal({});
    expect(verdict).to.include({ ok: true, status: 'revoked', revokedAt: '2025-04-01T09:00:00+08:00' });
    expect(verdict.revokedBy).to.deep.equal({
      txId: revokedMilestone().revocation!.transaction.txId,
      milestone: 'BJ-PNR-t-2',
    });
    expect(verdict.checks.find((c) => c.name === 'revocation.record')?.detail).to.equal(
      'milestone BJ-PNR-t-1 revoked by REVOKED milestone BJ-PNR-t-2 of BJ, decided at 2025-04-01T09:00:00+08:00',
    );
  });

  it('refuses a REVOKED milestone of another stage, another project, or decided before it, saying why', () => {
    const reasons = {
      otherStage: 'REVOKED milestone BJ-PNR-t-3 is of stage ENGINEERING_PLANNING, not LAND_USE_PLANNING',
      otherProject:
        'REVOKED milestone BJ-PNR-t-4 is of projectCode 2025-110105-47-03-000008, not 2025-110105-47-03-000007',
      decidedEarlier:
        'REVOKED milestone BJ-PNR-t-5 was decided at 2025-03-01T09:00:00+08:00, before milestone BJ-PNR-t-1',
    };
    for (const [name, reason] of Object.entries(reasons)) {
      const verdict = verifyProofBundle(withEvidence(decoy(name as Decoy)));
      expect(verdict, name).to.include({ ok: false, status: 'invalid' });
      expect(verdict.revokedAt, name).to.equal(undefined);
      // the transaction itself is genuine: only the rule fails
      expect(Object.keys(failures(verdict)), name).to.deep.equal(['revocation.record']);
      expect(failures(verdict)['revocation.record'], name).to.include(reason);
    }
  });

  it('refuses a transaction that records no REVOKED milestone (the anchoring one)', () => {
    const bundle = revokedMilestone();
    const verdict = verifyProofBundle(withEvidence(bundle.transaction));
    expect(verdict.status).to.equal('invalid');
    expect(failures(verdict)['revocation.record']).to.include('records no REVOKED milestone');
  });

  it('refuses forged evidence: a write set changed to fit the rule breaks inclusion and endorsements', () => {
    const forged = rewriteEntry(decoy('otherStage'), 'BJ-PNR-t-3', (entry) => {
      entry.stage = 'LAND_USE_PLANNING';
    });
    const verdict = verifyProofBundle(withEvidence(forged));
    expect(verdict.status).to.equal('invalid');
    expect(Object.keys(failures(verdict))).to.include.members([
      'revocation.inclusion',
      'revocation.endorsements',
    ]);
    const reordered = rewriteEntry(revokedMilestone().revocation!.transaction, 'BJ-PNR-t-2', (entry) => {
      entry.decidedAt = '2025-04-02T09:00:00+08:00';
    });
    expect(verifyProofBundle(withEvidence(reordered)).status).to.equal('invalid');
  });

  it('refuses evidence in a block the header chain does not reach', () => {
    const bundle = revokedMilestone();
    const evidenceBlock = bundle.revocation!.transaction.blockNumber;
    bundle.chain = bundle.chain.filter((h) => h.number < evidenceBlock);
    const verdict = verifyProofBundle(bundle);
    expect(verdict.status).to.equal('invalid');
    expect(failures(verdict)['revocation.inclusion']).to.include(`not in block ${evidenceBlock}`);
  });

  it('reads only REVOKED milestone entries this very transaction wrote', () => {
    const bundle = revokedMilestone();
    const proof = bundle.revocation!.transaction;
    expect(revokedMilestonesWritten(envelopeOf(proof), proof.txId).map((m) => m.id)).to.deep.equal([
      'BJ-PNR-t-2',
    ]);
    expect(revokedMilestonesWritten(envelopeOf(proof), 'another-tx')).to.deep.equal([]);
    const renamed = rewriteEntry(proof, 'BJ-PNR-t-2', (entry) => {
      entry.id = 'BJ-PNR-t-9';
    });
    expect(revokedMilestonesWritten(envelopeOf(renamed), proof.txId)).to.deep.equal([]);
    expect(findMilestoneRevocation({ id: 'x' }, envelopeOf(proof), proof.txId)).to.deep.equal({
      ok: false,
      reason: 'the milestone anchor lacks the facts the revocation rule reads',
    });
  });

  it('keeps certificate revocations as they were: milestone evidence does not revoke a certificate', () => {
    const certificate = read<ProofBundle>('proof-bundle.revoked-certificate.json');
    expect(verifyProofBundle(certificate)).to.include({ ok: true, status: 'revoked' });
    expect(verifyProofBundle(certificate).revokedBy?.milestone).to.equal(undefined);
    const mixed = { ...certificate, revocation: revokedMilestone().revocation };
    expect(verifyProofBundle(mixed).status).to.equal('invalid');
  });
});
