/**
 * The DRC nightly export job, compressed in time: it drops the sample file first, then a new GBK/GB18030 CSV
 * every so often (quoted names with commas, all four legacy date formats, now and then a bad row), each file
 * written first and its `.md5` after, as the real job does.
 */
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type RegionCode } from '@approval-ledger/protocol';
import { PACKAGE_DIR } from '../core/adapter-config';
import { encodeLegacyText } from '../core/legacy-text';
import { silentLogger, type Logger } from '../core/logger';
import { startClerkTicker } from '../simulation/clerk-ticker';
import {
  Random,
  makeCompanyName,
  makeProjectCode,
  makeProjectName,
  makeUscc,
  shanghaiLocal,
} from '../simulation/legacy-fixtures';
import { type DrcDirectories } from './config';
import { dropCsvFile } from './drc-csv-client';

export const SAMPLE_CSV = 'drc-filing-20250307.csv';
/** The header line of the DRC's nightly filing export. */
export const DRC_EXPORT_HEADER =
  '项目代码,项目名称,建设单位,统一社会信用代码,项目类型,办理事项,办理结果,办结日期,经办处室,记录版本';

export interface DrcCsvSimulatorOptions {
  readonly dirs: DrcDirectories;
  readonly intervalMs: number;
  readonly region?: RegionCode;
  readonly encoding?: 'gbk' | 'gb18030';
  readonly seed?: number;
  readonly log?: Logger;
  /** Drop the sample export (Beijing's projects of 2025-03-07) first. Default: only for a Beijing system. */
  readonly withSample?: boolean;
}

export interface DrcCsvSimulator {
  readonly filesDropped: number;
  stop(): Promise<void>;
}

export async function startDrcCsvSimulator(options: DrcCsvSimulatorOptions): Promise<DrcCsvSimulator> {
  const log = options.log ?? silentLogger;
  let dropped = 0;
  const processed = await Promise.any([
    access(join(options.dirs.inbox, SAMPLE_CSV)),
    access(join(options.dirs.archive, SAMPLE_CSV)),
    access(join(options.dirs.quarantine, SAMPLE_CSV)),
  ]).then(
    () => true,
    () => false,
  );
  if (!processed && (options.withSample ?? (options.region ?? 'BJ') === 'BJ')) {
    await dropCsvFile(
      options.dirs.inbox,
      SAMPLE_CSV,
      await readFile(join(PACKAGE_DIR, 'samples', SAMPLE_CSV)),
    );
    dropped++;
  }
  const random = new Random(options.seed ?? Date.now() & 0xffff);
  const clerk = startClerkTicker(
    async () => {
      const name = `drc-filing-${shanghaiLocal().replace(/\D/g, '').slice(0, 14)}.csv`;
      const bytes = makeExport(random, options.region ?? 'BJ', options.encoding ?? 'gb18030');
      await dropCsvFile(options.dirs.inbox, name, bytes);
      dropped++;
    },
    options.intervalMs,
    log,
    'simulated export failed',
  );
  return {
    get filesDropped() {
      return dropped;
    },
    stop: () => clerk.stop(),
  };
}

/** One export: header and 3-12 rows, CRLF, in the export's encoding. */
export function makeExport(
  random: Random,
  region: RegionCode,
  encoding: 'gbk' | 'gb18030',
  rows = 3 + random.int(10),
): Buffer {
  const lines = [DRC_EXPORT_HEADER];
  for (let i = 0; i < rows; i++) lines.push(makeRow(random, region, encoding));
  return encodeLegacyText(`${lines.join('\r\n')}\r\n`, encoding);
}

const DATE_FORMATS = [
  (d: string) => `${d.slice(0, 4)}年${d.slice(5, 7)}月${d.slice(8, 10)}日`,
  (d: string) => d,
  (d: string) => d.replaceAll('-', ''),
  (d: string) => d.replaceAll('-', '/'),
];

const OUTCOMES = [
  ['备案', '03', '企业投资项目备案', '予以备案'],
  ['备案', '03', '企业投资项目备案', '退回补正'],
  ['核准', '02', '企业投资项目核准', '准予核准'],
  ['审批', '01', '政府投资项目建议书审批', '同意'],
  ['审批', '01', '固定资产投资项目节能审查', '同意'],
] as const;

/**
 * A plain filing row (a Beijing project filed, 2025/03/07), for runs that count what they wrote: the project
 * serial fixes the project code, `name` goes in as given (quote it where it holds a comma).
 */
export function filingRow(random: Random, serial: number, name = `项目${serial}`): string {
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

function makeRow(random: Random, region: RegionCode, encoding: 'gbk' | 'gb18030'): string {
  const [type, kind, item, result] = random.pick(OUTCOMES);
  const today = shanghaiLocal().slice(0, 10);
  const bad = random.next() < 0.05;
  const rare = encoding === 'gb18030' && random.next() < 0.2 ? '𠀀' : '';
  const name =
    random.next() < 0.3
      ? `"${rare}${makeProjectName(random, region)}(一期,二期)"`
      : `${rare}${makeProjectName(random, region)}`;
  return [
    makeProjectCode(random, region, kind, 200_000 + random.int(700_000)),
    name,
    makeCompanyName(random, region),
    makeUscc(random, region),
    type,
    item,
    result,
    bad ? '2025年02月30日' : random.pick(DATE_FORMATS)(today),
    random.pick(['投资处', '产业处', '社会处', '"固定资产投资处,节能科"']),
    '1',
  ].join(',');
}
