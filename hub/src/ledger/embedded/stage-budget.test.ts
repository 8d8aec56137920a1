import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { KV_CHAINCODE } from '../../../test/support/kv-contract';
import { EmbeddedLedger } from './embedded-ledger';

const BJ = { region: 'BJ', role: 'admin' } as const;
const COMMITTING_STAGES = [
  'order',
  'validate',
  'commit.envelopes',
  'commit.block',
  'commit.state',
  'commit.history',
  'commit.sqlite',
];

describe('the embedded ledger stage budget', function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  const dir = (): string => {
    const made = mkdtempSync(join(tmpdir(), 'stage-budget-'));
    dirs.push(made);
    return made;
  };
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('is empty unless asked for', async () => {
    const ledger = await EmbeddedLedger.open({
      dataDir: dir(),
      chaincode: KV_CHAINCODE,
      endorsementWorkers: 0,
    });
    try {
      await ledger.submit(BJ, 'kv:Put', ['a', '1']);
      expect(await ledger.stageBudget()).to.deep.equal({});
    } finally {
      await ledger.close();
    }
  });

  for (const endorsementWorkers of [0, 1]) {
    it(`adds up every stage of a commit, endorsement ${endorsementWorkers ? 'on a worker thread' : 'in-process'}, and starts afresh on reset`, async () => {
      const ledger = await EmbeddedLedger.open({
        dataDir: dir(),
        chaincode: KV_CHAINCODE,
        endorsementWorkers,
        measureStages: true,
        batch: { cutWhenIdle: true },
      });
      try {
        for (let i = 0; i < 5; i++) await ledger.submit(BJ, 'kv:Put', [`k${i}`, 'v']);
        const budget = await ledger.stageBudget(true);
        const expected = [
          ...COMMITTING_STAGES,
          'main.other',
          'endorse.sign',
          ...(endorsementWorkers ? ['endorse.ipc', 'endorse.simulate'] : []),
        ];
        expect(Object.keys(budget)).to.have.members(expected);
        for (const stage of COMMITTING_STAGES) expect(budget[stage], stage).to.be.at.least(0);
        const spent = Object.values(budget).reduce((a, b) => a + b, 0);
        expect(spent, 'five transactions cost some CPU').to.be.above(0);
        const afresh = await ledger.stageBudget();
        expect(afresh.order ?? 0, 'no block since the reset').to.equal(0);
        expect(afresh['commit.block'] ?? 0).to.equal(0);
      } finally {
        await ledger.close();
      }
    });
  }
});
