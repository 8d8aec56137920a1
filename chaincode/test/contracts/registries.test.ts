import { CHAINCODE_EVENTS } from '@approval-ledger/protocol';
import { expect } from 'chai';
import { Fixture, USCC, anchorOf, creditAnchorOf, creditEvent, milestone } from '../support/fixture';

describe('issuers contract (issuer registry)', () => {
  let f: Fixture;
  beforeEach(async () => (f = await Fixture.create()));

  const grant = (overrides: Record<string, unknown> = {}): string =>
    JSON.stringify({
      region: 'BJ',
      dept: 'HC',
      stages: ['CONSTRUCTION_PERMIT'],
      certificateTypes: [],
      validFrom: '2025-01-01T00:00:00+08:00',
      ...overrides,
    });

  it("is kept by the region's admin and readable by everyone", async () => {
    const res = await f.submit(await f.who('BJ', 'admin'), 'issuers:Grant', [grant()]);
    expect(res.validationCode).to.equal('VALID');
    expect(res.event?.eventName).to.equal(CHAINCODE_EVENTS.IssuerGranted);
    const listed = (await f.evaluate(await f.who('HE', 'auditor'), 'issuers:List', ['BJ', 'HC'])) as {
      dept: string;
      stages: string[];
    }[];
    expect(listed).to.have.length(1);
    expect(listed[0]).to.include({ dept: 'HC' });
    expect(await f.evaluate(await f.who('HE', 'auditor'), 'issuers:List', ['', ''])).to.have.length(1);
    expect(await f.evaluate(await f.who('HE', 'auditor'), 'issuers:List', ['TJ', ''])).to.have.length(0);
  });

  it("refuses another region's admin, other roles and auditors", async () => {
    await f.refused(await f.who('TJ', 'admin'), 'issuers:Grant', [grant()], 'FORBIDDEN_REGION');
    await f.refused(await f.who('BJ', 'approver', 'HC'), 'issuers:Grant', [grant()], 'FORBIDDEN_ROLE');
    await f.refused(await f.who('BJ', 'auditor'), 'issuers:Grant', [grant()], 'FORBIDDEN_ROLE');
  });

  it('refuses malformed grants naming the field', async () => {
    const admin = await f.who('BJ', 'admin');
    expect(
      await f.refused(admin, 'issuers:Grant', [grant({ stages: ['NOPE'] })], 'VALIDATION_FAILED'),
    ).to.contain('grant.stages[0]');
    expect(
      await f.refused(
        admin,
        'issuers:Grant',
        [grant({ stages: [], certificateTypes: [] })],
        'VALIDATION_FAILED',
      ),
    ).to.contain('grant.stages');
    expect(
      await f.refused(
        admin,
        'issuers:Grant',
        [grant({ validUntil: '2024-01-01T00:00:00+08:00' })],
        'VALIDATION_FAILED',
      ),
    ).to.contain('grant.validUntil');
    await f.refused(admin, 'issuers:List', ['XX', ''], 'VALIDATION_FAILED');
  });

  it('ends a grant by granting it again with validUntil: later milestones are refused', async () => {
    const admin = await f.who('BJ', 'admin');
    await f.ok(admin, 'issuers:Grant', [grant()]);
    const approver = await f.who('BJ', 'approver', 'HC');
    await f.ok(approver, 'milestones:Record', [anchorOf(milestone())]);
    await f.ok(admin, 'issuers:Grant', [grant({ validUntil: '2025-03-01T00:00:00+08:00' })]);
    await f.refused(
      approver,
      'milestones:Record',
      [anchorOf(milestone({ id: 'later' }))],
      'ISSUER_NOT_AUTHORISED',
    );
    await f.ok(approver, 'milestones:Record', [
      anchorOf(milestone({ id: 'earlier', decidedAt: '2025-02-01T09:00:00+08:00' })),
    ]);
  });

  it("checks every record of a batch against the grant's validity, each at its own time", async () => {
    const admin = await f.who('BJ', 'admin');
    await f.ok(admin, 'issuers:Grant', [grant({ validUntil: '2025-03-01T00:00:00+08:00' })]);
    const approver = await f.who('BJ', 'approver', 'HC');
    const inside = '2025-02-01T09:00:00+08:00';
    const batch = (ids: readonly string[], times: readonly string[]): string =>
      `[${ids.map((id, i) => anchorOf(milestone({ id, decidedAt: times[i] ?? inside }))).join(',')}]`;
    await f.ok(approver, 'milestones:RecordBatch', [batch(['b1', 'b2', 'b3'], [inside, inside, inside])]);
    const message = await f.refused(
      approver,
      'milestones:RecordBatch',
      [batch(['b4', 'b5', 'b6'], [inside, '2025-03-01T00:00:00+08:00', inside])],
      'ISSUER_NOT_AUTHORISED',
    );
    expect(message, 'the first record outside the grant').to.contain('at 2025-03-01T00:00:00+08:00');
  });
});

