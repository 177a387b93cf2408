/**
 * The source documents the rules are read from (../shared/seeds/, the authority), keyed as RULES.md keys them.
 * Parameters and rules both cite them, so they live at the bottom of the layers.
 */

export type SourceKey = 'JL26' | 'FLX25' | 'PRC22' | 'TL22' | 'JL21' | 'NPC24';

export interface SourceDocument {
  readonly key: SourceKey;
  readonly docNo: string;
  readonly title: string;
  /** The seed file the text was read from (../shared/seeds/), or null for a rule outside the seeds. */
  readonly seed: string | null;
  readonly inForce: string;
}

export const SOURCES: Record<SourceKey, SourceDocument> = {
  JL26: {
    key: 'JL26',
    docNo: '吉医保规〔2026〕1号',
    title: '吉林省基本医疗保险参保缴费管理办法',
    seed: '000_54300f154cfa9586.txt',
    inForce: '2026-03-01',
  },
  FLX25: {
    key: 'FLX25',
    docNo: '省医疗保障局等五部门通知（2025-04-27，原文未载文号）',
    title: '关于优化灵活就业人员等群体医疗和生育保障有关政策的通知',
    seed: '001_0475ad07a4c204dc.txt',
    inForce: '2025-05-01',
  },
  PRC22: {
    key: 'PRC22',
    docNo: '吉医保联〔2022〕11号',
    title: '吉林省基本医疗保险参保管理经办规程（解读）',
    seed: '002_a7fe5e780f9b487a.txt',
    inForce: '2022-05-26',
  },
  TL22: {
    key: 'TL22',
    docNo: '铁岭市医疗保障局等（2022-04-01 通知）',
    title: '关于加强和改进基本医疗保险参保缴费工作的通知（铁岭市）',
    seed: '003_9e0442cff77bbddc.txt',
    inForce: '2022-04-01',
  },
  JL21: {
    key: 'JL21',
    docNo: '吉医保联〔2020〕25号',
    title: '关于做好2021年城乡居民参保缴费工作的通知',
    seed: '004_da4441a264355eed.txt',
    inForce: '2020-09-21',
  },
  NPC24: {
    key: 'NPC24',
    docNo: '全国人大常委会关于实施渐进式延迟法定退休年龄的决定（2024-09-13）',
    title: 'NPC Standing Committee decision on gradually raising the statutory retirement age',
    seed: null,
    inForce: '2025-01-01',
  },
};
