/**
 * P-1 temporal coverage: across every effective-date boundary (2021, 2025-05-01, 2026-03-01, and
 * Tieling's 2022-04-01) and in every pooling region, exactly one policy set applies to each date,
 * and every parameter value's own boundaries resolve to that value.
 */
import { describe, expect, it } from 'vitest';
import { addDays } from '#domain/calendar.js';
import { REGIONS } from '#domain/regions.js';
import { parameters } from '#params/index.js';
import { PACKS } from '#params/packs.js';
import { NoPolicyInForceError } from '#rules/errors.js';

const store = parameters();
const boundaries = ['2020-09-21', '2021-01-01', '2021-12-31', '2022-04-01', '2025-05-01', '2026-03-01'];
const days = boundaries.flatMap((b) => [addDays(b, -1), b, addDays(b, 1)]);

describe('P-1: exactly one policy set per region and date', () => {
  for (const region of REGIONS) {
    it(`${region.code} ${region.en}`, () => {
      for (const d of days) {
        const candidates = PACKS.filter(
          (p) => p.jurisdiction === region.jurisdiction && d >= p.from && (p.to === undefined || d <= p.to),
        );
        const first = PACKS.filter((p) => p.jurisdiction === region.jurisdiction)
          .map((p) => p.from)
          .sort()[0]!;
        if (d < first) {
          expect(candidates).toHaveLength(0);
          expect(() => store.packInForce(region.code, d)).toThrow(NoPolicyInForceError);
        } else {
          expect(candidates, `${region.code} on ${d}`).toHaveLength(1);
          expect(store.packInForce(region.code, d).id).toBe(candidates[0]!.id);
        }
      }
    });
  }

  it('switches Jilin from JL21 to FLX25 on 2025-05-01 and to JL26 on 2026-03-01', () => {
    expect(store.packInForce('220100', '2025-04-30').id).toBe('JL21');
    expect(store.packInForce('220100', '2025-05-01').id).toBe('FLX25');
    expect(store.packInForce('220100', '2026-02-28').id).toBe('FLX25');
    expect(store.packInForce('220100', '2026-03-01').id).toBe('JL26');
    expect(() => store.packInForce('211200', '2022-03-31')).toThrow(NoPolicyInForceError);
    expect(store.packInForce('211200', '2022-04-01').id).toBe('TL22');
  });
});

describe('parameter boundaries resolve to the value in force, in every region', () => {
  const values = store.allValues();
  it('every value is read back on its first and last day, through every pack whose chain holds it', () => {
    let checked = 0;
    for (const v of values) {
      for (const region of REGIONS) {
        if (region.code !== v.region && region.defaultCode !== v.region) continue;
        // A prefecture's own value hides the default for that prefecture.
        const own = values.find(
          (o) =>
            o !== v &&
            o.name === v.name &&
            o.region === region.code &&
            region.code !== v.region &&
            o.from <= v.from &&
            (o.to === undefined || o.to >= v.from),
        );
        if (own) continue;
        for (const pack of PACKS) {
          if (pack.jurisdiction !== region.jurisdiction) continue;
          const chain = [pack.id, ...pack.inherits, `${pack.jurisdiction}-AGENCY`];
          if (!chain.includes(v.set)) continue;
          for (const day of [v.from, v.to ?? addDays(v.from, 400)]) {
            const hit = store.lookup(pack.id, v.name, region.code, day);
            // The nearest set of the chain wins; when it is this value's set, it must be this value.
            if (hit.set === v.set && hit.region === v.region) {
              expect(hit.from).toBe(v.from);
              checked++;
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(values.length);
  });
});