describe('credit contract', () => {
  let f: Fixture;
  beforeEach(async () => (f = await Fixture.create()));

  it("records evaluations by the region's credit centre and reports the standing", async () => {
    const credit = await f.who('BJ', 'approver', 'CREDIT');
    const res = await f.submit(credit, 'credit:Record', [creditAnchorOf(creditEvent())]);
    expect(res.validationCode).to.equal('VALID');
    expect(res.event?.eventName).to.equal(CHAINCODE_EVENTS.CreditRecorded);
    const standing = (await f.evaluate(credit, 'credit:Standing', [USCC.A])) as {
      conditionalAcceptanceAllowed: boolean;
      byRegion: unknown[];
    };
    expect(standing.conditionalAcceptanceAllowed).to.equal(true);
    expect(standing.byRegion).to.have.length(1);
  });

  it('keeps the latest evaluation per region, whatever the order they arrive in', async () => {
    const credit = await f.who('BJ', 'approver', 'CREDIT');
    await f.ok(credit, 'credit:Record', [
      creditAnchorOf(creditEvent({ id: 'late', level: 'C', evaluatedAt: '2025-02-01T00:00:00+08:00' })),
    ]);
    await f.ok(credit, 'credit:Record', [
      creditAnchorOf(creditEvent({ id: 'early', level: 'A', evaluatedAt: '2025-01-01T00:00:00+08:00' })),
    ]);
    const standing = (await f.evaluate(credit, 'credit:Standing', [USCC.A])) as {
      latest: { id: string };
      conditionalAcceptanceAllowed: boolean;
    };
    expect(standing.latest.id).to.equal('late');
    expect(standing.conditionalAcceptanceAllowed).to.equal(false);
    const history = (await f.evaluate(credit, 'credit:History', [USCC.A])) as { id: string }[];
    expect(history.map((h) => h.id)).to.deep.equal(['early', 'late']);
  });

  it('counts a dishonest listing by any region', async () => {
    await f.ok(await f.who('BJ', 'approver', 'CREDIT'), 'credit:Record', [
      creditAnchorOf(creditEvent({ evaluatedAt: '2025-03-01T00:00:00+08:00' })),
    ]);
    await f.ok(await f.who('TJ', 'approver', 'CREDIT'), 'credit:Record', [
      creditAnchorOf(creditEvent({ id: 'tj-1', region: 'TJ', dishonest: true, level: 'A' })),
    ]);
    const standing = (await f.evaluate(await f.who('HE', 'auditor'), 'credit:Standing', [USCC.A])) as {
      dishonest: boolean;
      conditionalAcceptanceAllowed: boolean;
    };
    expect(standing).to.include({ dishonest: true, conditionalAcceptanceAllowed: false });
  });

  it('is idempotent per id and commitment, refuses a conflicting repeat', async () => {
    const credit = await f.who('BJ', 'approver', 'CREDIT');
    await f.ok(credit, 'credit:Record', [creditAnchorOf(creditEvent())]);
    const again = await f.submit(credit, 'credit:Record', [creditAnchorOf(creditEvent())]);
    expect(again.simulation.readWriteSet.writes).to.have.length(0);
    const message = await f.refused(
      credit,
      'credit:Record',
      [creditAnchorOf(creditEvent({ level: 'D' }))],
      'RECORD_CONFLICT',
    );
    expect(message).to.match(
      /credit evaluation bj-credit-0001 is already anchored with commitment [0-9a-f]{64}; refused commitment [0-9a-f]{64}$/,
    );
  });

  it('refuses other departments, other regions and auditors', async () => {
    await f.refused(
      await f.who('BJ', 'approver', 'HC'),
      'credit:Record',
      [creditAnchorOf(creditEvent())],
      'FORBIDDEN_DEPARTMENT',
    );
    await f.refused(
      await f.who('TJ', 'approver', 'CREDIT'),
      'credit:Record',
      [creditAnchorOf(creditEvent())],
      'FORBIDDEN_REGION',
    );
    await f.refused(
      await f.who('BJ', 'auditor', 'CREDIT'),
      'credit:Record',
      [creditAnchorOf(creditEvent())],
      'FORBIDDEN_ROLE',
    );
  });

  it('refuses malformed evaluations naming the field', async () => {
    const credit = await f.who('BJ', 'approver', 'CREDIT');
    const bad = { ...(JSON.parse(creditAnchorOf(creditEvent())) as object), level: 'E' };
    expect(await f.refused(credit, 'credit:Record', [JSON.stringify(bad)], 'VALIDATION_FAILED')).to.contain(
      'anchor.level',
    );
    await f.refused(credit, 'credit:Standing', ['not-a-uscc'], 'VALIDATION_FAILED');
  });
});

