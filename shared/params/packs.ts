/**
 * P-1 policy sets. Each jurisdiction's packs tile time without gaps or overlaps (checked at load
 * and by test/rules/temporal-coverage.test.ts), so exactly one pack is in force on any date from
 * the first pack's start.
 *
 * Reading: the seeds carry no text for Jilin between the 2021 collection notice and FLX25 (the
 * 2022 interim measures 吉医保联〔2022〕19号 are not among them), so JL21 stands for that span and a
 * question only those measures answer is an error naming them, not a guess.
 */
import type { AgencyDataset, PolicyPack } from './types.js';

export const PACKS: readonly PolicyPack[] = [
  {
    id: 'JL21',
    jurisdiction: 'JL',
    from: '2020-09-21',
    to: '2025-04-30',
    source: 'JL21',
    inherits: [],
    zh: '吉林省2021年城乡居民参保缴费（吉医保联〔2020〕25号）',
    en: 'Jilin 2021 resident collection notice',
  },
  {
    id: 'FLX25',
    jurisdiction: 'JL',
    from: '2025-05-01',
    to: '2026-02-28',
    source: 'FLX25',
    inherits: ['JL21'],
    zh: '吉林省灵活就业人员等群体医疗和生育保障政策（2025）',
    en: 'Jilin 2025 flexible-worker notice',
  },
  {
    id: 'JL26',
    jurisdiction: 'JL',
    from: '2026-03-01',
    source: 'JL26',
    inherits: ['FLX25', 'JL21'],
    zh: '吉林省基本医疗保险参保缴费管理办法（吉医保规〔2026〕1号）',
    en: 'Jilin 2026 enrollment and contribution measures',
  },
  {
    id: 'TL22',
    jurisdiction: 'TL',
    from: '2022-04-01',
    source: 'TL22',
    inherits: [],
    zh: '铁岭市基本医疗保险参保缴费（2022）',
    en: 'Tieling 2022 enrollment and contribution notice',
  },
];

export const AGENCY_DATASETS: readonly AgencyDataset[] = [
  { id: 'JL-AGENCY', jurisdiction: 'JL' },
  { id: 'TL-AGENCY', jurisdiction: 'TL' },
];
