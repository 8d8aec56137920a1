import { expect } from 'chai';
import {
  START,
  captureChanges,
  gxsjOfVersion,
  rowVersion,
  type HcCheckpoint,
  type ObservedRow,
} from './change-capture';

const options = { overlapSeconds: 2, maxRemembered: 100 };
const T = 1_743_472_800; // 2025-04-01 10:00:00 +08:00

function run(previous: HcCheckpoint, rows: ObservedRow[]) {
  return captureChanges(previous, rows, options);
}

describe('hc-mysql change capture on (GXSJ, ID) with one-second stamps', () => {
  it('publishes new rows at revision 0 and moves the checkpoint to the last (GXSJ, ID)', () => {
    const { verdicts, checkpoint } = run(START, [
      { id: 1, gxsj: T, hash: 'a' },
      { id: 2, gxsj: T, hash: 'b' },
    ]);
    expect(verdicts).to.deep.equal([
      { id: 1, changed: true, version: rowVersion(T, 0), updated: false },
      { id: 2, changed: true, version: rowVersion(T, 0), updated: false },
    ]);
    expect(checkpoint).to.deep.equal({ gxsj: T, id: 2, seen: { '1': [T, 'a', 0], '2': [T, 'b', 0] } });
  });

  it('skips a row re-read unchanged in the overlap window', () => {
    const first = run(START, [{ id: 1, gxsj: T, hash: 'a' }]).checkpoint;
    const { verdicts, checkpoint } = run(first, [{ id: 1, gxsj: T, hash: 'a' }]);
    expect(verdicts[0]?.changed).to.be.false;
    expect(checkpoint).to.deep.equal(first);
  });

  it('catches a row of lower ID changed again within the checkpoint second, at the next revision', () => {
    const first = run(START, [
      { id: 1, gxsj: T, hash: 'a' },
      { id: 2, gxsj: T, hash: 'b' },
    ]).checkpoint;
    const { verdicts, checkpoint } = run(first, [
      { id: 1, gxsj: T, hash: 'a2' },
      { id: 2, gxsj: T, hash: 'b' },
    ]);
    expect(verdicts.map((v) => [v.id, v.changed, v.version, v.updated])).to.deep.equal([
      [1, true, rowVersion(T, 1), true],
      [2, false, rowVersion(T, 0), false],
    ]);
    expect(checkpoint.seen['1']).to.deep.equal([T, 'a2', 1]);
    expect(checkpoint.id).to.equal(2, 'the position does not move back');
  });

  it('treats a later update stamp as a new change at revision 0, an update of the row it remembers', () => {
    const first = run(START, [{ id: 1, gxsj: T, hash: 'a' }]).checkpoint;
    const { verdicts, checkpoint } = run(first, [{ id: 1, gxsj: T + 5, hash: 'a' }]);
    expect(verdicts[0]).to.deep.equal({ id: 1, changed: true, version: rowVersion(T + 5, 0), updated: true });
    expect(checkpoint).to.deep.include({ gxsj: T + 5, id: 1 });
  });

  it('forgets rows that fall out of the overlap window', () => {
    const first = run(START, [{ id: 1, gxsj: T, hash: 'a' }]).checkpoint;
    const { checkpoint } = run(first, [{ id: 2, gxsj: T + 2, hash: 'b' }]);
    expect(Object.keys(checkpoint.seen)).to.deep.equal(['2']);
    const kept = run(first, [{ id: 2, gxsj: T + 1, hash: 'b' }]).checkpoint;
    expect(Object.keys(kept.seen).sort()).to.deep.equal(['1', '2']);
  });

  it('over the cap, keeps same-second revisions first, then the newest', () => {
    const rows = Array.from({ length: 5 }, (_, i) => ({ id: i + 1, gxsj: T, hash: `h${i}` }));
    const first = captureChanges(START, rows, { overlapSeconds: 2, maxRemembered: 3 }).checkpoint;
    expect(Object.keys(first.seen)).to.have.length(3);
    const withRevision = captureChanges(
      { gxsj: T, id: 5, seen: { '9': [T, 'x', 0] } },
      [{ id: 9, gxsj: T, hash: 'y' }, ...rows.slice(0, 3).map((r) => ({ ...r, gxsj: T + 1 }))],
      { overlapSeconds: 2, maxRemembered: 2 },
    ).checkpoint;
    expect(withRevision.seen['9']).to.deep.equal([T, 'y', 1]);
  });

  it('encodes GXSJ in the version (epoch milliseconds) and back', () => {
    expect(rowVersion(T, 3)).to.equal(T * 1000 + 3);
    expect(gxsjOfVersion(rowVersion(T, 3))).to.equal(T);
  });
});