describe('checkpoints contract', () => {
  let f: Fixture;
  beforeEach(async () => (f = await Fixture.create()));

  const checkpoint = (overrides: Record<string, unknown> = {}): string =>
    JSON.stringify({
      id: 'ckpt-bj-1',
      kind: 'blocks',
      region: 'BJ',
      fromBlock: 0,
      toBlock: 9,
      size: 10,
      root: 'c'.repeat(64),
      createdAt: '2025-03-10T09:00:00+08:00',
      ...overrides,
    });
  const anchor = (txHash = `0x${'d'.repeat(64)}`): string =>
    JSON.stringify({ chainId: 11155111, txHash, blockNumber: 123 });

  it('records a checkpoint and later its public-chain anchor', async () => {
    const admin = await f.who('BJ', 'admin');
    const res = await f.submit(admin, 'checkpoints:Record', [checkpoint()]);
    expect(res.validationCode).to.equal('VALID');
    expect(res.event?.eventName).to.equal(CHAINCODE_EVENTS.CheckpointRecorded);
    const anchored = await f.ok<{ anchor: { txHash: string } }>(admin, 'checkpoints:SetAnchor', [
      'ckpt-bj-1',
      anchor(),
    ]);
    expect(anchored.anchor.txHash).to.equal(`0x${'d'.repeat(64)}`);
    expect(await f.evaluate(await f.who('TJ', 'auditor'), 'checkpoints:Get', ['ckpt-bj-1'])).to.deep.include({
      root: 'c'.repeat(64),
    });
    expect(await f.evaluate(await f.who('TJ', 'auditor'), 'checkpoints:List', ['BJ'])).to.have.length(1);
  });

  it('is idempotent, and refuses another root or another anchor for the same checkpoint', async () => {
    const admin = await f.who('BJ', 'approver', 'HC');
    await f.ok(admin, 'checkpoints:Record', [checkpoint()]);
    await f.ok(admin, 'checkpoints:Record', [checkpoint()]);
    await f.refused(admin, 'checkpoints:Record', [checkpoint({ root: 'e'.repeat(64) })], 'RECORD_CONFLICT');
    await f.ok(admin, 'checkpoints:SetAnchor', ['ckpt-bj-1', anchor()]);
    await f.ok(admin, 'checkpoints:SetAnchor', ['ckpt-bj-1', anchor()]);
    await f.refused(
      admin,
      'checkpoints:SetAnchor',
      ['ckpt-bj-1', anchor(`0x${'f'.repeat(64)}`)],
      'RECORD_CONFLICT',
    );
  });

  it('refuses other regions, auditors, unknown checkpoints and malformed input', async () => {
    await f.refused(await f.who('TJ', 'admin'), 'checkpoints:Record', [checkpoint()], 'FORBIDDEN_REGION');
    await f.refused(await f.who('BJ', 'auditor'), 'checkpoints:Record', [checkpoint()], 'FORBIDDEN_ROLE');
    await f.refused(await f.who('BJ', 'authority'), 'checkpoints:Record', [checkpoint()], 'FORBIDDEN_ROLE');
    await f.refused(await f.who('BJ', 'admin'), 'checkpoints:SetAnchor', ['nope', anchor()], 'NOT_FOUND');
    expect(
      await f.refused(
        await f.who('BJ', 'admin'),
        'checkpoints:Record',
        [checkpoint({ size: 3 })],
        'VALIDATION_FAILED',
      ),
    ).to.contain('checkpoint.size');
    expect(
      await f.refused(
        await f.who('BJ', 'admin'),
        'checkpoints:SetAnchor',
        ['x', '{"chainId":1}'],
        'VALIDATION_FAILED',
      ),
    ).to.contain('anchor.txHash');
  });
});
