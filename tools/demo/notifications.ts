/** The tax bureau's payment notifications the story sends through the intake (docs/events.md). */
import { createHash } from 'node:crypto';
import type { Day } from './arithmetic.js';
import { BASE, DEMO_REGION, PEOPLE, type Person, UNITS, type Unit, type Who } from './cast.js';

/** The per-person notification id of a payment by someone else (docs/events.md, Mapping). */
export const personTag = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 16);

export class Notifications {
  private seq = 0;

  private id(prefix: string, paidOn: Day) {
    return `${prefix}${paidOn.replaceAll('-', '')}${String(++this.seq).padStart(5, '0')}`;
  }

  flexible(p: Person, paidOn: Day, months: ReadonlyArray<readonly [string, number]>, extra: object = {}) {
    return {
      schemaVersion: '1',
      notificationId: this.id('SW', paidOn),
      payer: { kind: 'person' },
      scheme: 'employee',
      mode: 'flexible',
      flexibleMode: 'combined',
      region: DEMO_REGION,
      paidAt: `${paidOn}T09:00:00+08:00`,
      insured: [
        { identity: { number: p.number }, periods: months.map(([feePeriod, amountFen]) => ({ feePeriod, amountFen })) },
      ],
      ...extra,
    };
  }

  unit(unit: Unit, paidOn: Day, lines: ReadonlyArray<{ who: Who; months: readonly string[]; amountFen: number }>) {
    return {
      schemaVersion: '1',
      notificationId: this.id('DW', paidOn),
      payer: { kind: 'unit', id: UNITS[unit].id },
      scheme: 'employee',
      mode: 'unit',
      region: DEMO_REGION,
      paidAt: `${paidOn}T09:00:00+08:00`,
      insured: lines.map((l) => ({
        identity: { number: PEOPLE[l.who].number },
        periods: l.months.map((feePeriod) => ({
          feePeriod,
          amountFen: l.amountFen,
          baseFen: BASE[l.who],
          dueFen: l.amountFen,
        })),
      })),
    };
  }

  resident(p: Person, paidOn: Day, feeYear: number, amountFen: number) {
    return {
      schemaVersion: '1',
      notificationId: this.id('JM', paidOn),
      payer: { kind: 'person' },
      scheme: 'resident',
      region: DEMO_REGION,
      paidAt: `${paidOn}T09:00:00+08:00`,
      insured: [{ identity: { number: p.number }, periods: [{ feePeriod: String(feeYear), amountFen }] }],
    };
  }
}
