import { describe, expect, it } from 'vitest';
import { type RecognitionBoardEntry } from '@approval-ledger/protocol/api';
import { recognitionMatrix, recognitionsOf } from './recognition-matrix';

let n = 0;
const recognition = (
  sourceRegion: 'BJ' | 'TJ' | 'HE',
  targetRegion: 'BJ' | 'TJ' | 'HE',
  status: RecognitionBoardEntry['status'],
  requestedAt = `2025-03-0${(n % 9) + 1}T10:00:00+08:00`,
): RecognitionBoardEntry => ({
  id: `REC-${++n}`,
  subjectType: 'certificate',
  subjectId: `C-${n}`,
  sourceRegion,
  targetRegion,
  requestedAt,
  requestTxId: 'tx',
  status,
  decisionTxId: null,
  decidedAt: null,
  decision: null,
});

describe('recognitionMatrix', () => {
  const all = [
    recognition('BJ', 'TJ', 'PENDING', '2025-03-05T10:00:00+08:00'),
    recognition('BJ', 'TJ', 'PENDING', '2025-03-01T10:00:00+08:00'),
    recognition('BJ', 'TJ', 'RECOGNISED'),
    recognition('HE', 'BJ', 'SOURCE_REVOKED'),
    recognition('TJ', 'HE', 'REJECTED'),
  ];

  it('counts each source x target pair by status, with nothing on the diagonal', () => {
    const rows = recognitionMatrix(all);
    expect(rows.map((r) => r.source)).toEqual(['BJ', 'TJ', 'HE']);
    const bj = rows[0];
    expect(bj?.cells[0]).toBeUndefined();
    expect(bj?.cells[1]).toMatchObject({
      target: 'TJ',
      counts: { PENDING: 2, RECOGNISED: 1, REJECTED: 0, SOURCE_REVOKED: 0 },
      total: 3,
    });
    expect(rows[2]?.cells[0]?.counts.SOURCE_REVOKED).toBe(1);
    expect(rows[1]?.cells[2]?.counts.REJECTED).toBe(1);
    expect(rows[1]?.cells[0]?.total).toBe(0);
  });

  it('lists one cell’s requests of one status, oldest first', () => {
    const list = recognitionsOf(all, { source: 'BJ', target: 'TJ', status: 'PENDING' });
    expect(list.map((r) => r.requestedAt)).toEqual([
      '2025-03-01T10:00:00+08:00',
      '2025-03-05T10:00:00+08:00',
    ]);
  });
});
