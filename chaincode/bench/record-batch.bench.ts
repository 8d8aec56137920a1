/**
 * The chaincode's own cost per record of `milestones:RecordBatch`, beside a raw chaincode in the same process.
 *
 * Both run on fabric-shim's real stub over the Fabric-semantics in-memory network (`@approval-ledger/fabric-engine`),
 * the same records, the same transaction sizes (1, 50, 500 milestones). RAW is the baseline of the Fabric
 * throughput method (hub/README, "ledger on Fabric"): a minimal fabric-shim chaincode that writes each record of
 * a JSON array with one PutState; RAW+READ also reads each record's key first. PROJECT is this package's contracts, as a peer runs them. Measured per record:
 * CPU around the chaincode's `Invoke` (the shim calls into the in-memory peer included, which are cheap here and
 * gRPC messages on a real peer: read the shim-call counts for those), the response and event bytes a
 * transaction carries, and the shim calls. Medians over rounds; the ratio is raw / project.
 *
 * Run: `npm run bench -- chaincode` (from the root), or `node -r ts-node/register/transpile-only
 * bench/record-batch.bench.ts` here; BENCH_QUICK=1 for a short run. One JSON object per line.
 */
process.env.CORE_CHAINCODE_LOGGING_LEVEL ??= 'CRITICAL';
import { cpus } from 'node:os';
import { toMilestoneAnchor } from '@approval-ledger/protocol';
import { Shim, type ChaincodeInterface, type ChaincodeStub } from 'fabric-shim';
import { Fixture, milestone, SALT } from '../test/support/fixture';
import * as chaincode from '../src/index';

const QUICK = process.env.BENCH_QUICK === '1';
const SIZES = [1, 50, 500] as const;
const RECORDS = QUICK ? 2_000 : 20_000;

/**
 * The raw baseline: one PutState per record of a JSON array, nothing else; with `read`, one GetState of the
 * record's key first (the existence check any first-write-wins rule needs, which the raw baseline does not make).
 */
function rawChaincode(read: boolean): ChaincodeInterface {
  return {
    Init: () => Promise.resolve(Shim.success()),
    async Invoke(stub: ChaincodeStub) {
      const [arg] = stub.getFunctionAndParameters().params;
      for (const record of JSON.parse(arg ?? '[]') as { id: string }[]) {
        const key = `raw~${record.id}`;
        if (read && (await stub.getState(key)).length > 0) continue;
        await stub.putState(key, Buffer.from(JSON.stringify(record)));
      }
      return Shim.success();
    },
  };
}

interface Meter {
  cpuMicros: number;
  shimCalls: number;
}

/**
 * Wraps a chaincode so that its Invoke's CPU time and the messages it sends the peer are counted: every call of
 * the stub's handler (a GET_STATE, PUT_STATE, GET_STATE_MULTIPLE, WRITE_BATCH_STATE, GET_STATE_BY_RANGE,
 * QUERY_STATE_CLOSE ... on a real peer), after the chaincode's own batching.
 */
