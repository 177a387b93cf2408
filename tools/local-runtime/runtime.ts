/**
 * The local runtime (`npm start`): DynamoDB Local with the case table, the five state machines of the synthesized
 * stack on the local Step Functions adapter (Task states bound to the real task handlers), the staff API on
 * node:http calling the real route handlers, tax payment notifications through `POST /_events`, and one clock
 * (a VirtualClock that follows real time and can be moved: `POST /_clock/advance`), on which the stack's
 * schedules run (the daily sweep, the collection windows' starts: schedules.ts).
 *
 * A restart loses nothing: the clock's instant is kept in `<data>/clock.json`; at start every open
 * workflow case gets its execution back (shared/app/workflows/rearm.ts) and the schedule occurrences
 * missed while stopped are run (a daily sweep for each day missed).
 *
 *   const rt = await startLocalRuntime({ inMemory: true, apiPort: 0 });
 *   rt.apiUrl; rt.tokens;    // dev tokens, one per role and region
 *   await rt.stop();
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useStaffDeps } from '#functions/api/deps.js';
import { logger as taskLogger } from '#functions/tasks/lib/task.js';
import { createPaymentIntake, type IntakeLog } from '#app/intake/index.js';
import type { Clock, DeadLetters } from '#app/ports.js';
import type { WorkflowDeps } from '#app/workflows/common.js';
import { todayCst } from '#domain/calendar.js';
import { TAX_PAYMENT_DETAIL_TYPE, TAX_PAYMENT_SOURCE } from '#schemas/events.js';
import { DynamoWorkflowStore } from '#store/workflow-store.js';
import { sweepHandler } from '#functions/sweep/handler.js';
import { rearmOpenCases, type RearmReport } from '#app/workflows/rearm.js';
import { rosterItem } from '#app/workflows/collection-window.js';
import { yearOf } from '#domain/calendar.js';
import { REGION_CODES } from '#domain/regions.js';
import { type Duration, durationToMs, LocalStepFunctions, VirtualClock } from '../local-sfn/index.js';
import { Activity } from './activity.js';
import { type LocalDynamoServer, startLocalDynamo } from './dynamo.js';
import { createRequestListener, type Reply } from './http-api.js';
import { LocalScheduler, readSchedules } from './schedules.js';
import { createTokenAuthority, type DevToken, devTokens } from './tokens.js';
import {
  LOCAL_ROSTER_BUCKET,
  localCallbacks,
  localStarter,
  registerMachines,
  synthesizeMachines,
} from './workflows.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface LocalRuntimeOptions {
  /** Port of the staff API on 127.0.0.1 (0 = a free one). Default 3000. */
  readonly apiPort?: number;
  /** Port of DynamoDB Local (default: a free one). */
  readonly dynamoPort?: number;
  /** Keep nothing: DynamoDB Local in memory, a temporary folder for the rosters. */
  readonly inMemory?: boolean;
  /** Folder of the kept data (default `.local` in the repository): `dynamodb/`, `s3/`. */
  readonly dataDir?: string;
  readonly tableName?: string;
  /**
   * Where the clock starts (ISO instant or epoch ms). Default: where it stood when the kept data was last
   * used, if that is later than now (a clock moved ahead stays ahead), else now.
   */
  readonly clockStart?: string | number;
  /** Let the clock follow real time between moves (default true; a test may turn it off). */
  readonly followRealTime?: boolean;
  /** Regions the dev tokens are made for (default 220100 and 220200). */
  readonly tokenRegions?: readonly string[];
  /** Readable log lines (default: console.log with the clock time). */
  readonly log?: (line: string) => void;
  /** Keep the handlers' JSON logs (default: warnings and errors only). */
  readonly verbose?: boolean;
}

export interface LocalRuntime {
  readonly apiUrl: string;
  readonly dynamoEndpoint: string;
  readonly tableName: string;
  readonly tokens: readonly DevToken[];
  readonly clock: VirtualClock;
  readonly sfn: LocalStepFunctions;
  readonly store: DynamoWorkflowStore;
  /** What the start re-armed: the open cases given their execution back. */
  readonly rearmed: RearmReport;
  /** Schedule occurrences missed while stopped and run at start. */
  readonly caughtUp: number;
  /** Moves the clock (timers on the way fire, each day's work done before the next) and returns the new instant. */
  advance(by: Duration): Promise<number>;
  /** Resolves once no task, schedule or notification is in flight. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** What `<data>/clock.json` keeps between runs. */
interface SavedClock {
  /** The clock's instant when last saved (ISO). */
  readonly now: string;
}

function readSavedClock(file: string | null): SavedClock | null {
  if (!file || !existsSync(file)) return null;
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as SavedClock;
    return Number.isNaN(Date.parse(v.now)) ? null : v;
  } catch {
    return null;
  }
}

