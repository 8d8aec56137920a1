/**
 * Completing corrections against the real off-chain store (SQLite in a temp dir): an adapter's correction
 * becomes version n + 1 of the newest pending or anchored version, chains within a batch, and a re-delivery
 * is taken as stored.
 */
import { type Certificate, type Envelope } from '@approval-ledger/protocol';
import { expect } from 'chai';
import { type Store, newRecordFromEnvelope } from '../store';
import { useStoreBackend } from '../../test/store-fixtures';
import { certificate, envelopeOf } from '../../test/support/records';
import { newRecordsWithCorrections } from './correction-resolver';
import { rounds } from './ingest-pipeline';

const NUMBER = '110105202603100101';

function version(n: number, change: Partial<Certificate> = {}, reason = '更正有效期'): Envelope {
  const base = certificate(NUMBER);
  const record: Certificate = {
    ...base,
    ...change,
    source: { ...base.source, version: n },
    ...(n > 1 ? { correctionReason: reason } : {}),
  };
  return envelopeOf(record, 'certificate');
}

describe('correction resolver', () => {
  const backend = useStoreBackend('sqlite');
  let store: Store;

  beforeEach(async () => {
    store = await backend.open();
  });

  it('makes an adapter correction version n + 1 of the stored current version, naming its commitment', async () => {
    const [v1] = await store.records.insertPendingBatch([newRecordFromEnvelope(version(1))]);
    const [v2] = await newRecordsWithCorrections(store.records, [
      version(2, { validUntil: '2036-03-10T00:00:00+08:00' }),
    ]);
    expect(v2?.record).to.include({
      version: 2,
      corrects: v1?.stored.commitment,
      correctionReason: '更正有效期',
    });
  });

  it('chains several versions of one key within a batch, in order', async () => {
    await store.records.insertPendingBatch([newRecordFromEnvelope(version(1))]);
    const [v2, v3] = await newRecordsWithCorrections(store.records, [
      version(2, { validUntil: '2036-03-10T00:00:00+08:00' }),
      version(3, { validUntil: '2037-03-10T00:00:00+08:00' }),
    ]);
    expect(v3?.record).to.include({ version: 3, corrects: v2?.commitment });
  });

  it('takes a re-delivered correction as stored, so the store answers duplicate', async () => {
    await store.records.insertPendingBatch([newRecordFromEnvelope(version(1))]);
    const first = await newRecordsWithCorrections(store.records, [
      version(2, { validUntil: '2036-03-10T00:00:00+08:00' }),
    ]);
    await store.records.insertPendingBatch(first);
    await store.records.insertPendingBatch([
      newRecordFromEnvelope(version(3, { validUntil: '2037-03-10T00:00:00+08:00' })),
    ]);
    const again = await newRecordsWithCorrections(store.records, [
      version(2, { validUntil: '2036-03-10T00:00:00+08:00' }),
    ]);
    const [outcome] = await store.records.insertPendingBatch(again);
    expect(outcome?.outcome).to.equal('duplicate');
    expect(outcome?.stored.record).to.include({ version: 2 });
  });

  it('makes a later source version of the same legacy record version n + 1 without a reason from the adapter', async () => {
    const [v1] = await store.records.insertPendingBatch([newRecordFromEnvelope(version(1))]);
    const update = version(7, { validUntil: '2036-03-10T00:00:00+08:00' }, '');
    const { correctionReason: _none, ...plain } = (update as { record: Certificate }).record;
    const [v2] = await newRecordsWithCorrections(store.records, [envelopeOf(plain, 'certificate')]);
    expect(v2?.record).to.include({ version: 2, corrects: v1?.stored.commitment });
    expect((v2?.record as Certificate).correctionReason).to.match(
      /^更正：来源记录 .+ 已更新（来源版本 1 → 7）$/,
    );
    // its re-delivery is the record as stored: the store answers duplicate
    await store.records.insertPendingBatch([v2!]);
    const again = await newRecordsWithCorrections(store.records, [envelopeOf(plain, 'certificate')]);
    const [outcome] = await store.records.insertPendingBatch(again);
    expect(outcome?.outcome).to.equal('duplicate');
    expect(outcome?.stored.record).to.include({ version: 2 });
  });

  it('leaves another legacy record claiming the same key, or an older source version, a first version', async () => {
    await store.records.insertPendingBatch([newRecordFromEnvelope(version(5))]);
    const base = certificate(NUMBER);
    const other: Certificate = { ...base, source: { ...base.source, recordId: 'another-row', version: 9 } };
    const older: Certificate = {
      ...base,
      validUntil: '2036-03-10T00:00:00+08:00',
      source: { ...base.source, version: 3 },
    };
    const rows = await newRecordsWithCorrections(store.records, [
      envelopeOf(other, 'certificate'),
      envelopeOf(older, 'certificate'),
    ]);
    for (const row of rows)
      expect(row.record).to.not.have.any.keys('version', 'corrects', 'correctionReason');
  });

  it('leaves a correction of a key it never stored a first version', async () => {
    const [only] = await newRecordsWithCorrections(store.records, [version(2)]);
    expect(only?.record).to.not.have.any.keys('version', 'corrects');
  });
});

describe('anchoring rounds', () => {
  it('puts each key once per round, in order', () => {
    const keys = ['a', 'b', 'a', 'c', 'a', 'b'];
    expect(rounds([0, 1, 2, 3, 4, 5], (i) => keys[i] as string)).to.deep.equal([[0, 1, 3], [2, 5], [4]]);
  });
});
