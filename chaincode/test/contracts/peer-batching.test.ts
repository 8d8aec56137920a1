// The chaincode on a peer that offers Fabric 3.1's batched calls and on one that does not (2.x): the same
// transactions read and write exactly the same keys, versions and values; only the number of messages differs.
import { toMilestoneAnchor, type Milestone } from '@approval-ledger/protocol';
import { FABRIC_2_BATCHING, FABRIC_3_1_BATCHING, type PeerBatching } from '@approval-ledger/fabric-engine';
import { expect } from 'chai';
import type { ChaincodeInterface, ChaincodeStub } from 'fabric-shim';
import { Fixture, SALT, digest, milestone } from '../support/fixture';

interface Watched {
  readonly f: Fixture;
  /** The peer calls of the last transaction, by handler method. */
  readonly calls: Map<string, number>;
  /** The sizes of the last transaction's GET_STATE_MULTIPLE and WRITE_BATCH_STATE messages. */
  readonly sizes: { read: number[]; write: number[] };
  /** Every transaction submitted through `both`, in order. */
  readonly txIds: string[];
}

/** A fixture whose chaincode's calls to the peer are counted, per transaction. */
async function watched(batching: PeerBatching): Promise<Watched> {
  const calls = new Map<string, number>();
  const sizes = { read: [] as number[], write: [] as number[] };
  const wrap = (chaincode: ChaincodeInterface): ChaincodeInterface => ({
    Init: (stub) => chaincode.Init(stub),
    Invoke: (stub: ChaincodeStub) => {
      calls.clear();
      sizes.read = [];
      sizes.write = [];
      const withHandler = stub as ChaincodeStub & { handler: object };
      const handler = withHandler.handler;
      withHandler.handler = new Proxy(handler, {
        get(target, property) {
          const value: unknown = Reflect.get(target, property, target);
          if (typeof value !== 'function') return value;
          const fn = value as (...args: unknown[]) => unknown;
          if (typeof property !== 'string' || !property.startsWith('handle')) return fn.bind(target);
          return (...args: unknown[]) => {
            calls.set(property, (calls.get(property) ?? 0) + 1);
            if (property === 'handleGetStateMultiple') sizes.read.push((args[1] as string[]).length);
            if (property === 'handleWriteBatch') sizes.write.push((args[0] as unknown[]).length);
            return fn.apply(target, args);
          };
        },
      });
      return chaincode.Invoke(stub);
    },
  });
  const f = await Fixture.create({ batching, wrap });
  await f.grant('BJ', 'HC', ['CONSTRUCTION_PERMIT']);
  return { f, calls, sizes, txIds: [] };
}

const permit = (n: number, overrides: Partial<Milestone> = {}): Milestone =>
  milestone({
    id: `bj-hc-${String(n).padStart(4, '0')}`,
    documents: [{ name: '施工许可证.pdf', sha256: digest(`permit-${n}`) }],
    source: { system: 'bj-hc-permits', recordId: `P-${n}`, version: 1 },
    ...overrides,
  });
const batch = (ms: readonly Milestone[]): string => JSON.stringify(ms.map((m) => toMilestoneAnchor(m, SALT)));
const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Text with each transaction id of this network (they differ between networks) named by its order. */
function numbered(txIds: readonly string[], text: string): string {
  return txIds.reduce((out, txId, i) => out.split(txId).join(`<tx ${i}>`), text);
}

/** What a transaction read and wrote, with transaction ids numbered. */
function effect(txIds: readonly string[], rwset: unknown): string {
  return JSON.stringify(rwset, (_key, value: unknown) =>
    value instanceof Uint8Array ? numbered(txIds, Buffer.from(value).toString('utf8')) : value,
  );
}

describe('the chaincode on a Fabric 3.1 peer (batched calls) and on a Fabric 2.x peer', () => {
  let three: Watched;
  let two: Watched;

  before(async () => {
    three = await watched(FABRIC_3_1_BATCHING);
    two = await watched(FABRIC_2_BATCHING);
  });

  async function both(fcn: string, args: string[]): Promise<{ status: number; message: string }> {
    const submit = async ({ f }: Watched) => f.submit(await f.who('BJ', 'approver', 'HC'), fcn, args);
    const [r3, r2] = await Promise.all([submit(three), submit(two)]);
    expect(r3.status, r3.message).to.equal(r2.status);
    expect(r3.message).to.equal(r2.message);
    expect(r3.validationCode).to.equal(r2.validationCode);
    three.txIds.push(r3.txId);
    two.txIds.push(r2.txId);
    // a refused proposal's read-write set is never endorsed: only an endorsable one must be the same
    if (r3.status < 400)
      expect(effect(three.txIds, r3.simulation.readWriteSet)).to.equal(
        effect(two.txIds, r2.simulation.readWriteSet),
      );
    expect(numbered(three.txIds, r3.payload)).to.equal(numbered(two.txIds, r2.payload));
    return r3;
  }

  it('records 500 new milestones with one GET_STATE_MULTIPLE and one WRITE_BATCH_STATE instead of 1,000 calls', async () => {
    const res = await both('milestones:RecordBatch', [batch(range(1, 500).map((n) => permit(n)))]);
    expect(res.status).to.equal(200);
    // outside the namespace plan each new key also gets its key-level policy: 500 values + 500 policies
    expect(three.sizes).to.deep.equal({ read: [500], write: [1000] });
    expect(three.calls.get('handleGetState')).to.equal(undefined);
    expect(three.calls.get('handlePutState')).to.equal(undefined);
    expect(two.calls.get('handleGetState')).to.equal(500);
    expect(two.calls.get('handlePutState')).to.equal(500);
    expect(two.calls.get('handlePutStateMetadata')).to.equal(500);
    expect(two.calls.get('handleGetStateMultiple')).to.equal(undefined);
    expect(two.calls.get('handleWriteBatch')).to.equal(undefined);
  });

  it('answers repeats and records new ones in one batch alike on both', async () => {
    const res = await both('milestones:RecordBatch', [batch(range(251, 750).map((n) => permit(n)))]);
    expect(res.status).to.equal(200);
    expect(three.sizes).to.deep.equal({ read: [500], write: [500] });
  });

  it('chains a correction and a revocation, and refuses a conflicting first version, alike on both', async () => {
    const c1 = toMilestoneAnchor(permit(1), SALT).commitment;
    const corrected = permit(1, {
      version: 2,
      corrects: c1,
      correctionReason: '更正合同金额',
      details: { contractAmountWanYuan: 1201 },
      source: { system: 'bj-hc-permits', recordId: 'P-1', version: 2 },
    });
    const revoked = permit(900, { decision: 'REVOKED' });
    expect((await both('milestones:RecordBatch', [batch([corrected, revoked])])).status).to.equal(200);
    const conflicting = permit(2, { documents: [{ name: '施工许可证.pdf', sha256: digest('other') }] });
    const refused = await both('milestones:RecordBatch', [batch([permit(901), conflicting])]);
    expect(refused.status).to.equal(500);
    expect(refused.message).to.match(/^RECORD_CONFLICT: /);
  });
});
