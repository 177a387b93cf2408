/**
 * The stack's EventBridge Scheduler schedules, read from the synthesized template and run on the local
 * clock: the daily sweep (`cron(5 0 * * ? *)`, Asia/Shanghai) invokes the sweep handler, and each
 * collection window's `at(…)` start runs the universal `sfn:startExecution` target on the local adapter.
 * Nothing is hand-listed: a schedule added to the stack runs here too, or the runtime refuses to start
 * with the reason (an expression or a target it cannot run).
 *
 * A restart loses nothing: occurrences that fell between the clock's last saved instant and its instant
 * at start are run at start (`catchUp`), each daily one for its own day.
 */
import { addDays, type CalendarDate, todayCst } from '#domain/calendar.js';
import { type CfnTemplate, resolveTemplateValue, type VirtualClock } from '../local-sfn/index.js';
import type { Activity } from './activity.js';

export interface ScheduleTargets {
  /** Lambda targets by logical id: called with the schedule's input (plus `date` when catching up a day). */
  readonly lambdas: Readonly<Record<string, (input: Record<string, unknown>) => Promise<unknown>>>;
  /** `aws-sdk:sfn:startExecution` targets: the state machine's logical id, the execution name and input. */
  startExecution(stateMachineId: string, name: string, input: unknown): Promise<unknown>;
  /** Values for the template's tokens (e.g. the rosters bucket's logical id → its local name). */
  readonly values?: Record<string, string>;
}

export interface LocalSchedule {
  readonly id: string;
  readonly description: string;
  /** Daily at hh:mm CST, or once at an instant. */
  readonly when: { readonly daily: { hour: number; minute: number } } | { readonly at: number };
  /** Runs the target; `day` is the CST day of the occurrence when it is a catch-up of a daily schedule. */
  fire(day?: CalendarDate): Promise<unknown>;
}

interface ScheduleProps {
  Description?: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone?: string;
  Target: { Arn: unknown; Input?: unknown };
}

function parseWhen(id: string, expr: string, tz: string | undefined): LocalSchedule['when'] {
  if (tz !== 'Asia/Shanghai')
    throw new Error(`schedule ${id}: the local runtime runs Asia/Shanghai schedules only (got ${tz ?? 'UTC'})`);
  const cron = /^cron\((\d{1,2}) (\d{1,2}) \* \* \? \*\)$/.exec(expr);
  if (cron) return { daily: { minute: Number(cron[1]), hour: Number(cron[2]) } };
  const at = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(expr);
  if (at) return { at: Date.parse(`${at[1]}+08:00`) };
  throw new Error(`schedule ${id}: the local runtime cannot run "${expr}" (daily cron or at() only)`);
}

/** The schedules of the template, bound to local targets. */
export function readSchedules(template: CfnTemplate, targets: ScheduleTargets): LocalSchedule[] {
  const out: LocalSchedule[] = [];
  for (const [id, r] of Object.entries(template.Resources ?? {})) {
    if (r.Type !== 'AWS::Scheduler::Schedule') continue;
    const p = r.Properties as unknown as ScheduleProps;
    const when = parseWhen(id, p.ScheduleExpression, p.ScheduleExpressionTimezone);
    const description = p.Description ?? id;
    const rawInput = resolveTemplateValue(template, p.Target.Input ?? '{}', { values: targets.values });
    const input = JSON.parse(String(rawInput)) as Record<string, unknown>;
    const arn = p.Target.Arn as { 'Fn::GetAtt'?: [string, string] } | unknown;
    const fnId = (arn as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt']?.[0];
    if (fnId) {
      const fn = targets.lambdas[fnId];
      if (!fn) throw new Error(`schedule ${id}: no local binding for its Lambda target ${fnId}`);
      out.push({ id, description, when, fire: (day) => fn(day ? { ...input, date: day } : input) });
      continue;
    }
    const resolvedArn = String(resolveTemplateValue(template, arn, { values: targets.values }));
    if (/:scheduler:::aws-sdk:sfn:startExecution$/.test(resolvedArn)) {
      const smId = /:stateMachine:([^:]+)$/.exec(String(input.StateMachineArn))?.[1];
      if (!smId) throw new Error(`schedule ${id}: cannot read the state machine of ${String(input.StateMachineArn)}`);
      const executionInput = JSON.parse(String(input.Input ?? '{}')) as unknown;
      out.push({
        id,
        description,
        when,
        fire: () => targets.startExecution(smId, String(input.Name), executionInput),
      });
      continue;
    }
    throw new Error(`schedule ${id}: the local runtime cannot run its target ${resolvedArn}`);
  }
  return out;
}

/** The instant of a daily hh:mm CST on a CST day. */
const dailyAt = (day: CalendarDate, hour: number, minute: number) =>
  Date.parse(`${day}T00:00:00+08:00`) + (hour * 60 + minute) * 60_000;

/** The first occurrence strictly after `afterMs`. */
export function nextOccurrence(when: LocalSchedule['when'], afterMs: number): number | undefined {
  if ('at' in when) return when.at > afterMs ? when.at : undefined;
  const today = todayCst(afterMs);
  const t = dailyAt(today, when.daily.hour, when.daily.minute);
  return t > afterMs ? t : dailyAt(addDays(today, 1), when.daily.hour, when.daily.minute);
}

/** Runs the schedules on the clock, each job counted as activity; failures are logged, as a DLQ would keep them. */
export class LocalScheduler {
  /** The armed timer of each schedule. */
  private readonly timers = new Map<string, number>();
  private stopped = false;

  constructor(
    private readonly clock: VirtualClock,
    private readonly activity: Activity,
    private readonly schedules: readonly LocalSchedule[],
    private readonly log: (line: string) => void,
  ) {}

  private async run(s: LocalSchedule, day?: CalendarDate): Promise<void> {
    await this.activity.track(async () => {
      try {
        await s.fire(day);
        this.log(`schedule ${s.description}${day ? ` (for ${day})` : ''}: done`);
      } catch (e) {
        this.log(
          `schedule ${s.description}${day ? ` (for ${day})` : ''} failed: ${(e as Error).name}: ${(e as Error).message}`,
        );
      }
    });
  }

  /** Occurrences in (fromMs, toMs], oldest first: the ones a stopped system missed. */
  async catchUp(fromMs: number, toMs: number): Promise<number> {
    const due: Array<{ s: LocalSchedule; at: number }> = [];
    for (const s of this.schedules)
      for (let t = nextOccurrence(s.when, fromMs); t !== undefined && t <= toMs; t = nextOccurrence(s.when, t))
        due.push({ s, at: t });
    due.sort((a, b) => a.at - b.at);
    for (const { s, at } of due) await this.run(s, 'daily' in s.when ? todayCst(at) : undefined);
    return due.length;
  }

  /** Arms each schedule's next occurrence after now; a daily one re-arms itself after each run. */
  start(): void {
    for (const s of this.schedules) this.arm(s, this.clock.now());
  }

  private arm(s: LocalSchedule, afterMs: number): void {
    const at = nextOccurrence(s.when, afterMs);
    if (at === undefined || this.stopped) return;
    this.timers.set(
      s.id,
      this.clock.setTimerAt(at, () => {
        void this.run(s).then(() => this.arm(s, at));
      }),
    );
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) this.clock.clearTimer(t);
  }
}
