import { registryKeys } from './registry-keys.js';

/** The three regions of Beijing-Tianjin-Hebei, their Fabric organisations and administrative division prefixes. */
export const REGIONS = {
  BJ: { zh: '北京市', en: 'Beijing', mspId: 'BeijingMSP', divisionPrefix: '11' },
  TJ: { zh: '天津市', en: 'Tianjin', mspId: 'TianjinMSP', divisionPrefix: '12' },
  HE: { zh: '河北省', en: 'Hebei', mspId: 'HebeiMSP', divisionPrefix: '13' },
} as const;

export type RegionCode = keyof typeof REGIONS;
export type MspId = (typeof REGIONS)[RegionCode]['mspId'];
export const REGION_CODES = registryKeys(REGIONS);

/** The region whose Fabric organisation has this MSP ID, or undefined. */
export function regionByMspId(mspId: string): RegionCode | undefined {
  return REGION_CODES.find((code) => REGIONS[code].mspId === mspId);
}

/** The region an administrative division code (e.g. `110105`) lies in, or undefined outside the three. */
export function regionOfDivision(division: string): RegionCode | undefined {
  return REGION_CODES.find((code) => division.startsWith(REGIONS[code].divisionPrefix));
}
