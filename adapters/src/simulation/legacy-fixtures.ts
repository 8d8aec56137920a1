/**
 * Made-up but valid legacy data for the simulators, the tests and the benchmark: project codes that place the
 * project in the region, unified social credit codes from protocol's generator (strictly valid, check characters
 * right), Chinese names including rarer characters.
 */
import { REGIONS, USCC_SEQUENCE_SIZE, generateUscc, type RegionCode } from '@approval-ledger/protocol';

/** A small deterministic PRNG (mulberry32), so that a seed gives the same data every run. */
export class Random {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
}

/**
 * A unified social credit code registered in the region (its administrative division in positions 3-8): one of
 * protocol's `generateUscc` sequence, picked by the PRNG, so a seed gives the same codes every run.
 */
export function makeUscc(random: Random, region: RegionCode = 'BJ'): string {
  const division = random.pick(DIVISIONS[region]);
  return generateUscc(random.int(USCC_SEQUENCE_SIZE), { division });
}

/** Administrative divisions of each region used by the simulators. */
export const DIVISIONS: Record<RegionCode, readonly string[]> = {
  BJ: ['110101', '110102', '110105', '110106', '110108', '110112', '110114', '110115'],
  TJ: ['120101', '120103', '120104', '120116'],
  HE: ['130102', '130104', '130602', '131002'],
};

/** A national investment project code of the region: YYYY-AAAAAA-BB-CC-NNNNNN. */
export function makeProjectCode(
  random: Random,
  region: RegionCode,
  kind: '01' | '02' | '03',
  serial: number,
): string {
  const division = random.pick(DIVISIONS[region]);
  const industry = random.pick(['35', '47', '48', '70', '78']);
  return `2025-${division}-${industry}-${kind}-${String(serial % 1_000_000).padStart(6, '0')}`;
}

/** Place names of each region (districts, new areas, towns) for company and project names. */
export const PLACES: Record<RegionCode, readonly string[]> = {
  BJ: ['望京', '亦庄', '中关村', '海淀', '朝阳', '丰台', '通州', '大兴', '顺义', '昌平', '喆园', '镕金'],
  TJ: ['和平', '河西', '南开', '滨海', '于家堡', '中新生态城', '空港', '武清', '西青', '津南'],
  HE: ['长安', '桥西', '竞秀', '安次', '雄安', '正定', '曹妃甸', '固安', '燕郊', '白洋淀'],
};
const TRADES = ['科创置业', '智造科技', '城市更新', '新能源', '生物医药', '建设发展', '数字科技'];
const WORKS = ['研发楼', '生产线', '社区服务中心', '综合楼', '产业园一期', '安置房', '学校改扩建'];

export function makeCompanyName(random: Random, region: RegionCode = 'BJ'): string {
  return `${REGIONS[region].zh.replace('市', '').replace('省', '')}${random.pick(PLACES[region])}${random.pick(TRADES)}有限公司`;
}

export function makeProjectName(random: Random, region: RegionCode = 'BJ'): string {
  return `${random.pick(PLACES[region])}${random.pick(TRADES).slice(0, 2)}${random.pick(WORKS)}`;
}

/**
 * The short name of a region's environment authority in the number of its EIA approval documents
 * (`京环审〔2025〕101号`, `津环审〔2025〕101号`, `冀环审〔2025〕101号`): the region's one-character abbreviation.
 */
export const EIA_DOCUMENT_PREFIX: Record<RegionCode, string> = { BJ: '京环审', TJ: '津环审', HE: '冀环审' };

/** `YYYY-MM-DD HH:MM:SS` in Asia/Shanghai, as legacy systems print local times. */
export function shanghaiLocal(date: Date = new Date()): string {
  const shifted = new Date(date.getTime() + 8 * 3_600_000);
  return shifted.toISOString().slice(0, 19).replace('T', ' ');
}

/** `YYYY-MM-DDTHH:MM:SS+08:00`. */
export function shanghaiIso(date: Date = new Date()): string {
  return `${shanghaiLocal(date).replace(' ', 'T')}+08:00`;
}
