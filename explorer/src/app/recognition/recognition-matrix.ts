import { REGION_CODES, type RegionCode, type RecognitionStatus } from '@approval-ledger/protocol';
import { type RecognitionBoardEntry } from '@approval-ledger/protocol/api';

export const RECOGNITION_STATUSES: readonly RecognitionStatus[] = [
  'PENDING',
  'RECOGNISED',
  'REJECTED',
  'SOURCE_REVOKED',
];

export interface MatrixCell {
  readonly source: RegionCode;
  readonly target: RegionCode;
  readonly counts: Readonly<Record<RecognitionStatus, number>>;
  readonly total: number;
}

export interface MatrixRow {
  readonly source: RegionCode;
  /** One entry per target region, in REGION_CODES order; undefined on the diagonal. */
  readonly cells: readonly (MatrixCell | undefined)[];
}

/** The Beijing-Tianjin-Hebei source x target matrix of recognition counts by status. */
export function recognitionMatrix(recognitions: readonly RecognitionBoardEntry[]): MatrixRow[] {
  const counts = new Map<string, Record<RecognitionStatus, number>>();
  for (const r of recognitions) {
    const key = `${r.sourceRegion}>${r.targetRegion}`;
    const cell = counts.get(key) ?? { PENDING: 0, RECOGNISED: 0, REJECTED: 0, SOURCE_REVOKED: 0 };
    cell[r.status] += 1;
    counts.set(key, cell);
  }
  return REGION_CODES.map((source) => ({
    source,
    cells: REGION_CODES.map((target) => {
      if (source === target) return undefined;
      const cell = counts.get(`${source}>${target}`) ?? {
        PENDING: 0,
        RECOGNISED: 0,
        REJECTED: 0,
        SOURCE_REVOKED: 0,
      };
      return { source, target, counts: cell, total: Object.values(cell).reduce((a, b) => a + b, 0) };
    }),
  }));
}

export interface CellSelection {
  readonly source: RegionCode;
  readonly target: RegionCode;
  readonly status: RecognitionStatus;
}

/** The recognitions of one cell and status, oldest request first. */
export function recognitionsOf(
  recognitions: readonly RecognitionBoardEntry[],
  selection: CellSelection,
): RecognitionBoardEntry[] {
  return recognitions
    .filter(
      (r) =>
        r.sourceRegion === selection.source &&
        r.targetRegion === selection.target &&
        r.status === selection.status,
    )
    .sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
}
