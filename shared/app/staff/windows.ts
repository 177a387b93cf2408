/**
 * The 90-day windows of W-1 (newborn) and W-2 (identity conversion): registering the birth or the conversion
 * opens a case that waits for enrollment and payment until day 90 (RULES.md §0: "within 90 days (含)" is
 * `P − D ≤ 90`, so the last day of the window is D + 90). The length is the policy parameter
 * (`waiting.newbornWindowDays`, `waiting.conversionWindowDays`) of the set in force on the event's date.
 * The deadline sweep closes the case when the day passes; the waiting-period decision does the rest.
 */
import { addDays, type CalendarDate } from '#domain/calendar.js';
import { ruleEntry } from '#rules/catalogue.js';
import { InputError } from '#rules/errors.js';
import { parameters } from '#params/index.js';
import type { CaseType } from '#store/model.js';
import { caseView } from './cases.js';
import {
  changeContext,
  type Created,
  openCaseOnce,
  type RequestOptions,
  requireRegion,
  type StaffDeps,
  type StaffMember,
} from './context.js';
import { identityKeyOf, personFor } from './enrollment.js';
import { RefusedByRulesError } from './errors.js';
import type { CaseCreatedView } from './retirement.js';
import type { IdentityConversionBody, NewbornBody } from './schemas.js';

interface Window {
  readonly operation: string;
  readonly prefix: string;
  readonly caseType: CaseType;
  readonly rule: 'W-1' | 'W-2';
  readonly parameter: string;
  readonly eventDate: CalendarDate;
  readonly event: 'birth' | 'conversion';
}

async function openWindow(
  deps: StaffDeps,
  staff: StaffMember,
  w: Window,
  body: NewbornBody | IdentityConversionBody,
  birthDate: CalendarDate | undefined,
  options: RequestOptions,
): Promise<Created<CaseCreatedView>> {
  const today = deps.clock.today();
  const store = parameters();
  const pack = store.packInForce(body.region, today);
  const days = store.lookup<number>(pack.id, w.parameter, body.region, today);
  const lastDay = addDays(w.eventDate, days.value);
  const rule = { id: w.rule, cites: ruleEntry(w.rule).cites };
  const reason = {
    zh: `${w.event === 'birth' ? '新生儿出生' : '身份转换'}之日${w.eventDate}起${days.value}日内（含）参保缴费不设待遇等待期，窗口最后一日为${lastDay}`,
    en: `enrolling and paying within ${days.value} days (inclusive) of the ${w.event} on ${w.eventDate} means no waiting period; the window's last day is ${lastDay}`,
  };
  if (today > lastDay)
    throw new RefusedByRulesError(`the ${days.value}-day window closed on ${lastDay}`, reason, [w.rule], {
      windowLastDay: lastDay,
    });
  const identity = identityKeyOf(body.region, body.identity, today);
  const person = await personFor(deps, staff, identity, body.region, { birthDate });
  const created = await openCaseOnce(
    deps,
    staff,
    { operation: w.operation, prefix: w.prefix, request: body, options },
    async (caseId) => ({
      input: {
        caseId,
        caseType: w.caseType,
        region: body.region,
        subject: { kind: 'person', identityKey: person.identityKey },
        state: 'waiting-enrollment',
        openedOn: today,
        wait: { for: 'enrollment-and-payment', until: lastDay },
        taskToken: null,
        data: {
          identityKey: person.identityKey,
          [w.event === 'birth' ? 'birthDate' : 'conversionDate']: w.eventDate,
          ...('kind' in body ? { kind: body.kind } : {}),
          windowDays: days.value,
          windowLastDay: lastDay,
          rules: [rule],
          reason,
          parameter: { name: days.name, value: days.raw, set: days.set, region: days.region, from: days.from },
          openedBy: staff.staffId,
        },
      },
      ctx: changeContext(staff, body.note ?? reason.en),
    }),
  );
  return { value: { case: caseView(created.value), decisions: {} }, replayed: created.replayed };
}

/** POST /newborn-registrations (W-1) */
export async function registerNewborn(
  deps: StaffDeps,
  staff: StaffMember,
  body: NewbornBody,
  options: RequestOptions = {},
): Promise<Created<CaseCreatedView>> {
  requireRegion(staff, body.region, 'a registration');
  const today = deps.clock.today();
  const identity = identityKeyOf(body.region, body.identity, today);
  const fromNumber = identity.value.birthDate;
  if (fromNumber && body.birthDate && fromNumber !== body.birthDate)
    throw new InputError([{ path: 'birthDate', message: `differs from the ID number's birth date ${fromNumber}` }]);
  const birthDate = fromNumber ?? body.birthDate;
  if (!birthDate) throw new InputError([{ path: 'birthDate', message: 'required: the document does not give it' }]);
  if (birthDate > today) throw new InputError([{ path: 'birthDate', message: `is after today (${today})` }]);
  return openWindow(
    deps,
    staff,
    {
      operation: 'registerNewborn',
      prefix: 'NB',
      caseType: 'newborn-window',
      rule: 'W-1',
      parameter: 'waiting.newbornWindowDays',
      eventDate: birthDate,
      event: 'birth',
    },
    body,
    birthDate,
    options,
  );
}

/** POST /identity-conversions (W-2) */
export async function registerIdentityConversion(
  deps: StaffDeps,
  staff: StaffMember,
  body: IdentityConversionBody,
  options: RequestOptions = {},
): Promise<Created<CaseCreatedView>> {
  requireRegion(staff, body.region, 'a registration');
  const today = deps.clock.today();
  if (body.conversionDate > today)
    throw new InputError([{ path: 'conversionDate', message: `is after today (${today})` }]);
  return openWindow(
    deps,
    staff,
    {
      operation: 'registerIdentityConversion',
      prefix: 'IC',
      caseType: 'identity-conversion-window',
      rule: 'W-2',
      parameter: 'waiting.conversionWindowDays',
      eventDate: body.conversionDate,
      event: 'conversion',
    },
    body,
    undefined,
    options,
  );
}
