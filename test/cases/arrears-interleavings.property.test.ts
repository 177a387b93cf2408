/**
 * A property on DynamoDB Local: whatever the order — and overlap — of the daily sweep's days, the arrears
 * timer's first task and the tax bureau's payment notifications for one enrollment (repeats, reordering,
 * short payments, an id reused with other content, for this person or another), an enrollment's fee month is
 * in one arrears case at most, every arrears case has its timer, and each notification counts once: the
 * ledger holds exactly the payments accepted, a conflicting copy nothing.
 *
 * fast-check's scheduler decides the order in which the actions start; they then run side by side on the
 * store, as the intake Lambda, the sweep and the timer's tasks do. A delivery that fails for a passing reason
 * is delivered again afterwards (SQS), a sweep day that failed is run again (the next day's schedule).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readArrearsCase } from '#app/cases/arrears.js';
import type { MessageOutcome } from '#app/intake/index.js';
import { runDailySweep } from '#app/sweep/daily-sweep.js';
import { openArrears } from '#app/workflows/arrears-timer.js';
import { allCasesOf } from '#app/workflows/common.js';
import { CLOSED_STATES } from '#store/model.js';
import type { DynamoWorkflowStore } from '#store/workflow-store.js';
import { type LocalDynamo, startDynamoDbLocal } from '../support/dynamodb-local.js';
import { eventBody, idNumber, staff, storeOn, system, unitEnrollment, unitPayroll } from './support.js';

let local: LocalDynamo;
let store: DynamoWorkflowStore;

beforeAll(async () => {
  local = await startDynamoDbLocal();
  store = storeOn(local);
});
afterAll(() => local?.stop());

const DUE = 54_000;
const MONTHS = ['2026-09', '2026-10', '2026-11'] as const;
const SWEEP_DAYS = ['2026-10-01', '2026-11-01', '2026-12-01'] as const;

/** One notification's content: whom it pays for, which month, how much, when. */
interface Content {
  readonly person: 'p' | 'q';
  readonly month: (typeof MONTHS)[number];
  readonly amountFen: number;
  readonly paidDay: string;
}
const content: fc.Arbitrary<Content> = fc.record({
  // Mostly the enrollment's own person; sometimes another (an id reused for another person).
  person: fc.constantFrom<'p' | 'q'>('p', 'p', 'p', 'q'),
  month: fc.constantFrom(...MONTHS),
  // In full, short, or a top-up's size.
  amountFen: fc.constantFrom(DUE, 18_000, 36_000),
  paidDay: fc.constantFrom('2026-09-20', '2026-10-10', '2026-11-10', '2026-12-10'),
});

type Action =
  | { readonly kind: 'pay'; readonly id: number; readonly content: Content }
  | { readonly kind: 'sweep'; readonly day: (typeof SWEEP_DAYS)[number] }
  | { readonly kind: 'timer' };

/** A few notification ids, each with one or two contents (a second one: the id reused), delivered 1–3 times. */
const scenario: fc.Arbitrary<Action[]> = fc
  .tuple(
    fc.array(fc.tuple(content, fc.option(content, { freq: 3 })), { minLength: 1, maxLength: 4 }),
    fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 4, maxLength: 4 }),
    fc.subarray([...SWEEP_DAYS], { minLength: 1 }),
    fc.boolean(),
  )
  .map(([ids, repeats, days, timer]) => {
    const actions: Action[] = [];
    ids.forEach(([first, second], id) => {
      for (let r = 0; r < repeats[id]!; r++) actions.push({ kind: 'pay', id, content: first });
      if (second) actions.push({ kind: 'pay', id, content: second });
    });
    for (const day of days) actions.push({ kind: 'sweep', day });
    if (timer) actions.push({ kind: 'timer' });
    return actions;
  });

let run = 0;

