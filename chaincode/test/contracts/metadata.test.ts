import { expect } from 'chai';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { contracts } from '../../src/index';
import { serverOptions } from '../../src/serve';
import { Fixture } from '../support/fixture';

interface Metadata {
  contracts: Record<
    string,
    {
      transactions: {
        name: string;
        tag: string[];
        parameters?: { name: string; schema: { type: string } }[];
        returns?: { type: string };
      }[];
    }
  >;
}

const EXPECTED: Record<string, Record<string, string[]>> = {
  milestones: {
    Record: ['anchor'],
    RecordBatch: ['anchors'],
    Get: ['id'],
    History: ['id'],
  },
  certificates: {
    Issue: ['anchor'],
    Revoke: ['revocation'],
    Get: ['number'],
    Verify: ['number', 'sha256'],
    ValidAt: ['number', 'at'],
    History: ['number'],
  },
  issuers: { Grant: ['grant'], List: ['region', 'dept'] },
  credit: { Record: ['anchor'], Standing: ['uscc'], History: ['uscc'] },
  recognition: {
    Request: ['request'],
    Decide: ['decision'],
    Get: ['id'],
    List: ['source', 'target', 'status'],
    RegisterSigner: ['registration'],
    RotateSigner: ['oldAddress', 'registration'],
    RevokeSigner: ['region', 'address'],
    GetSigner: ['region', 'address'],
    ListSigners: ['region'],
  },
  checkpoints: { Record: ['checkpoint'], SetAnchor: ['id', 'anchor'], Get: ['id'], List: ['region'] },
  state: { Get: ['type', 'attributes'], List: ['type', 'partial'] },
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory()
      ? sources(path)
      : path.endsWith('.ts') && !path.endsWith('.test.ts')
        ? [path]
        : [];
  });
}

describe('chaincode packaging', () => {
  it('lists every transaction with its parameters in org.hyperledger.fabric:GetMetadata', async () => {
    const f = await Fixture.create();
    const metadata = (await f.evaluate(
      await f.who('BJ', 'auditor'),
      'org.hyperledger.fabric:GetMetadata',
      [],
    )) as Metadata;
    for (const [contract, transactions] of Object.entries(EXPECTED)) {
      const listed = metadata.contracts[contract]?.transactions ?? [];
      expect(listed.map((t) => t.name).sort(), contract).to.deep.equal(Object.keys(transactions).sort());
      for (const tx of listed) {
        expect(
          tx.parameters?.map((p) => p.name),
          `${contract}:${tx.name}`,
        ).to.deep.equal(transactions[tx.name]);
        expect(tx.parameters?.every((p) => p.schema.type === 'string')).to.equal(true);
        expect(tx.returns?.type).to.equal('string');
      }
    }
    const submit = metadata.contracts.milestones!.transactions.find((t) => t.name === 'Record')!;
    const evaluate = metadata.contracts.milestones!.transactions.find((t) => t.name === 'Get')!;
    expect(submit.tag).to.include('SUBMIT');
    expect(evaluate.tag).to.include('EVALUATE');
  });

  it('exports the contracts for fabric-chaincode-node, milestones first (the default contract)', () => {
    expect(contracts).to.have.length(7);
    expect(new contracts[0]!().getName()).to.equal('milestones');
  });

  it('routes a call without a contract name to the default contract', async () => {
    const f = await Fixture.create();
    await f.refused(await f.who('BJ', 'auditor'), 'Get', ['nope'], 'NOT_FOUND');
  });

  it('answers an unknown transaction with an error', async () => {
    const f = await Fixture.create();
    const res = await f.submit(await f.who('BJ', 'auditor'), 'milestones:Delete', ['x']);
    expect(res.status).to.equal(500);
    expect(res.message).to.contain('does not exist');
  });

  it('keeps the contracts deterministic: no clock, no randomness, no CouchDB queries', () => {
    for (const file of [
      ...sources(join(__dirname, '../../src/contracts')),
      ...sources(join(__dirname, '../../src/services')),
      ...sources(join(__dirname, '../../src/rules')),
      ...sources(join(__dirname, '../../src/ledger')),
    ]) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).to.not.match(/Date\.now|new Date\(\)|Math\.random|randomBytes|getQueryResult/);
    }
  });

  it('needs CHAINCODE_ID and CHAINCODE_SERVER_ADDRESS to serve, and says so', () => {
    expect(() => serverOptions({})).to.throw(/CHAINCODE_ID and CHAINCODE_SERVER_ADDRESS must be set/);
    expect(() => serverOptions({ CHAINCODE_ID: 'x' })).to.throw(/CHAINCODE_SERVER_ADDRESS must be set/);
    expect(
      serverOptions({ CHAINCODE_ID: 'approval-ledger:abc', CHAINCODE_SERVER_ADDRESS: '0.0.0.0:9999' }),
    ).to.deep.equal({ ccid: 'approval-ledger:abc', address: '0.0.0.0:9999' });
    expect(() =>
      serverOptions({ CHAINCODE_ID: 'x', CHAINCODE_SERVER_ADDRESS: 'y', CHAINCODE_TLS_KEY_FILE: '/k' }),
    ).to.throw(/together/);
  });
});