/** A tax payment notification as POSTed: an EventBridge event, the envelope's own fields filled in when absent. */
function envelope(event: Record<string, unknown>, now: number): Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': TAX_PAYMENT_DETAIL_TYPE,
    source: TAX_PAYMENT_SOURCE,
    account: '000000000000',
    time: new Date(now).toISOString(),
    region: 'cn-north-1',
    resources: [],
    ...event,
  };
}

export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const dataDir = resolve(options.dataDir ?? join(REPO_ROOT, '.local'));
  const clockFile = options.inMemory ? null : join(dataDir, 'clock.json');
  const saved = readSavedClock(clockFile);
  const start =
    options.clockStart !== undefined
      ? typeof options.clockStart === 'number'
        ? options.clockStart
        : Date.parse(options.clockStart)
      : Math.max(Date.now(), saved ? Date.parse(saved.now) : 0);
  const clock = new VirtualClock({ start });
  const cstTime = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
  const log = options.log ?? ((line: string) => console.log(`[${cstTime(clock.now())} CST] ${line}`));
  if (!options.verbose) {
    taskLogger.setLogLevel('WARN');
    // The staff API's logger (functions/lib/http.ts) reads its level when its handler module is first imported.
    process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  }

  const s3Root = options.inMemory ? mkdtempSync(join(tmpdir(), 'jl-local-s3-')) : join(dataDir, 's3');
  if (!options.inMemory) mkdirSync(s3Root, { recursive: true });

  const stops: Array<() => Promise<void> | void> = [];
  const stopAll = async () => {
    for (const s of stops.reverse()) await s();
    stops.length = 0;
  };

  try {
    const dynamo: LocalDynamoServer = await startLocalDynamo({
      dataDir: options.inMemory ? null : join(dataDir, 'dynamodb'),
      port: options.dynamoPort,
      tableName: options.tableName ?? 'jl-cases',
    });
    stops.push(() => dynamo.stop());
    if (options.inMemory) stops.push(() => rmSync(s3Root, { recursive: true, force: true }));
    log(`DynamoDB Local on ${dynamo.endpoint} (${dynamo.dataDir ?? 'in memory'}), table ${dynamo.tableName}`);

    const appClock: Clock = { now: () => clock.now(), today: () => todayCst(clock.now()) };
    const store = new DynamoWorkflowStore({
      client: dynamo.client,
      tableName: dynamo.tableName,
      now: () => new Date(clock.now()),
    });

    const activity = new Activity();
    const track = <T>(work: () => Promise<T>) => activity.track(work);
    const idle = () => activity.idle(() => clock.settle());
    const sfn = new LocalStepFunctions({
      clock,
      s3Root,
      onTaskToken: (t) => log(`waiting for a callback: ${t.executionName} at ${t.stateName}`),
    });
    stops.push(() => sfn.dispose());
    const names = new Map();
    const starter = localStarter(sfn, names, log);
    const callbacks = localCallbacks(sfn, log);
    const deps: WorkflowDeps = { store, clock: appClock, callbacks, starter };
    // Window start schedules for the fee years around the clock (the stack's context lists them).
    const clockYear = yearOf(todayCst(clock.now()));
    const synth = synthesizeMachines({ windowFeeYears: [clockYear, clockYear + 1, clockYear + 2] });
    for (const [w, n] of registerMachines(sfn, synth, deps, s3Root, log, track)) names.set(w, n);
    log(`state machines: ${[...names.keys()].join(', ')}`);

    // Open cases get their execution back: on the local adapter executions live in memory.
    const rearmed = await rearmOpenCases({ store, starter }, { rosterBucket: LOCAL_ROSTER_BUCKET, log: (l) => log(l) });
    const count = Object.values(rearmed.rearmed).reduce((a, b) => a + (b ?? 0), 0);
    if (count > 0 || rearmed.failures.length > 0)
      log(
        `re-armed ${count} open case(s)${rearmed.failures.length ? `; ${rearmed.failures.length} failed: ${rearmed.failures.map((f) => `${f.caseId}: ${f.error}`).join('; ')}` : ''}`,
      );

    // The stack's schedules on the clock; those missed while stopped run now.
    const sweep = sweepHandler(deps);
    const machineOf = new Map([...synth.machines].map(([w, ids]) => [ids.stateMachineId, w]));
    const schedules = readSchedules(synth.template, {
      lambdas: {
        [synth.sweepFunctionId]: async (input) => {
          const report = (await sweep(input)) as unknown as Record<string, unknown>;
          // The report's non-zero counters: what the sweep moved that day.
          const moved = Object.entries(report).filter(
            ([k, v]) => typeof v === 'number' && v > 0 && k !== 'ownedByExecution',
          );
          if (moved.length) log(`daily sweep ${String(report.date)}: ${moved.map(([k, v]) => `${k} ${v}`).join(', ')}`);
          return report;
        },
      },
      values: synth.bucketId ? { [synth.bucketId]: LOCAL_ROSTER_BUCKET } : {},
      startExecution: async (smId, name, input) => {
        const w = machineOf.get(smId);
        if (!w) throw new Error(`no local state machine ${smId}`);
        return starter.start(w, name, input);
      },
    });
    const saveClock = () => {
      if (clockFile)
        writeFileSync(
          clockFile,
          `${JSON.stringify({ now: new Date(clock.now()).toISOString() } satisfies SavedClock)}\n`,
        );
    };
    const scheduler = new LocalScheduler(clock, activity, schedules, log);
    const caughtUp = saved ? await scheduler.catchUp(Date.parse(saved.now), clock.now()) : 0;
    if (caughtUp > 0) log(`ran ${caughtUp} schedule occurrence(s) missed while stopped`);
    scheduler.start();
    saveClock();
    stops.push(async () => {
      scheduler.stop();
      await idle();
      saveClock();
    });
    log(`schedules: ${schedules.length} (${schedules.filter((x) => 'daily' in x.when).length} daily)`);

    useStaffDeps({ store, workflows: starter, callbacks, clock: appClock });
    stops.push(() => useStaffDeps(undefined));

    const deadLetters: DeadLetters & { readonly items: Array<{ reason: string }> } = {
      items: [],
      async send(_body, reason) {
        this.items.push({ reason });
        log(`notification dead-lettered: ${reason}`);
      },
    };
    const intakeLog: IntakeLog = options.verbose
      ? {
          info: (m, a) => log(`${m} ${JSON.stringify(a ?? {})}`),
          warn: (m, a) => log(`${m} ${JSON.stringify(a ?? {})}`),
          error: (m, a) => log(`${m} ${JSON.stringify(a ?? {})}`),
        }
      : { info: () => undefined, warn: (m) => log(`intake: ${m}`), error: (m) => log(`intake: ${m}`) };
    const intake = createPaymentIntake({
      store,
      callbacks,
      workflows: starter,
      deadLetters,
      clock: appClock,
      log: intakeLog,
    });

    // One clock: moves (advance, real-time ticks) run one after the other, timer by timer, each one's
    // work finished before the next fires (a day's sweep before the next day's).
    let offsetMs = clock.now() - Date.now();
    let moving: Promise<unknown> = Promise.resolve();
    const stepTo = async (target: number) => {
      for (;;) {
        await idle();
        const due = clock.nextTimerDue();
        if (due === undefined || due > target) break;
        await clock.advanceTo(due);
      }
      await clock.advanceTo(Math.max(clock.now(), target));
      await idle();
    };
    const move = (to: () => number) => {
      const next = moving.then(() => stepTo(to()));
      moving = next.catch(() => undefined);
      return next;
    };
    const advance = async (by: Duration): Promise<number> => {
      const ms = durationToMs(by);
      if (!(ms >= 0)) throw new Error('the clock only moves forward');
      await move(() => clock.now() + ms);
      offsetMs = clock.now() - Date.now();
      saveClock();
      log(`clock advanced by ${JSON.stringify(by)} to ${new Date(clock.now()).toISOString()}`);
      return clock.now();
    };
    if (options.followRealTime ?? true) {
      let ticks = 0;
      const tick = setInterval(() => {
        void move(() => Date.now() + offsetMs).then(() => {
          if (++ticks % 60 === 0) saveClock();
        });
      }, 1_000);
      tick.unref();
      stops.push(async () => {
        clearInterval(tick);
        await moving;
      });
    }

    const clockView = () => ({ now: new Date(clock.now()).toISOString(), today: todayCst(clock.now()) });
    const badRequest = (detail: string, extra: Record<string, unknown> = {}): Reply => ({
      status: 400,
      headers: { 'content-type': 'application/problem+json' },
      body: { type: 'about:blank', title: 'Bad request', status: 400, detail, ...extra },
    });
    const internal: Record<string, (body: unknown, method: string, rest: string) => Promise<Reply>> = {
      // The agency's roster upload (the S3 object the window's start schedule names): JSON Lines.
      '/_rosters': async (body, method, rest) => {
        if (method !== 'PUT') return { status: 405, body: { title: 'use PUT /_rosters/<fee year>/<region>' } };
        const m = /^(\d{4})\/(\d{6})$/.exec(rest);
        if (!m || !REGION_CODES.includes(m[2]!))
          return badRequest('the path is /_rosters/<fee year>/<region code>, e.g. /_rosters/2028/220100');
        if (!Array.isArray(body)) return badRequest('the body is a JSON array of roster items (docs/tasks.md)');
        const errors = body.flatMap((item, i) => {
          const r = rosterItem.safeParse(item);
          return r.success
            ? []
            : r.error.issues.map((x) => ({ index: i, field: x.path.join('.'), message: x.message }));
        });
        if (errors.length > 0)
          return badRequest(`${errors.length} bad field(s) in the roster; nothing was written`, { errors });
        const file = join(s3Root, LOCAL_ROSTER_BUCKET, 'rosters', m[1]!, `${m[2]}.jsonl`);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, body.map((item) => JSON.stringify(item)).join('\n') + (body.length ? '\n' : ''));
        log(`roster ${m[1]} ${m[2]}: ${body.length} resident(s)`);
        return {
          status: 200,
          body: { bucket: LOCAL_ROSTER_BUCKET, key: `rosters/${m[1]}/${m[2]}.jsonl`, items: body.length },
        };
      },
      '/_clock': async () => ({ status: 200, body: clockView() }),
      '/_clock/advance': async (body, method) => {
        if (method !== 'POST') return { status: 405, body: { title: 'use POST' } };
        const d = body as Duration;
        const keys = ['days', 'hours', 'minutes', 'seconds', 'ms'] as const;
        const bad =
          !d ||
          typeof d !== 'object' ||
          !keys.some((k) => typeof d[k] === 'number') ||
          keys.some((k) => d[k] !== undefined && !(typeof d[k] === 'number' && d[k]! >= 0));
        if (bad)
          return {
            status: 400,
            headers: { 'content-type': 'application/problem+json' },
            body: { title: 'Bad request', status: 400, detail: 'give {"days": n} (or hours, minutes, seconds), n ≥ 0' },
          };
        await advance(d);
        return { status: 200, body: clockView() };
      },
      '/_events': async (body, method) => {
        if (method !== 'POST') return { status: 405, body: { title: 'use POST' } };
        const events = Array.isArray(body) ? body : [body];
        const outcomes = [];
        for (const e of events) {
          const event = envelope((e ?? {}) as Record<string, unknown>, clock.now());
          try {
            const outcome = await track(() =>
              intake.handleMessage(JSON.stringify(event), { messageId: String(event.id) }),
            );
            log(
              outcome.kind === 'processed'
                ? `payment notification ${String(event.id)}: ${outcome.persons.length} person(s) processed`
                : `payment notification ${String(event.id)} malformed: ${outcome.reason}`,
            );
            outcomes.push(outcome);
          } catch (err) {
            log(`payment notification ${String(event.id)} failed (SQS would redeliver it): ${(err as Error).message}`);
            return {
              status: 503,
              headers: { 'content-type': 'application/problem+json' },
              body: { title: 'Intake incomplete', status: 503, detail: (err as Error).message, outcomes },
            };
          }
        }
        const malformed = outcomes.some((o) => o.kind === 'malformed');
        return { status: malformed ? 422 : 200, body: Array.isArray(body) ? outcomes : outcomes[0] };
      },
    };

    const authority = createTokenAuthority();
    const tokens = await devTokens(authority, options.tokenRegions ?? ['220100', '220200']);
    // For `npm run demo` against this running system: readable by this user only, replaced at each start.
    const tokenFile = options.inMemory ? null : join(dataDir, 'dev-tokens.json');
    if (tokenFile) writeFileSync(tokenFile, `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600 });
    const server: Server = createServer(
      createRequestListener({ repoRoot: REPO_ROOT, tokens: authority, log, internal, settled: idle }),
    );
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(options.apiPort ?? 3000, '127.0.0.1', () => ok());
    });
    stops.push(
      () =>
        new Promise<void>((ok) => {
          server.close(() => ok());
          server.closeAllConnections();
        }),
    );
    const addr = server.address();
    const apiUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    log(`staff API on ${apiUrl}`);

    let stopped: Promise<void> | undefined;
    return {
      apiUrl,
      dynamoEndpoint: dynamo.endpoint,
      tableName: dynamo.tableName,
      tokens,
      clock,
      sfn,
      store,
      rearmed,
      caughtUp,
      advance,
      idle,
      stop: () => {
        stopped ??= stopAll().then(() => log('stopped'));
        return stopped;
      },
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
