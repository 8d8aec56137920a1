/** Rows of the DRC's nightly filing export (a GB18030/GBK CSV), as the tests write them into the inbox. */
import { filingRow } from '../../src/drc-csv/simulator';
import { Random } from '../../src/simulation/legacy-fixtures';

export { DRC_EXPORT_HEADER as DRC_HEADER, filingRow as drcRow } from '../../src/drc-csv/simulator';

/** `count` rows from project `firstSerial` on, with a seeded generator. */
export function drcRows(
  count: number,
  seed: number,
  firstSerial = 1,
  name?: (serial: number) => string,
): string[] {
  const random = new Random(seed);
  return Array.from({ length: count }, (_, i) => filingRow(random, firstSerial + i, name?.(firstSerial + i)));
}
