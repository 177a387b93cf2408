/**
 * The concentrated collection window state machine, as synthesized, run by the local adapter on a virtual
 * clock with the REAL task handler on DynamoDB Local and a local folder standing for S3.
 *
 * The 2027 window of Changchun (220100) and Jilin City (220200) runs 2026-10-01 to 2026-12-31 (JL21 window,
 * kept). 2,000 + 1,000 residents are rostered from JSON Lines; during the window intake records payments
 * (ledger; half of them also settled at once as intake does); at the close the unpaid lapse with their
 * waiting periods recorded; the renewal rate per region is stored on the window case and written to S3.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectionWindowTasks } from '#functions/tasks/collection-window/handler.js';
import {
  type ExecutionDescription,
  type Json,
  LocalStepFunctions,
  type TaskFunction,
  VirtualClock,
} from '#tools/local-sfn/index.js';
import {
  buildCollectionWindowStateMachine,
  COLLECTION_WINDOW_SIZING,
} from '#infra/state-machines/collection-window.js';
import type { Clock } from '#app/ports.js';
import { todayCst } from '#domain/calendar.js';
import type { WorkflowStore } from '#store/case-store.js';
import { ThrottledError } from '#store/errors.js';
import type { ChangeContext } from '#store/model.js';
import type { DynamoWorkflowStore } from '#store/workflow-store.js';
import { storeOn } from '../support/workflow-suite.js';
import { type Resident, residents, writeRoster } from './fixtures/roster.js';
import { useWorkflowSuite, validateAsl } from './support.js';

const BUCKET = 'jl-collection-data';
const OPENING = '2026-09-30T16:01:00Z'; // 2026-10-01 00:01 CST, when the scheduler starts the executions
const intake: ChangeContext = {
  actor: { kind: 'system', component: 'intake' },
  reason: 'tax payment notification (test)',
};

let s3Root: string;

/** The handlers' clock port on the local runtime's clock, so tasks and timers share one time. */
const clockOn = (source: VirtualClock): Clock => ({ now: () => source.now(), today: () => todayCst(source.now()) });

const suite = useWorkflowSuite({
  entry: 'functions/tasks/collection-window/handler.ts',
  build: (scope, id, props) =>
    buildCollectionWindowStateMachine(scope, id, {
      ...props,
      bucket: new Bucket(scope, 'Data', {
        encryption: BucketEncryption.S3_MANAGED,
        enforceSSL: true,
        blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      }),
    }),
});

beforeAll(async () => {
  s3Root = await mkdtemp(join(tmpdir(), 'collection-window-s3-'));
});
afterAll(async () => {
  if (s3Root) await rm(s3Root, { recursive: true, force: true });
});

/** The S3 putObject service integration, on the local folder. */
const putObject: TaskFunction = async (params) => {
  const { Bucket: b, Key, Body } = params as { Bucket: string; Key: string; Body: unknown };
  const file = join(s3Root, b, Key);
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, typeof Body === 'string' ? Body : JSON.stringify(Body));
  return { ETag: '"local"' };
};

/**
 * A runtime on its own virtual clock and a table of its own, running the synthesized definition with the real
 * handler. `wrap` may put a fault in front of the store (the handler code is unchanged).
 */
async function setUp(table: string, wrap: (s: DynamoWorkflowStore) => WorkflowStore = (s) => s) {
  const clock = new VirtualClock({ start: OPENING });
  const synth = suite.wf;
  const store = storeOn(suite.local, () => new Date(clock.now()), await suite.local.newTable(table));
  const bucketId = Object.entries(synth.template.Resources ?? {}).find(([, r]) => r.Type === 'AWS::S3::Bucket')![0];
  const { handler } = collectionWindowTasks({ store: wrap(store), clock: clockOn(clock) });
  const sfn = new LocalStepFunctions({ clock, s3Root });
  sfn.createStateMachineFromTemplate(synth.template, synth.stateMachineId, {
    values: { [bucketId]: BUCKET },
    bindings: {
      lambdas: { [synth.functionId]: (input) => handler(input) as Promise<Json> },
      integrations: {
        'arn:aws:states:::aws-sdk:s3:putObject': putObject,
        'arn:aws-cn:states:::aws-sdk:s3:putObject': putObject,
      },
    },
  });
  const start = (region: string, key: string) =>
    sfn.startExecution({
      stateMachine: synth.stateMachineId,
      name: `collection-window-${region}-2027`,
      input: { region, feeYear: 2027, roster: { bucket: BUCKET, key } },
    });
  return { clock, store, sfn, start };
}

