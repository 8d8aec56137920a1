import { CHAINCODE_EVENTS, toCertificateAnchor } from '@approval-ledger/protocol';
import { expect } from 'chai';
import {
  Fixture,
  OTHER_SALT,
  SALT,
  certificate,
  certificateAnchorOf,
  digest,
  revocation,
} from '../support/fixture';

const NUMBER = '建字第110105202500012号';

const revocationArg = (overrides: Record<string, unknown> = {}): string =>
  JSON.stringify({ ...revocation(), ...overrides });

describe('certificates contract', () => {
  let f: Fixture;

  beforeEach(async () => {
    f = await Fixture.create();
    await f.grant('BJ', 'HC', ['CONSTRUCTION_PERMIT'], ['CONSTRUCTION_PERMIT']);
  });

  const issue = async () =>
    f.ok(await f.who('BJ', 'approver', 'HC'), 'certificates:Issue', [certificateAnchorOf(certificate())]);

  it('issues a certificate and reads it back VALID, with its commitment and no holder name', async () => {
    const issued = await issue();
    expect(issued).to.include({
      number: NUMBER,
      status: 'VALID',
      region: 'BJ',
      commitment: toCertificateAnchor(certificate(), SALT).commitment,
    });
    expect(issued).to.not.have.property('holder');
    const read = (await f.evaluate(await f.who('TJ', 'auditor'), 'certificates:Get', [NUMBER])) as Record<
      string,
      unknown
    >;
    expect(read).to.include({ number: NUMBER, status: 'VALID' });
  });

  it('is idempotent per number and commitment, and refuses another commitment naming both', async () => {
    const approver = await f.who('BJ', 'approver', 'HC');
    const first = await issue();
    const again = await f.submit(approver, 'certificates:Issue', [certificateAnchorOf(certificate())]);
    expect(again.simulation.readWriteSet.writes).to.have.length(0);
    expect(JSON.parse(Buffer.from(again.event!.payload).toString())).to.include({ unchanged: true });
    const message = await f.refused(
      approver,
      'certificates:Issue',
      [certificateAnchorOf(certificate(), OTHER_SALT)],
      'RECORD_CONFLICT',
    );
    expect(message)
      .to.contain(String(first.commitment))
      .and.contain(toCertificateAnchor(certificate(), OTHER_SALT).commitment);
  });

  it('checks the issuer registry for the certificate type', async () => {
    const c = certificate({ number: 'X-1', type: 'EIA_APPROVAL' });
    await f.refused(
      await f.who('BJ', 'approver', 'HC'),
      'certificates:Issue',
      [certificateAnchorOf(c)],
      'ISSUER_NOT_AUTHORISED',
    );
  });

  it('refuses another region, another department and auditors', async () => {
    await f.refused(
      await f.who('TJ', 'approver', 'HC'),
      'certificates:Issue',
      [certificateAnchorOf(certificate())],
      'FORBIDDEN_REGION',
    );
    await f.refused(
      await f.who('BJ', 'approver', 'PNR'),
      'certificates:Issue',
      [certificateAnchorOf(certificate())],
      'FORBIDDEN_DEPARTMENT',
    );
    await f.refused(
      await f.who('BJ', 'auditor'),
      'certificates:Issue',
      [certificateAnchorOf(certificate())],
      'FORBIDDEN_ROLE',
    );
  });

  it('refuses malformed anchors naming the field', async () => {
    const approver = await f.who('BJ', 'approver', 'HC');
    const bad = { ...toCertificateAnchor(certificate(), SALT), validUntil: '2025-01-01T00:00:00+08:00' };
    expect(
      await f.refused(approver, 'certificates:Issue', [JSON.stringify(bad)], 'VALIDATION_FAILED'),
    ).to.contain('anchor.validUntil');
    const badType = { ...toCertificateAnchor(certificate(), SALT), type: 'DRIVING_LICENCE' };
    expect(
      await f.refused(approver, 'certificates:Issue', [JSON.stringify(badType)], 'VALIDATION_FAILED'),
    ).to.contain('anchor.type');
  });

  it('verifies by number and document digest', async () => {
    await issue();
    const anyone = await f.who('HE', 'auditor');
    expect(await f.evaluate(anyone, 'certificates:Verify', [NUMBER, digest('certificate-0012')])).to.include({
      anchored: true,
      documentMatches: true,
      valid: true,
    });
    expect(await f.evaluate(anyone, 'certificates:Verify', [NUMBER, digest('forged')])).to.include({
      anchored: true,
      documentMatches: false,
      valid: false,
    });
    expect(await f.evaluate(anyone, 'certificates:Verify', ['无此证', digest('forged')])).to.include({
      anchored: false,
      valid: false,
    });
    await f.refused(anyone, 'certificates:Verify', [NUMBER, 'not-a-digest'], 'VALIDATION_FAILED');
  });

  describe('revocation', () => {
    it('revokes with a reason: the status becomes REVOKED and the history keeps both versions', async () => {
      await issue();
      const approver = await f.who('BJ', 'approver', 'HC');
      const res = await f.submit(approver, 'certificates:Revoke', [revocationArg()]);
      expect(res.validationCode).to.equal('VALID');
      expect(JSON.parse(res.payload)).to.deep.include({ status: 'REVOKED', affectedRecognitions: [] });
      expect(res.event?.eventName).to.equal(CHAINCODE_EVENTS.CertificateRevoked);
      const read = (await f.evaluate(approver, 'certificates:Get', [NUMBER])) as {
        status: string;
        revocation: { reason: string };
      };
      expect(read.status).to.equal('REVOKED');
      expect(read.revocation.reason).to.equal('申请人隐瞒有关情况');
      const history = (await f.evaluate(approver, 'certificates:History', [NUMBER])) as unknown[];
      expect(history).to.have.length(2);
      expect(
        await f.evaluate(approver, 'certificates:Verify', [NUMBER, digest('certificate-0012')]),
      ).to.include({ documentMatches: true, valid: false });
    });

    it('answers "valid at time T" from the key history', async () => {
      await issue();
      await f.ok(await f.who('BJ', 'approver', 'HC'), 'certificates:Revoke', [revocationArg()]);
      const auditor = await f.who('TJ', 'auditor');
      const before = (await f.evaluate(auditor, 'certificates:ValidAt', [
        NUMBER,
        '2025-03-08T00:00:00+08:00',
      ])) as Record<string, unknown>;
      expect(before).to.include({ valid: true, status: 'VALID' });
      const after = (await f.evaluate(auditor, 'certificates:ValidAt', [
        NUMBER,
        '2025-03-09T12:00:00+08:00',
      ])) as Record<string, unknown>;
      expect(after).to.include({ valid: false, status: 'REVOKED' });
      const beforeIssue = (await f.evaluate(auditor, 'certificates:ValidAt', [
        NUMBER,
        '2025-03-01T00:00:00+08:00',
      ])) as Record<string, unknown>;
      expect(beforeIssue).to.include({ valid: false, status: 'NOT_YET_VALID', recorded: null });
      const expired = (await f.evaluate(auditor, 'certificates:ValidAt', [
        NUMBER,
        '2028-01-01T00:00:00+08:00',
      ])) as Record<string, unknown>;
      expect(expired).to.include({ valid: false, status: 'REVOKED' });
      const now = (await f.evaluate(auditor, 'certificates:ValidAt', [NUMBER, f.now().toISOString()])) as {
        recorded: { status: string };
        history: unknown[];
      };
      expect(now.recorded.status).to.equal('REVOKED');
      expect(now.history).to.have.length(2);
      await f.refused(auditor, 'certificates:ValidAt', [NUMBER, 'yesterday'], 'VALIDATION_FAILED');
      await f.refused(auditor, 'certificates:ValidAt', ['无此证', '2025-03-08T00:00:00+08:00'], 'NOT_FOUND');
    });

    it('reads EXPIRED after validUntil', async () => {
      await issue();
      const expired = (await f.evaluate(await f.who('TJ', 'auditor'), 'certificates:ValidAt', [
        NUMBER,
        '2028-01-01T00:00:00+08:00',
      ])) as Record<string, unknown>;
      expect(expired).to.include({ valid: false, status: 'EXPIRED' });
    });

    it('keeps a repeated identical revocation idempotent and refuses a different second one', async () => {
      await issue();
      const approver = await f.who('BJ', 'approver', 'HC');
      await f.ok(approver, 'certificates:Revoke', [revocationArg()]);
      const again = await f.submit(approver, 'certificates:Revoke', [revocationArg()]);
      expect(again.validationCode).to.equal('VALID');
      expect(again.simulation.readWriteSet.writes).to.have.length(0);
      await f.refused(
        approver,
        'certificates:Revoke',
        [revocationArg({ reason: '另一理由' })],
        'INVALID_STATE',
      );
    });

    it('refuses revocation by another region, department or role', async () => {
      await issue();
      await f.refused(
        await f.who('TJ', 'approver', 'HC'),
        'certificates:Revoke',
        [revocationArg()],
        'FORBIDDEN_REGION',
      );
      await f.refused(
        await f.who('BJ', 'approver', 'PNR'),
        'certificates:Revoke',
        [revocationArg()],
        'FORBIDDEN_DEPARTMENT',
      );
      await f.refused(
        await f.who('BJ', 'auditor'),
        'certificates:Revoke',
        [revocationArg()],
        'FORBIDDEN_ROLE',
      );
    });

    it('refuses inconsistent or malformed revocations', async () => {
      await issue();
      const approver = await f.who('BJ', 'approver', 'HC');
      await f.refused(approver, 'certificates:Revoke', [revocationArg({ dept: 'PNR' })], 'VALIDATION_FAILED');
      await f.refused(
        approver,
        'certificates:Revoke',
        [revocationArg({ revokedAt: '2030-01-01T00:00:00+08:00' })],
        'VALIDATION_FAILED',
      );
      await f.refused(
        approver,
        'certificates:Revoke',
        [revocationArg({ revokedAt: '2025-01-01T00:00:00+08:00' })],
        'VALIDATION_FAILED',
      );
      expect(
        await f.refused(
          approver,
          'certificates:Revoke',
          [revocationArg({ reason: '' })],
          'VALIDATION_FAILED',
        ),
      ).to.contain('revocation.reason');
      await f.refused(approver, 'certificates:Revoke', [revocationArg({ number: '无此证' })], 'NOT_FOUND');
    });
  });
});
