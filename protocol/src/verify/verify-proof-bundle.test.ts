import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { sha256Hex } from '../sha256.js';
import { base64ToBytes, bytesToBase64 } from '../proof/base64.js';
import { parseCertificate, isIssuedBy } from '../proof/x509.js';
import { verifyProofBundle } from './verify-proof-bundle.js';
import { type ProofBundle } from '../proof/proof-bundle.js';

// Real bundles from an embedded ledger (hub/scripts/make-proof-fixtures.ts writes them).
function fixture(name: string): ProofBundle {
  return JSON.parse(
    readFileSync(join(__dirname, '..', 'proof', 'fixtures', `proof-bundle.${name}.json`), 'utf8'),
  ) as ProofBundle;
}

function failed(bundle: unknown): string[] {
  return verifyProofBundle(bundle)
    .checks.filter((c) => c.status === 'failed')
    .map((c) => c.name);
}

describe('verifyProofBundle', () => {
  it('accepts a milestone anchored in a batch, with its opening and the document hash asked for', () => {
    const verdict = verifyProofBundle(fixture('milestone'));
    expect(verdict.checks.filter((c) => c.status === 'failed')).to.deep.equal([]);
    expect(verdict).to.include({ ok: true, status: 'valid' });
    expect(verdict.record).to.include({
      kind: 'milestone',
      id: 'BJ-EE-t-2',
      region: 'BJ',
      matchedBy: 'document',
    });
    expect(verdict.endorsedBy.map((e) => e.mspId)).to.deep.equal(['BeijingMSP']);
    expect(verdict.creator?.mspId).to.equal('BeijingMSP');
    expect(verdict.trust.map((t) => t.mspId)).to.deep.equal(['BeijingMSP', 'TianjinMSP', 'HebeiMSP']);
  });

  it('checks no chaincode namespace for a transaction under the legacy single definition: record.region stands alone', () => {
    const names = verifyProofBundle(fixture('milestone')).checks.map((c) => c.name);
    expect(names).to.include('record.region');
    expect(names).to.not.include('record.namespace');
  });

  it('says revoked, with the revocation time, for a revoked certificate', () => {
    const verdict = verifyProofBundle(fixture('revoked-certificate'));
    expect(verdict.checks.filter((c) => c.status === 'failed')).to.deep.equal([]);
    expect(verdict.status).to.equal('revoked');
    expect(verdict.revokedAt).to.be.a('string');
  });

  it('says tampered when the full record no longer opens the commitment', () => {
    const bundle = fixture('milestone');
    (bundle.record.opening!.record as { decision: string }).decision = 'REJECTED';
    expect(verifyProofBundle(bundle).status).to.equal('tampered');
  });

  it('says tampered when the hash asked about is not the record’s', () => {
    const bundle = { ...fixture('milestone'), query: { sha256: sha256Hex('another document') } };
    expect(verifyProofBundle(bundle).status).to.equal('tampered');
  });

  it('refuses an anchor that the transaction did not submit', () => {
    const bundle = fixture('milestone');
    bundle.record.anchor = { ...bundle.record.anchor, decision: 'REJECTED' };
    expect(failed(bundle)).to.include('record.anchor');
  });

  it('refuses a changed transaction: inclusion, signatures and id no longer hold', () => {
    const bundle = fixture('milestone');
    bundle.transaction.envelope = bundle.transaction.envelope.replace('BJ-EE-t-2', 'BJ-EE-t-9');
    expect(failed(bundle)).to.include.members([
      'transaction.inclusion',
      'transaction.creator',
      'transaction.endorsements',
    ]);
  });

  it('refuses a block header whose orderer signature does not verify', () => {
    const bundle = fixture('milestone');
    const sig = base64ToBytes(bundle.chain[0]!.signature);
    sig[sig.length - 1] = (sig[sig.length - 1] ?? 0) ^ 1;
    bundle.chain[0]!.signature = bytesToBase64(sig);
    expect(failed(bundle)).to.include('chain.signatures');
  });

  it('refuses a forged genesis (another orderer) and a genesis hash that is not the pinned one', () => {
    const bundle = fixture('milestone');
    const pinned = verifyProofBundle(bundle, { trustedGenesisHash: '0'.repeat(64) });
    expect(pinned.checks.find((c) => c.name === 'trust.genesis')?.status).to.equal('failed');
    expect(pinned.status).to.equal('invalid');
    const genuine = verifyProofBundle(bundle);
    expect(verifyProofBundle(bundle, { trustedGenesisHash: genuine.genesisHash! }).ok).to.equal(true);
    bundle.ledger.genesis.configEnvelope = bundle.ledger.genesis.configEnvelope.replace(
      '"channel":"approval"',
      '"channel":"forged"',
    );
    expect(failed(bundle)).to.include('genesis.config');
  });

  it('pins CA fingerprints', () => {
    const bundle = fixture('milestone');
    const trust = verifyProofBundle(bundle).trust.map((t) => t.caFingerprint);
    expect(verifyProofBundle(bundle, { trustedCaFingerprints: trust }).ok).to.equal(true);
    expect(verifyProofBundle(bundle, { trustedCaFingerprints: trust.slice(1) }).status).to.equal('invalid');
  });

  it('answers invalid, never throws, for something that is not a bundle', () => {
    for (const junk of [null, 42, 'x', {}, { format: 'approval-ledger/proof@1' }]) {
      expect(verifyProofBundle(junk)).to.include({ ok: false, status: 'invalid' });
    }
  });

  it('reads the organisations’ certificates: a peer issued by its CA, not by another', () => {
    const config = JSON.parse(fixture('milestone').ledger.genesis.configEnvelope) as {
      config: { organisations: { caCertificate: string; peerCertificate: string }[] };
    };
    const [bj, tj] = config.config.organisations;
    const peer = parseCertificate(bj!.peerCertificate);
    expect(peer.organisationalUnits).to.deep.equal(['peer']);
    expect(isIssuedBy(peer, parseCertificate(bj!.caCertificate))).to.equal(true);
    expect(isIssuedBy(peer, parseCertificate(tj!.caCertificate))).to.equal(false);
  });
});

