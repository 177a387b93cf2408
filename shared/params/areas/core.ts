/**
 * Parameters several decisions read: the average wage (社平工资), the resident collection window and
 * the employee due date (C-6).
 */
import * as z from 'zod';
import { type ParamArea, defineParam } from '../types.js';
import { monthDay, yuanValue } from '../values.js';

export const core: ParamArea = {
  definitions: [
    defineParam(
      'averageWage.monthly',
      '上年度全省全口径城镇单位就业人员月平均工资',
      'prior-year provincial monthly average wage, in force from the month after its publication (C-4)',
      z
        .object({ year: z.number().int(), monthly: yuanValue, publishedOn: z.string() })
        .transform((v) => ({ year: v.year, monthlyFen: v.monthly, publishedOn: v.publishedOn })),
    ),
    defineParam(
      'resident.collectionWindow',
      '居民医保集中缴费期',
      'resident concentrated collection window, as month-days of the year before the fee year',
      z.object({ opens: monthDay, closes: monthDay }),
    ),
    defineParam(
      'employee.dueDate',
      '职工医保缴费期限',
      'when a fee month of the employee scheme is due (C-6)',
      z.enum(['end-of-month', 'end-of-following-month']),
    ),
  ],
  values: [
    {
      name: 'resident.collectionWindow',
      set: 'JL21',
      region: '220000',
      from: '2020-09-21',
      value: { opens: '10-01', closes: '12-31' },
      source: {
        doc: 'JL21',
        article: '§1',
        reading: 'JL21 set Oct 1 – Dec 31 for 2021; kept until the agency loads another window (RULES.md §0)',
      },
    },
    {
      name: 'resident.collectionWindow',
      set: 'TL22',
      region: '211200',
      from: '2022-04-01',
      value: { opens: '10-01', closes: '12-31' },
      source: { doc: 'TL22', article: '§2(1)1', reading: '“原则上每年第四季度” read as Oct 1 – Dec 31' },
    },
    {
      name: 'employee.dueDate',
      set: 'JL21',
      region: '220000',
      from: '2020-09-21',
      value: 'end-of-following-month',
      source: {
        doc: 'JL26',
        article: 'Art.17, Art.36',
        reading:
          'before 当月缴纳当月费用 takes effect the older due date is the end of the following month (RULES.md C-6)',
      },
    },
    {
      name: 'employee.dueDate',
      set: 'JL26',
      region: '220000',
      from: '2026-03-01',
      to: '2026-07-31',
      value: 'end-of-following-month',
      source: {
        doc: 'JL26',
        article: 'Art.36',
        reading: 'until the month after the 2026 average wage is published (illustrative publication: July 2026)',
        illustrative: true,
      },
    },
    {
      name: 'employee.dueDate',
      set: 'JL26',
      region: '220000',
      from: '2026-08-01',
      value: 'end-of-month',
      source: {
        doc: 'JL26',
        article: 'Art.17, Art.36',
        reading: 'from the month after the 2026 average wage publication (illustrative: July 2026)',
        illustrative: true,
      },
    },
    {
      name: 'employee.dueDate',
      set: 'TL22',
      region: '211200',
      from: '2022-04-01',
      value: 'end-of-month',
      source: {
        doc: 'TL22',
        article: '§2(2)2',
        reading: 'TL22 counts from the day money arrives in the month; due by month end',
      },
    },
  ],
};
