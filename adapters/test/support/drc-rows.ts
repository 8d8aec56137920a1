/** Rows of the DRC's nightly filing export (a GB18030/GBK CSV), as the tests write them into the inbox. */
import { Random, makeCompanyName, makeProjectCode, makeUscc } from '../../src/simulation/legacy-fixtures';

export const DRC_HEADER =
  '项目代码,项目名称,建设单位,统一社会信用代码,项目类型,办理事项,办理结果,办结日期,经办处室,记录版本';

/** One filing row of Beijing project `serial`, its name as given (quote it yourself where the test needs it). */
export function drcRow(random: Random, serial: number, name = `项目${serial}`): string {
  return [
    makeProjectCode(random, 'BJ', '03', serial),
    name,
    makeCompanyName(random),
    makeUscc(random),
    '备案',
    '企业投资项目备案',
    '予以备案',
    '2025/03/07',
    '投资处',
    '1',
  ].join(',');
}

/** `count` rows from project `firstSerial` on, with a seeded generator. */
export function drcRows(
  count: number,
  seed: number,
  firstSerial = 1,
  name?: (serial: number) => string,
): string[] {
  const random = new Random(seed);
  return Array.from({ length: count }, (_, i) => drcRow(random, firstSerial + i, name?.(firstSerial + i)));
}
