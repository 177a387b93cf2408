/**
 * Pooling regions (统筹区). Jilin has 9 prefectures plus 长白山 and 梅河口 (RULES.md §0); each
 * may override a province default parameter. Tieling (Liaoning) is a second jurisdiction with
 * its own pack (TL22). Codes are GB/T 2260 division codes; 长白山保护开发区 has none of its own,
 * so it carries the locally assigned code 229900 (a parameter of this table, not a rule).
 */

export type Jurisdiction = 'JL' | 'TL';

export interface Region {
  readonly code: string;
  readonly zh: string;
  readonly en: string;
  readonly jurisdiction: Jurisdiction;
  /** The code under which the jurisdiction's defaults are kept. */
  readonly defaultCode: string;
}

export const JILIN_PROVINCE = '220000';
export const TIELING = '211200';

const jl = (code: string, zh: string, en: string): Region => ({
  code,
  zh,
  en,
  jurisdiction: 'JL',
  defaultCode: JILIN_PROVINCE,
});

export const REGIONS: readonly Region[] = [
  jl('220100', '长春市', 'Changchun'),
  jl('220200', '吉林市', 'Jilin City'),
  jl('220300', '四平市', 'Siping'),
  jl('220400', '辽源市', 'Liaoyuan'),
  jl('220500', '通化市', 'Tonghua'),
  jl('220600', '白山市', 'Baishan'),
  jl('220700', '松原市', 'Songyuan'),
  jl('220800', '白城市', 'Baicheng'),
  jl('222400', '延边朝鲜族自治州', 'Yanbian'),
  jl('220581', '梅河口市', 'Meihekou'),
  jl('229900', '长白山保护开发区', 'Changbaishan'),
  { code: TIELING, zh: '铁岭市', en: 'Tieling', jurisdiction: 'TL', defaultCode: TIELING },
];

const BY_CODE = new Map(REGIONS.map((r) => [r.code, r]));

export const REGION_CODES = REGIONS.map((r) => r.code) as [string, ...string[]];

export function regionOf(code: string): Region {
  const r = BY_CODE.get(code);
  if (!r) throw new RangeError(`unknown pooling region ${code}`);
  return r;
}

export function isRegion(code: string): boolean {
  return BY_CODE.has(code);
}