describe('base64', () => {
  it('round-trips every length', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
      expect(base64ToBytes(bytesToBase64(bytes))).to.deep.equal(bytes);
      expect(bytesToBase64(bytes)).to.equal(Buffer.from(bytes).toString('base64'));
    }
  });

  it('refuses text that is not padded base64', () => {
    expect(() => base64ToBytes('abc')).to.throw(TypeError);
    expect(() => base64ToBytes('ab$=')).to.throw(TypeError);
  });
});

describe('verifyProofBundle: bundles of the gm (国密) suite', () => {
  const gm = { acceptedSuites: ['gm'] as const };

  it('accepts a gm ledger’s bundles when told to accept gm: SM3 Merkle paths and hashes, SM2 signatures', () => {
    const bundle = fixture('gm-milestone');
    expect(bundle.ledger.suite).to.equal('gm');
    const verdict = verifyProofBundle(bundle, gm);
    expect(verdict.checks.filter((c) => c.status === 'failed')).to.deep.equal([]);
    expect(verdict).to.include({ ok: true, status: 'valid', suite: 'gm' });
    expect(verdict.checks.find((c) => c.name === 'bundle.suite')?.detail).to.equal(
      'crypto suite gm: SM3, SM2-SM3',
    );
    const revoked = verifyProofBundle(fixture('gm-revoked-certificate'), gm);
    expect(revoked.checks.filter((c) => c.status === 'failed')).to.deep.equal([]);
    expect(revoked.status).to.equal('revoked');
    const ca = parseCertificate(
      JSON.parse(bundle.ledger.genesis.configEnvelope).config.organisations[0].caCertificate,
    );
    expect(ca.keyCurve).to.equal('SM2');
  });

  it('refuses a gm bundle by default, and an intl bundle where only gm is accepted, naming ledger.suite', () => {
    const refused = verifyProofBundle(fixture('gm-milestone'));
    expect(refused.status).to.equal('invalid');
    expect(refused.checks.find((c) => c.name === 'bundle.suite')?.detail).to.equal(
      'ledger.suite: crypto suite "gm" is not accepted here (accepted: intl)',
    );
    const intlOnlyGm = verifyProofBundle(fixture('milestone'), gm);
    expect(intlOnlyGm.checks.find((c) => c.name === 'bundle.suite')?.detail).to.equal(
      'ledger.suite: crypto suite "intl" is not accepted here (accepted: gm)',
    );
    expect(verifyProofBundle(fixture('milestone'), { acceptedSuites: ['intl', 'gm'] })).to.include({
      ok: true,
      suite: 'intl',
    });
  });

  it('refuses a gm bundle relabelled intl: block 0 names gm, and its SM3 hashes are not SHA-256 ones', () => {
    const bundle = fixture('gm-milestone');
    const relabelled = {
      ...bundle,
      ledger: { blockFormat: bundle.ledger.blockFormat, genesis: bundle.ledger.genesis },
    };
    const verdict = verifyProofBundle(relabelled, { acceptedSuites: ['intl', 'gm'] });
    expect(verdict.status).to.equal('invalid');
    expect(verdict.checks.find((c) => c.name === 'genesis.suite')?.detail).to.equal(
      'the bundle names the intl suite, block 0 the gm suite',
    );
  });

  it('opens a gm bundle’s SM3 commitment (record.suite gm), and refuses the record relabelled intl as mixing suites', () => {
    const bundle = fixture('gm-milestone');
    expect(bundle.record.suite).to.equal('gm');
    const verdict = verifyProofBundle(bundle, gm);
    expect(verdict.record?.commitmentSuite).to.equal('gm');
    expect(verdict.checks.find((c) => c.name === 'record.opening')?.status).to.equal('verified');
    const { suite: _named, ...unlabelled } = bundle.record;
    const mixed = verifyProofBundle({ ...bundle, record: unlabelled }, { acceptedSuites: ['intl', 'gm'] });
    expect(mixed.status).to.equal('invalid');
    expect(mixed.checks.find((c) => c.name === 'record.suite')?.detail).to.equal(
      'record.suite: the commitment is intl, the ledger gm: an embedded hub makes both in one suite',
    );
  });

  it('refuses an intl bundle whose record claims a gm commitment: the SM3 opening does not open the SHA-256 one', () => {
    const bundle = fixture('milestone');
    const claimed = { ...bundle, record: { ...bundle.record, suite: 'gm' as const } };
    const verdict = verifyProofBundle(claimed, { acceptedSuites: ['intl', 'gm'] });
    expect(verdict.status).to.equal('invalid');
    expect(verdict.checks.find((c) => c.name === 'record.suite')?.detail).to.match(
      /the commitment is gm, the ledger intl/,
    );
  });

  it('finds a changed gm transaction: its SM3 Merkle path no longer leads to the signed data hash', () => {
    const bundle = fixture('gm-milestone');
    const tx = JSON.parse(bundle.transaction.envelope) as { proposal: { args: string[] } };
    tx.proposal.args = [...tx.proposal.args.slice(0, -1), '[]'];
    const changed = { ...bundle, transaction: { ...bundle.transaction, envelope: JSON.stringify(tx) } };
    const failedChecks = verifyProofBundle(changed, gm)
      .checks.filter((c) => c.status === 'failed')
      .map((c) => c.name);
    expect(failedChecks).to.include('transaction.inclusion');
  });
});