describe('random interleavings of sweep days, the timer and payments for one enrollment', () => {
  it('keep one arrears case per enrollment and fee month, and count each notification once', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, fc.scheduler(), async (actions, s) => {
        run++;
        const numbers = { p: idNumber('19800101'), q: idNumber('19800202') };
        const key = (who: 'p' | 'q') => `CN:${numbers[who]}`;
        for (const who of ['p', 'q'] as const) await store.createEnrollment(unitEnrollment(key(who), 'E1'), staff);
        await store.expectPayment(
          {
            identityKey: key('p'),
            enrollmentId: 'E1',
            region: '220100',
            mode: 'unit',
            unitId: 'U-220100-0001',
            feeMonth: '2026-09',
            dueDate: '2026-09-30',
            baseFen: 600_000,
            dueFen: DUE,
          },
          staff,
        );
        const sys = system(store, '2026-12-15T10:00:00+08:00');
        const bodyOf = (a: Extract<Action, { kind: 'pay' }>) =>
          eventBody(
            unitPayroll({
              notificationId: `DW-${run}-${a.id}`,
              paidAt: `${a.content.paidDay}T10:00:00+08:00`,
              insured: [
                {
                  number: numbers[a.content.person],
                  periods: [
                    { feePeriod: a.content.month, amountFen: a.content.amountFen, baseFen: 600_000, dueFen: DUE },
                  ],
                },
              ],
            }),
          );
        const delivered: Array<{ action: Extract<Action, { kind: 'pay' }>; outcome: MessageOutcome }> = [];
        const redeliver: Array<Extract<Action, { kind: 'pay' }>> = [];
        const sweepAgain = new Set<string>();

        const perform = async (a: Action) => {
          if (a.kind === 'pay') {
            try {
              delivered.push({ action: a, outcome: await sys.intake.handleMessage(bodyOf(a)) });
            } catch {
              redeliver.push(a);
            }
          } else if (a.kind === 'sweep') {
            const r = await runDailySweep(sys.sweepDeps, { date: a.day, regions: ['220100'] });
            if (!r.complete) sweepAgain.add(a.day);
          } else {
            // The timer's first task on every arrears case still `opened` (A-1: suspend, wait for the payment).
            for (const c of await allCasesOf(store, { kind: 'person', identityKey: key('p') }))
              if (c.caseType === 'arrears' && c.state === 'opened')
                await openArrears(sys.sweepDeps, { caseId: c.caseId }).catch(() => undefined);
          }
        };
        // The scheduler picks the order the actions start in; once started they overlap on the store.
        const running = actions.map((a, i) => s.schedule(Promise.resolve(i), `${i}:${a.kind}`).then(() => perform(a)));
        await s.waitAll();
        await Promise.all(running);
        // What SQS and the next sweep would do: deliver again, run again, until done.
        for (const a of redeliver) delivered.push({ action: a, outcome: await sys.intake.handleMessage(bodyOf(a)) });
        for (const day of SWEEP_DAYS.filter((d) => sweepAgain.has(d)))
          expect((await runDailySweep(sys.sweepDeps, { date: day, regions: ['220100'] })).failures).toEqual([]);

        // 1. An enrollment's fee month is in one arrears case at most, and every case has its timer.
        const cases = (await allCasesOf(store, { kind: 'person', identityKey: key('p') }))
          .filter((c) => c.caseType === 'arrears')
          .map(readArrearsCase);
        for (const m of MONTHS) {
          const holding = cases.filter((c) => c.data.months.some((x) => x.feeMonth === m));
          expect(holding.length, `cases holding ${m}: ${holding.map((c) => c.caseId)}`).toBeLessThanOrEqual(1);
          expect(holding.filter((c) => !CLOSED_STATES.has(c.state)).length).toBeLessThanOrEqual(1);
          expect(holding.every((c) => c.data.enrollmentId === 'E1' && c.data.identityKey === key('p'))).toBe(true);
        }
        const timers = new Set(sys.recorded.started.map((t) => t.caseId));
        for (const c of cases) expect(timers.has(c.caseId), `timer of ${c.caseId}`).toBe(true);

        // 2. One content per id was accepted, and the ledger holds exactly the accepted payments.
        const accepted = new Map<number, Content>();
        for (const d of delivered) {
          if (d.outcome.kind === 'conflict') continue;
          expect(d.outcome.kind).toBe('processed');
          const first = accepted.get(d.action.id);
          if (first) expect(d.action.content).toEqual(first);
          else accepted.set(d.action.id, d.action.content);
        }
        for (const id of new Set(actions.flatMap((a) => (a.kind === 'pay' ? [a.id] : []))))
          expect(accepted.has(id), `notification ${id} accepted once`).toBe(true);
        for (const who of ['p', 'q'] as const) {
          const expected = new Map<string, number>();
          for (const c of accepted.values())
            if (c.person === who) expected.set(c.month, (expected.get(c.month) ?? 0) + c.amountFen);
          const ledger = await store.ledger(key(who), 'employee');
          expect(new Map(ledger.map((e) => [e.feePeriod, e.amount]))).toEqual(expected);
          for (const e of ledger) expect(new Set(e.payments.map((p) => p.notificationId)).size).toBe(e.payments.length);
        }
        // A conflicting copy was dead-lettered, nothing else was.
        expect(sys.recorded.deadLetters.length).toBe(delivered.filter((d) => d.outcome.kind === 'conflict').length);
      }),
      { numRuns: Number(process.env.CASES_PROPERTY_RUNS ?? 20), endOnFailure: true },
    );
  }, 600_000);
});
