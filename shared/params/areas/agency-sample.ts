/**
 * The agency's own figures (P-3): average wages and the like, published each year by the province.
 *
 * The figures shipped here are ILLUSTRATIVE, marked so on every value: they let the tests, the demo and
 * the benchmarks run on realistic magnitudes. An agency replaces this file (or loads its own dataset)
 * with the published figures and their publication references; nothing in the rules depends on them.
 */
import type { ParamArea } from '../types.js';

const illustrative = (article: string) => ({ doc: 'AGENCY' as const, article, illustrative: true });

export const agencySample: ParamArea = {
  definitions: [],
  values: [
    {
      name: 'averageWage.monthly',
      set: 'JL-AGENCY',
      region: '220000',
      from: '2024-08-01',
      to: '2025-07-31',
      value: { year: 2023, monthly: '6900.00', publishedOn: '2024-07-15' },
      source: illustrative('2023 average wage, illustrative publication of 2024-07-15'),
    },
    {
      name: 'averageWage.monthly',
      set: 'JL-AGENCY',
      region: '220000',
      from: '2025-08-01',
      to: '2026-07-31',
      value: { year: 2024, monthly: '7200.00', publishedOn: '2025-07-15' },
      source: illustrative('2024 average wage, illustrative publication of 2025-07-15'),
    },
    {
      name: 'averageWage.monthly',
      set: 'JL-AGENCY',
      region: '220000',
      from: '2026-08-01',
      value: { year: 2025, monthly: '7500.00', publishedOn: '2026-07-15' },
      source: illustrative('2025 average wage, illustrative publication of 2026-07-15'),
    },
    {
      name: 'averageWage.monthly',
      set: 'TL-AGENCY',
      region: '211200',
      from: '2022-04-01',
      to: '2023-06-30',
      value: { year: 2021, monthly: '6000.00', publishedOn: '2022-03-31' },
      source: illustrative('Tieling 2021 average wage, illustrative'),
    },
    {
      name: 'averageWage.monthly',
      set: 'TL-AGENCY',
      region: '211200',
      from: '2023-07-01',
      value: { year: 2022, monthly: '6300.00', publishedOn: '2023-06-30' },
      source: illustrative('Tieling 2022 average wage, illustrative'),
    },
  ],
};
