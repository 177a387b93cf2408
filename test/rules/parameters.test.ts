/** The parameter loader refuses bad data, and a hole is an error naming what is missing (P-3). */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AGENCY_DATASETS, PACKS } from '#params/packs.js';
import { ParameterStore } from '#params/store.js';
import { defineParam, type RawParamValue } from '#params/types.js';
import { daysValue, ratioValue, yuanValue } from '#params/values.js';
import { MissingParameterError, ParameterDataError } from '#rules/errors.js';

const defs = [
  defineParam('t.days', '天数', 'days', daysValue),
  defineParam('t.rate', '费率', 'rate', ratioValue),
  defineParam('t.amount', '金额', 'amount', z.object({ adult: yuanValue })),
];
const src = { doc: 'JL26' as const, article: 'Art.10' };
const val = (over: Partial<RawParamValue>): RawParamValue => ({
  name: 't.days',
  set: 'JL26',
  region: '220000',
  from: '2026-03-01',
  value: 90,
  source: src,
  ...over,
});
const load = (values: RawParamValue[]) => new ParameterStore(PACKS, AGENCY_DATASETS, defs, values);
const problems = (values: RawParamValue[]) => {
  try {
    load(values);
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(ParameterDataError);
    return (e as ParameterDataError).problems;
  }
};

describe('P-3: the parameter loader', () => {
  it('refuses overlapping values', () => {
    const p = problems([val({ to: '2026-12-31' }), val({ from: '2026-06-01', value: 60 })]);
    expect(p.join()).toMatch(/t\.days in JL26 for region 220000: 2026-03-01…2026-12-31 overlaps 2026-06-01/);
  });

  it('refuses an open value followed by another', () => {
    expect(problems([val({}), val({ from: '2027-01-01' })]).join()).toMatch(/overlaps/);
  });

  it('refuses a gap inside a series', () => {
    const p = problems([val({ to: '2026-12-30' }), val({ from: '2027-01-01', value: 60 })]);
    expect(p.join()).toMatch(/gap between 2026-12-30 and 2027-01-01/);
  });

  it('refuses a value without a source, or with an empty article', () => {
    const { source: _s, ...noSource } = val({});
    expect(problems([noSource as RawParamValue]).join()).toMatch(/source/);
    expect(problems([val({ source: { doc: 'JL26', article: '' } })]).join()).toMatch(/source\.article/);
  });

  it('refuses unknown parameters, sets, regions outside the set’s jurisdiction and ill-typed values', () => {
    const p = problems([
      val({ name: 't.nope' }),
      val({ set: 'XX99' }),
      val({ region: '211200' }),
      val({ name: 't.rate', value: 'six percent' }),
      val({ name: 't.amount', value: { adult: '12.345' } }),
    ]);
    expect(p).toHaveLength(5);
    expect(p.join('\n')).toMatch(/unknown parameter t\.nope/);
    expect(p.join('\n')).toMatch(/unknown policy set or dataset XX99/);
    expect(p.join('\n')).toMatch(/region 211200 is not in jurisdiction JL/);
    expect(p.join('\n')).toMatch(/value: a percentage/);
    expect(p.join('\n')).toMatch(/value\.adult: yuan/);
  });

  it('transforms values into exact types: "6.5%" is 65/1000, "320.00" is 32000 fen', () => {
    const s = load([
      val({ name: 't.rate', value: '6.5%' }),
      val({ name: 't.amount', value: { adult: '320.00' }, from: '2027-01-01', to: '2027-12-31' }),
    ]);
    expect(s.lookup('JL26', 't.rate', '220100', '2026-05-01').value).toEqual({ num: 65, den: 1000 });
    expect(s.lookup('JL26', 't.amount', '220100', '2027-06-30').value).toEqual({ adult: 32000 });
  });

  it('a prefecture override beats the province default, even from the agency dataset', () => {
    const s = load([val({}), val({ set: 'JL-AGENCY', region: '220200', value: 60 })]);
    expect(s.lookup('JL26', 't.days', '220200', '2026-05-01').value).toBe(60);
    expect(s.lookup('JL26', 't.days', '220100', '2026-05-01').value).toBe(90);
  });

  it('a value not loaded for the date is an error naming parameter, region, date and what is loaded', () => {
    const s = load([val({ name: 't.amount', value: { adult: '400' }, from: '2027-01-01', to: '2027-12-31' })]);
    let err: unknown;
    try {
      s.lookup('JL26', 't.amount', '220100', '2031-01-01');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MissingParameterError);
    const m = err as MissingParameterError;
    expect([m.parameter, m.region, m.on]).toEqual(['t.amount', '220100', '2031-01-01']);
    expect(m.message).toContain('JL26/220000 2027-01-01…2027-12-31');
  });

  it('loads the shipped catalogue without a problem', async () => {
    const { parameters } = await import('#params/index.js');
    expect(parameters().allValues().length).toBeGreaterThan(20);
    for (const v of parameters().allValues()) expect(v.source.article.length).toBeGreaterThan(0);
  });
});
