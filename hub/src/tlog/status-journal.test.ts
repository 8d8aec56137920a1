import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type StatusEntry, StatusTree, bytesToHex } from '@approval-ledger/protocol';
import { expect } from 'chai';
import { TempDirs } from '../../test/support/temp-dirs';
import { StatusJournal } from './status-journal';

const cert = (id: string, block: number): StatusEntry => ({
  kind: 'certificate',
  id,
  status: 'REVOKED',
  txId: `tx-${id}`,
  block,
});

describe('status journal: the status trees the checkpoints committed to, across restarts', () => {
  const dirs = new TempDirs();
  after(() => dirs.removeAll());

  it('rebuilds the tree of an earlier checkpoint exactly, whatever was learnt since', () => {
    const path = join(dirs.make('status-'), 'status.jsonl');
    const journal = StatusJournal.open(path);
    expect(journal.record(10, [cert('A', 3), cert('C', 7)])).to.equal(2);
    const at10 = bytesToHex(journal.treeAt(10).root());
    expect(journal.record(20, [cert('A', 3), cert('B', 15), cert('C', 7)])).to.equal(1);
    expect(bytesToHex(journal.treeAt(10).root())).to.equal(at10);
    expect(journal.treeAt(20).size).to.equal(3);
    const reopened = StatusJournal.open(path);
    expect(bytesToHex(reopened.treeAt(10).root())).to.equal(at10);
    expect(bytesToHex(reopened.treeAt(20).root())).to.equal(
      bytesToHex(new StatusTree([cert('A', 3), cert('B', 15), cert('C', 7)]).root()),
    );
  });

  it('cuts off a line torn by kill -9 and goes on appending after it', () => {
    const path = join(dirs.make('status-'), 'status.jsonl');
    StatusJournal.open(path).record(5, [cert('A', 1)]);
    appendFileSync(path, '{"at":9,"entry":{"kind":"certif');
    const journal = StatusJournal.open(path);
    expect(journal.size).to.equal(1);
    expect(readFileSync(path, 'utf8').endsWith('}\n')).to.equal(true);
    journal.record(9, [cert('B', 8)]);
    expect(StatusJournal.open(path).treeAt(9).size).to.equal(2);
  });

  it('keeps the first entry of a key: a later, different revocation changes nothing committed', () => {
    const path = join(dirs.make('status-'), 'status.jsonl');
    const journal = StatusJournal.open(path);
    journal.record(5, [cert('A', 1)]);
    expect(journal.record(6, [{ ...cert('A', 4), txId: 'other' }])).to.equal(0);
    expect(journal.treeAt(6).get('certificate', 'A')?.txId).to.equal('tx-A');
  });

  it('refuses an entry that is not well formed, naming the field, and writes nothing', () => {
    const path = join(dirs.make('status-'), 'status.jsonl');
    writeFileSync(path, '');
    const journal = StatusJournal.open(path);
    expect(() => journal.record(5, [{ ...cert('A', 1), block: -2 }])).to.throw(/block/);
    expect(readFileSync(path, 'utf8')).to.equal('');
  });
});