function metered(cc: ChaincodeInterface, meter: Meter): ChaincodeInterface {
  return {
    Init: (stub) => cc.Init(stub),
    async Invoke(stub) {
      const withHandler = stub as ChaincodeStub & { handler: object };
      const handler = withHandler.handler;
      withHandler.handler = new Proxy(handler, {
        get(target, property) {
          const value = Reflect.get(target, property, target) as unknown;
          if (typeof value !== 'function') return value;
          const fn = value as (...a: unknown[]) => unknown;
          if (!String(property).startsWith('handle')) return fn.bind(target);
          return (...args: unknown[]) => {
            meter.shimCalls++;
            return fn.apply(target, args);
          };
        },
      });
      const start = process.cpuUsage();
      try {
        return await cc.Invoke(stub);
      } finally {
        const used = process.cpuUsage(start);
        meter.cpuMicros += used.user + used.system;
      }
    },
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function emit(metric: string, value: number, unit: string, context: Record<string, unknown>): void {
  const rounded = Math.round(value * 100) / 100;
  process.stdout.write(
    `${JSON.stringify({ bench: 'chaincode', metric, value: rounded, unit, ...context, cores: cpus().length })}\n`,
  );
}

let serial = 0;
function batchOf(size: number): string {
  return JSON.stringify(
    Array.from({ length: size }, () => {
      const n = ++serial;
      const id = `bj-hc-${String(n).padStart(8, '0')}`;
      return toMilestoneAnchor(
        milestone({ id, source: { system: 'bj-hc-permits', recordId: `P-${n}`, version: 1 } }),
        SALT,
      );
    }),
  );
}

interface Side {
  readonly f: Fixture;
  readonly meter: Meter;
  readonly fcn: string;
}

async function side(cc: ChaincodeInterface, fcn: string): Promise<Side> {
  const meter: Meter = { cpuMicros: 0, shimCalls: 0 };
  const original = chaincode.createChaincode;
  // the fixture builds its network from createChaincode(): hand it the metered chaincode of this side
  (chaincode as { createChaincode: () => ChaincodeInterface }).createChaincode = () => metered(cc, meter);
  try {
    const f = await Fixture.create({ chaincodeName: 'approval-beijing' });
    return { f, meter, fcn };
  } finally {
    (chaincode as { createChaincode: typeof original }).createChaincode = original;
  }
}

async function round(s: Side, size: number) {
  const who = await s.f.who('BJ', 'approver', 'HC');
  s.meter.cpuMicros = 0;
  s.meter.shimCalls = 0;
  const res = await s.f.submit(who, s.fcn, [batchOf(size)]);
  if (res.status !== 200 || res.validationCode !== 'VALID')
    throw new Error(`${s.fcn}: ${res.status} ${res.validationCode} ${res.message}`);
  return {
    cpu: s.meter.cpuMicros / size,
    calls: s.meter.shimCalls / size,
    response: Buffer.byteLength(res.payload) / size,
    event: (res.event?.payload.length ?? 0) / size,
  };
}

async function main(): Promise<void> {
  const project = await side(chaincode.createChaincode(), 'milestones:RecordBatch');
  await project.f.grant('BJ', 'HC', ['CONSTRUCTION_PERMIT']);
  const baseline = await side(rawChaincode(false), 'RecordBatch');
  const reading = await side(rawChaincode(true), 'RecordBatch');
  for (const size of SIZES) {
    const rounds = Math.max(5, Math.floor(RECORDS / size / 2));
    const p: Awaited<ReturnType<typeof round>>[] = [];
    const r: Awaited<ReturnType<typeof round>>[] = [];
    const rr: Awaited<ReturnType<typeof round>>[] = [];
    for (const s of [project, baseline, reading]) await round(s, size); // warm-up
    for (let i = 0; i < rounds; i++) {
      // alternating, so that a change in the machine's load hits both sides alike
      r.push(await round(baseline, size));
      p.push(await round(project, size));
      rr.push(await round(reading, size));
    }
    const context = { batch: size, rounds };
    const rawCpu = median(r.map((x) => x.cpu));
    const projectCpu = median(p.map((x) => x.cpu));
    emit('chaincode_cpu_per_record.project', projectCpu, 'µs', context);
    emit('chaincode_cpu_per_record.raw', rawCpu, 'µs', context);
    emit('chaincode_cpu_per_record.raw_read', median(rr.map((x) => x.cpu)), 'µs', context);
    emit('chaincode_cpu_ratio.raw_over_project', rawCpu / projectCpu, 'ratio', context);
    emit('shim_calls_per_record.project', median(p.map((x) => x.calls)), 'calls', context);
    emit('shim_calls_per_record.raw', median(r.map((x) => x.calls)), 'calls', context);
    emit('shim_calls_per_record.raw_read', median(rr.map((x) => x.calls)), 'calls', context);
    emit('response_bytes_per_record.project', median(p.map((x) => x.response)), 'B', context);
    emit('event_bytes_per_record.project', median(p.map((x) => x.event)), 'B', context);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