async function inPool<T>(items: readonly T[], size: number, fn: (t: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

const readJson = async (bucket: string, key: string) => JSON.parse(await readFile(join(s3Root, bucket, key), 'utf8'));

/** The Map Run's result files (ResultWriter): manifest, then the outputs of the succeeded and failed children. */
async function mapResults(details: { Bucket: string; Key: string }) {
  const manifest = await readJson(details.Bucket, details.Key);
  const files = (kind: string) =>
    Promise.all(
      ((manifest.ResultFiles[kind] ?? []) as Array<{ Key: string }>).map((f) => readJson(details.Bucket, f.Key)),
    ).then((xs) => xs.flat() as Array<{ Input: string; Output?: string; Status: string; Error?: string }>);
  return { manifest, succeeded: await files('SUCCEEDED'), failed: await files('FAILED') };
}

describe('the definition', () => {
  it('is valid ASL (asl-validator), JSONPath only, logs ALL with X-Ray on, cdk-nag clean', () => {
    expect(validateAsl(suite.wf.definition)).toMatchObject({ isValid: true });
    expect(JSON.stringify(suite.wf.definition)).not.toMatch(/JSONata|"Assign"|"Arguments"|"Output"/);
    // The machine, its role and bucket grants are clean (the function's and the bucket's own findings are the
    // system stack's: this bucket stands for the one it creates).
    expect(suite.wf.nagFindings.filter((f) => !/^\/WorkflowTest\/(Tasks|Data)\//.test(f))).toEqual([]);
    expect(suite.wf.resource.Properties).toMatchObject({
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
    });
    const states = suite.wf.definition.States as Record<string, Record<string, unknown>>;
    for (const name of ['CreateRenewals', 'LapseUnpaid']) {
      expect(states[name]).toMatchObject({
        Type: 'Map',
        ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } },
        ItemReader: { ReaderConfig: { InputType: 'JSONL' }, Parameters: { 'Bucket.$': '$.roster.bucket' } },
        ItemBatcher: {
          MaxItemsPerBatch: COLLECTION_WINDOW_SIZING.maxItemsPerBatch,
          BatchInput: { 'region.$': '$.region', 'feeYear.$': '$.feeYear' },
        },
        ToleratedFailureCount: COLLECTION_WINDOW_SIZING.toleratedFailureCount,
        ResultWriter: { Parameters: { Prefix: expect.stringMatching(/^collection-window\//) } },
      });
    }
    expect(states.CreateRenewals!.MaxConcurrency).toBe(COLLECTION_WINDOW_SIZING.createConcurrency);
    expect(states.LapseUnpaid!.MaxConcurrency).toBe(COLLECTION_WINDOW_SIZING.lapseConcurrency);
    expect(states.WaitForClose).toMatchObject({ Type: 'Wait', TimestampPath: '$.window.closesAt' });
  });
});

describe('the 2027 window of Changchun and Jilin City', () => {
  const people = {
    '220100': residents('220100', 2_000, 6), // 6 of 10 pay
    '220200': residents('220200', 1_000, 7), // 7 of 10 pay
  } as const;
  const rosterKey = (r: string) => `rosters/2027/${r}.jsonl`;

  it('rosters, waits for the close, renews, subsidises and lapses; the renewal rate per region goes to S3', async () => {
    let throttled = 0;
    // One transient DynamoDB throttle on a Changchun create-renewals batch: the Task's Retry takes it.
    const rt = await setUp('cw-main', (s) =>
      Object.assign(Object.create(s) as DynamoWorkflowStore, {
        createRenewals: (input: Parameters<DynamoWorkflowStore['createRenewals']>[0], ctx: ChangeContext) => {
          if (input[0]?.region === '220100' && throttled++ === 0)
            throw new ThrottledError('createRenewals', 5, 'ThrottlingException');
          return s.createRenewals(input, ctx);
        },
      }),
    );
    const other = people['220200'][3]!;
    await writeRoster(s3Root, BUCKET, rosterKey('220100'), people['220100'], [
      { identityKey: 'not-a-key', region: '220100', birthDate: '1980-01-01' },
      { ...other, plan: undefined, kind: undefined, region: '220200' }, // rostered by the other region's file
    ]);
    await writeRoster(s3Root, BUCKET, rosterKey('220200'), people['220200']);

    const cc = await rt.start('220100', rosterKey('220100'));
    const jc = await rt.start('220200', rosterKey('220200'));
    // Both reach WaitForClose: their timers are on the clock.
    await rt.clock.whenTimersPending(2);
    expect(rt.sfn.describeExecution(cc.executionArn).status).toBe('RUNNING');

    // Mid-window: every valid resident is pending, priced (C-9/C-10) with the roster counted once.
    expect(await rt.store.renewalCounts('220100', 2027)).toMatchObject({ rostered: 2_000, pending: 2_000 });
    expect(await rt.store.renewalCounts('220200', 2027)).toMatchObject({ rostered: 1_000, pending: 1_000 });
    const adult = people['220100'][5]!;
    const assisted = people['220100'][1]!;
    const child = people['220100'][0]!;
    expect(await rt.store.getRenewal(adult.identityKey, 2027)).toMatchObject({
      status: 'pending',
      category: 'adult',
      personPaysFen: 42_000,
      subsidyFen: 0,
      windowClosesOn: '2026-12-31',
    });
    expect(await rt.store.getRenewal(assisted.identityKey, 2027)).toMatchObject({
      personPaysFen: 42_000,
      subsidyFen: 15_000,
    });
    const childRenewal = await rt.store.getRenewal(child.identityKey, 2027);
    expect(childRenewal.category).not.toBe('adult');
    const rostered = (await rt.store.auditTrail({ identityKey: adult.identityKey })).items;
    expect(rostered).toEqual([
      expect.objectContaining({
        action: 'renewal-rostered',
        actor: { kind: 'system', component: 'collection-window' },
        at: expect.stringMatching(/^2026-09-30T16:01/),
        reason: expect.stringContaining('C-8: rostered for the 2027 window (2026-10-01 to 2026-12-31)'),
      }),
    ]);
    // The bad lines were rejected, the batch went on: they are in the Map Run's results.
    const created = await mapResults(renewalsResult(rt.sfn, cc.executionArn));
    expect(created.failed).toEqual([]);
    const rejected = created.succeeded.flatMap((r) => (JSON.parse(r.Output!) as { rejected: unknown[] }).rejected);
    expect(rejected).toHaveLength(2);
    expect(rejected).toEqual(
      expect.arrayContaining([expect.objectContaining({ error: expect.stringContaining('is not this window') })]),
    );

    // 2026-11-15: payments arrive; intake writes the ledger (and settles half of the renewals at once).
    await rt.clock.advanceTo('2026-11-15T02:30:00Z');
    const payers = [...people['220100'], ...people['220200']].filter((p) => p.plan !== 'silent');
    await inPool(payers, 16, async (p: Resident) => {
      const price = (await rt.store.getRenewal(p.identityKey, 2027)).personPaysFen;
      const amount = p.plan === 'underpays' ? 10_000 : price;
      const notificationId = `N-2027-${p.identityKey.slice(-8)}`;
      await rt.store.intakeNotification(
        {
          notificationId,
          identityKey: p.identityKey,
          scheme: 'resident',
          region: p.region,
          payer: { kind: 'person' },
          paidAt: '2026-11-15T10:30:00+08:00',
          periods: [{ feePeriod: '2027', amount }],
        },
        intake,
      );
      if (p.plan === 'pays-settled-by-intake')
        await rt.store.settleRenewals(
          p.region,
          2027,
          [
            {
              identityKey: p.identityKey,
              status: p.assistance ? 'subsidised' : 'renewed',
              settledOn: '2026-11-15',
              details: { notificationId, paidFen: amount },
              reason: `W-4: paid ${amount} fen on 2026-11-15 in the window`,
            },
          ],
          intake.actor,
        );
    });
    // During the window the rate can be read already (intake settled some): still waiting.
    expect((await rt.store.renewalCounts('220100', 2027)).renewed).toBeGreaterThan(0);
    expect(rt.sfn.describeExecution(jc.executionArn).status).toBe('RUNNING');

    // The close: 2026-12-31 24:00 CST. The Wait ends, the unpaid lapse, the report is written.
    await rt.clock.advanceTo('2026-12-31T16:30:00Z');
    const [ccDone, jcDone] = await Promise.all([cc.done, jc.done]);
    expect(ccDone.status).toBe('SUCCEEDED');
    expect(jcDone.status).toBe('SUCCEEDED');
    expect(ccDone.stopDate!.toISOString() >= '2026-12-31T16:00:00.000Z').toBe(true);

    const expected = (list: readonly Resident[]) => {
      const paid = list.filter((p) => p.plan === 'pays' || p.plan === 'pays-settled-by-intake');
      const subsidised = paid.filter((p) => p.assistance).length;
      return {
        rostered: list.length,
        renewed: paid.length - subsidised,
        subsidised,
        lapsed: list.length - paid.length,
      };
    };
    const ccExp = expected(people['220100']);
    const jcExp = expected(people['220200']);
    expect(ccExp).toEqual({ rostered: 2_000, renewed: 1_100, subsidised: 100, lapsed: 800 });
    expect(jcExp).toEqual({ rostered: 1_000, renewed: 650, subsidised: 50, lapsed: 300 });

    // The execution's output is the report; the same report is on the window case and in S3.
    for (const [done, region, exp, percent] of [
      [ccDone, '220100', ccExp, '60.0%'],
      [jcDone, '220200', jcExp, '70.0%'],
    ] as const) {
      const report = done.output as { regions: unknown[] };
      expect(report.regions).toEqual([
        {
          region,
          feeYear: 2027,
          ...exp,
          pending: 0,
          renewalRate: { num: exp.renewed + exp.subsidised, den: exp.rostered, percent },
        },
      ]);
      expect(await readJson(BUCKET, `collection-window/reports/2027/${region}.json`)).toEqual(report);
      const windowCase = await rt.store.getCase(`collection-window-${region}-2027`);
      expect(windowCase).toMatchObject({
        state: 'completed',
        wait: null,
        closedOn: '2027-01-01',
        data: { feeYear: 2027, opensOn: '2026-10-01', closesOn: '2026-12-31', report: { on: '2027-01-01' } },
      });
      expect(
        (await rt.store.auditTrail({ caseId: windowCase.caseId })).items.map((a) => [a.action, a.at.slice(0, 10)]),
      ).toEqual([
        ['case-opened:open', '2026-09-30'],
        ['case-saved:completed', '2026-12-31'],
      ]);
    }

    // Each resident's renewal, with its audit records (real dates and amounts).
    const settledByMap = people['220100'][3]!; // pays, settled at the close from the ledger
    expect(settledByMap.plan).toBe('pays');
    expect(await rt.store.getRenewal(settledByMap.identityKey, 2027)).toMatchObject({
      status: 'renewed',
      settledOn: '2026-11-15',
      details: { paidFen: 42_000, subsidyFen: 0 },
    });
    expect((await rt.store.auditTrail({ identityKey: settledByMap.identityKey })).items.map((a) => a.action)).toEqual(
      expect.arrayContaining(['renewal-rostered', 'renewal-renewed']),
    );
    const subsidisedByMap = people['220100'][21]!;
    expect(subsidisedByMap).toMatchObject({ plan: 'pays', kind: 'assisted' });
    expect(await rt.store.getRenewal(subsidisedByMap.identityKey, 2027)).toMatchObject({
      status: 'subsidised',
      details: { paidFen: 42_000, subsidyFen: 15_000 },
    });
    const underpaid = people['220100'][6]!;
    expect(underpaid).toMatchObject({ plan: 'underpays', continuousYears: 1 });
    expect(await rt.store.getRenewal(underpaid.identityKey, 2027)).toMatchObject({
      status: 'lapsed',
      settledOn: '2026-12-31',
      details: {
        waitingIfPaid: [
          { paidOn: '2027-01-01', waitingDays: 90, decidedBy: 'W-6' },
          { paidOn: '2027-04-01', waitingDays: 90, decidedBy: 'W-6' },
        ],
      },
    });
    const silent = people['220100'][9]!;
    expect(silent).toMatchObject({ plan: 'silent', continuousYears: 4 });
    expect(await rt.store.getRenewal(silent.identityKey, 2027)).toMatchObject({
      status: 'lapsed',
      details: {
        waitingIfPaid: [
          { paidOn: '2027-01-01', waitingDays: 0, coverStarts: '2027-01-01', decidedBy: 'W-5c' },
          { paidOn: '2027-04-01', waitingDays: 90, coverStarts: '2027-07-01', decidedBy: 'W-6' },
        ],
      },
    });
    const lapsedAudit = (await rt.store.auditTrail({ identityKey: silent.identityKey })).items;
    expect(lapsedAudit.find((a) => a.action === 'renewal-lapsed')).toMatchObject({
      at: expect.stringMatching(/^2026-12-31T16:/),
      reason: expect.stringContaining('2027-01-01 → 0 days (W-5c)'),
    });

    // Transitions (billing): 7 parent states (OpenWindow, CreateRenewals, WaitForClose, LapseUnpaid, Report,
    // PutReport, Closed) + one per child execution started + the child's Task state + retries.
    const t = rt.sfn.countTransitions(cc.executionArn);
    // 2,002 lines → 5 batches per Map: 5 children × (1 start + 1 Task) per Map; one throttle retry.
    expect(t).toMatchObject({ mapRunChildren: 10, retries: 1 });
    expect(t.total).toBe(7 + 10 + 10 + 1);
    const u = rt.sfn.countTransitions(jc.executionArn);
    expect(u).toMatchObject({ mapRunChildren: 4, retries: 0, total: 7 + 4 + 4 });
    transitions['window closes (2,000 + 2 bad lines; one throttle retried)'] = t.total;
    transitions['window closes (1,000 residents)'] = u.total;
  }, 480_000);

  it('a batch failing after its retries is tolerated (≤ 1,000 items) and listed in the Map Run’s FAILED results', async () => {
    const list = residents('220200', 600, 7);
    const poisoned = list[100]!.identityKey; // in the first batch (items 0…499); the second has 100
    const rt = await setUp('cw-tolerated', (s) =>
      Object.assign(Object.create(s) as DynamoWorkflowStore, {
        createRenewals: (input: Parameters<DynamoWorkflowStore['createRenewals']>[0], ctx: ChangeContext) => {
          if (input.some((r) => r.identityKey === poisoned))
            throw new ThrottledError('createRenewals', 5, 'ProvisionedThroughputExceededException');
          return s.createRenewals(input, ctx);
        },
      }),
    );
    await writeRoster(s3Root, BUCKET, 'rosters/2027/tolerated.jsonl', list);
    const exec = await rt.start('220200', 'rosters/2027/tolerated.jsonl');
    await rt.clock.whenTimersPending(1);
    expect(rt.sfn.describeExecution(exec.executionArn).status).toBe('RUNNING');
    expect(await rt.store.renewalCounts('220200', 2027)).toMatchObject({ rostered: 100, pending: 100 });
    const { failed, succeeded } = await mapResults(renewalsResult(rt.sfn, exec.executionArn));
    expect(succeeded).toHaveLength(1);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ Status: 'FAILED', Error: 'Store.Retryable' });
    expect(JSON.parse(failed[0]!.Input).Items).toHaveLength(500);
    const t = rt.sfn.countTransitions(exec.executionArn);
    // OpenWindow, CreateRenewals, 2 children × (start + Task), 3 retries of the failing batch, WaitForClose.
    expect(t).toMatchObject({ mapRunChildren: 2, retries: 3 });
    expect(t.total).toBe(3 + 4 + 3);
    transitions['a batch fails, tolerated (to the Wait)'] = t.total;
    rt.sfn.stopExecution(exec.executionArn);
  }, 180_000);

  it('fails the execution (for a redrive) when failures pass the tolerance', async () => {
    const list = residents('220100', 1_200, 6);
    const rt = await setUp('cw-exceeded', (s) =>
      Object.assign(Object.create(s) as DynamoWorkflowStore, {
        createRenewals: async () => {
          throw new ThrottledError('createRenewals', 5, 'ProvisionedThroughputExceededException');
        },
      }),
    );
    await writeRoster(s3Root, BUCKET, 'rosters/2027/exceeded.jsonl', list);
    const done = await (await rt.start('220100', 'rosters/2027/exceeded.jsonl')).done;
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
    expect(await rt.store.renewalCounts('220100', 2027)).toMatchObject({ rostered: 0 });
    expect(await rt.store.getCase('collection-window-220100-2027')).toMatchObject({ state: 'open' });
    const t = rt.sfn.countTransitions(done.executionArn);
    // OpenWindow, CreateRenewals, 3 children × (start + Task + 3 retries): the third failure passes 1,000 items.
    expect(t).toMatchObject({ mapRunChildren: 3, retries: 9, total: 2 + 3 * 5 });
    transitions['failures pass the tolerance'] = t.total;
  }, 120_000);

  it('fails at OpenWindow on a bad input (Task.InputInvalid → Failed), before reading any roster', async () => {
    const rt = await setUp('cw-bad-input');
    const done: ExecutionDescription = await (
      await rt.sfn.startExecution({
        stateMachine: suite.wf.stateMachineId,
        name: 'collection-window-999999-2027',
        input: { region: '999999', feeYear: 2027, roster: { bucket: BUCKET, key: 'rosters/none.jsonl' } },
      })
    ).done;
    expect(done).toMatchObject({ status: 'FAILED', error: 'Task.InputInvalid' });
    const t = rt.sfn.countTransitions(done.executionArn);
    expect(t.total).toBe(2); // OpenWindow, Failed
    transitions['bad input (OpenWindow → Failed)'] = t.total;
  });

  it('fails when the roster file is missing (the ItemReader cannot read it)', async () => {
    const rt = await setUp('cw-no-roster');
    const done = await (await rt.start('220100', 'rosters/2027/missing.jsonl')).done;
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.ItemReaderFailed' });
    expect(await rt.store.getCase('collection-window-220100-2027')).toMatchObject({ state: 'open' });
    transitions['roster missing'] = rt.sfn.countTransitions(done.executionArn).total;
  });
});

const transitions: Record<string, number> = {};
afterAll(() => {
  // Reported in docs/workflows.md.
  console.info('collection-window transitions per path', transitions);
});

/** ResultWriterDetails of the CreateRenewals Map Run, from the execution's history. */
function renewalsResult(sfn: LocalStepFunctions, arn: string): { Bucket: string; Key: string } {
  const exited = sfn
    .getExecutionHistory(arn)
    .find((e) => e.type === 'StateExited' && e.scope === '' && e.stateName === 'CreateRenewals');
  const details = (exited?.output as { renewals?: { ResultWriterDetails?: { Bucket: string; Key: string } } })?.renewals
    ?.ResultWriterDetails;
  if (!details) throw new Error(`no CreateRenewals result in the history of ${arn}`);
  return details;
}
