/**
 * Province cost model for `npm run bench` (bench/run.ts): 20 million residents and 6 million employees,
 * from the measured per-notification figures (bench/store.ts via bench/intake.ts), the per-case
 * transitions of docs/workflows.md (bench/transitions.ts) and AWS list prices. Every assumption is a
 * named field below, and docs/performance.md prints them all beside the result.
 */

/** AWS list prices, USD, US East (N. Virginia), as published on aws.amazon.com/pricing in 2025 (on-demand
 * DynamoDB after the 2024-11-01 reduction). Not checked live on the run date; the project's China regions
 * (cn-north-1, cn-northwest-1) are priced in CNY by Sinnet/NWCD and differ. Free tiers are ignored. */
export const PRICES = {
  region: 'us-east-1',
  asOf: '2025 list prices (aws.amazon.com/pricing), not re-checked on the run date',
  stepFunctionsPerThousandTransitions: 0.025,
  lambdaPerGbSecond: 0.0000166667,
  lambdaPerMillionRequests: 0.2,
  dynamoPerMillionWriteUnits: 0.625,
  dynamoPerMillionReadUnits: 0.125,
  eventBridgePerMillionEvents: 1.0,
  schedulerPerMillionInvocations: 1.0,
  sqsPerMillionRequests: 0.4,
} as const;

export const ASSUMPTIONS = {
  residents: 20_000_000,
  employees: 6_000_000,
  /** Each resident pays once a year (the annual contribution), each employee once a month. */
  residentPaymentsPerYear: 1,
  employeePaymentsPerYear: 12,
  /** Extra deliveries of the same notification (the tax bureau resends), as in bench/store.ts's mix. */
  redeliveryShare: 0.1,
  /** Intake Lambda: memory (service-function default) and billed time per notification on AWS (assumed,
   * not measured: DynamoDB Local's latencies do not carry over). SQS batch size 10 (infra/constructs/intake.ts). */
  intakeMemoryGb: 0.5,
  intakeMsPerNotification: 30,
  intakeBatchSize: 10,
  /** SQS requests per delivery: the send by EventBridge, plus receive and delete per batch of 10. */
  sqsRequestsPerDelivery: 1.2,
  /** Share of employee months paid late (an arrears case and an arrears-timer execution each). */
  arrearsShareOfEmployeeMonths: 0.02,
  /** Path mix of arrears cases → transitions (docs/workflows.md): paid in 90 days 60 % (5), flexible
   * never paid 25 % (5), unit backfill 10 % (8), short payment then top-up 5 % (9). */
  arrearsMix: [
    { share: 0.6, transitions: 5 },
    { share: 0.25, transitions: 5 },
    { share: 0.1, transitions: 8 },
    { share: 0.05, transitions: 9 },
  ],
  /** Task-Lambda invocations per transition (Choice, Wait and end states invoke nothing), memory, billed ms. */
  taskInvocationsPerTransition: 0.6,
  taskMemoryGb: 0.5,
  taskMs: 50,
  /** DynamoDB per arrears case: reads and writes over its life (open, store token, settle/timeout, close). */
  arrearsReadUnits: 6,
  arrearsWriteUnits: 12,
  /** Collection window (docs/workflows.md sizing): 500 residents a batch, 2 Maps, 1 child + 1 Task each;
   * create-renewals ~1 s a batch, lapse-unpaid ~6 s a batch; renewal + audit in a transaction (4 WU a
   * resident), 2 reads a resident at the close, lapse writes (4 WU) for the unpaid share. */
  windowBatch: 500,
  windowCreateSecondsPerBatch: 1,
  windowLapseSecondsPerBatch: 6,
  windowWriteUnitsPerResident: 4,
  windowReadUnitsPerResident: 2,
  windowLapsedShare: 0.1,
  /** Other workflows a year (assumed volumes; transitions from docs/workflows.md). */
  retirementsPerYear: 150_000,
  retirementTransitions: 6,
  unemploymentAwardsPerYear: 50_000,
  unemploymentMonthsPerAward: 6,
  bankruptcyAgreementsPerYear: 200,
  bankruptcyTransitions: 12,
  /** Scheduler: the daily sweep + one window start per region (9 regions). */
  schedulerInvocationsPerYear: 365 + 9,
  sweepSecondsPerDay: 60,
  /** Peak: share of residents who pay on the last day of the window (31 December), the share of those
   * paying within the 12 busiest hours, and the busiest hour's factor over those hours' average; plus the
   * employees' flow (a month's payments over 20 working days of 8 hours). */
  lastDayShare: 0.1,
  lastDayBusyHoursShare: 0.8,
  lastDayBusyHours: 12,
  peakHourFactor: 3,
};

export interface MeasuredInputs {
  /** Read and write capacity units per delivered notification (DynamoDB Local's ConsumedCapacity). */
  readonly readUnitsPerNotification: number;
  readonly writeUnitsPerNotification: number;
  /** Polling design's transitions per arrears case (bench/transitions.ts). */
  readonly pollingTransitionsPerArrearsCase: number;
}

export interface CostLine {
  readonly item: string;
  readonly quantityPerYear: string;
  readonly usdPerYear: number;
}

export interface CostModel {
  readonly prices: typeof PRICES;
  readonly assumptions: typeof ASSUMPTIONS;
  readonly inputs: MeasuredInputs;
  readonly lines: readonly CostLine[];
  readonly usdPerYear: number;
  readonly usdPerMonth: number;
  readonly deliveriesPerYear: number;
  readonly arrearsCasesPerYear: number;
  readonly arrearsTransitionsPerCase: number;
  readonly pollingAlternativeUsdPerYear: number;
  readonly arrearsTimerUsdPerYear: number;
  readonly peak: {
    readonly residentsOnLastDay: number;
    readonly notificationsPerSecond: number;
    readonly writeUnitsPerSecond: number;
    readonly readUnitsPerSecond: number;
    readonly lambdaConcurrency: number;
  };
}

const fmtM = (n: number) => `${(n / 1e6).toFixed(2)} M`;

export function costModel(m: MeasuredInputs, a = ASSUMPTIONS, p = PRICES): CostModel {
  const payments = a.residents * a.residentPaymentsPerYear + a.employees * a.employeePaymentsPerYear;
  const deliveries = payments * (1 + a.redeliveryShare);

  const arrearsCases = a.employees * a.employeePaymentsPerYear * a.arrearsShareOfEmployeeMonths;
  const arrearsT = a.arrearsMix.reduce((s, x) => s + x.share * x.transitions, 0);
  const windowBatches = Math.ceil(a.residents / a.windowBatch);
  const windowT = 9 * 7 + 2 * windowBatches * 2;
  const otherT =
    a.retirementsPerYear * a.retirementTransitions +
    a.unemploymentAwardsPerYear * a.unemploymentMonthsPerAward * 3 +
    a.bankruptcyAgreementsPerYear * a.bankruptcyTransitions;
  const transitions = arrearsCases * arrearsT + windowT + otherT;
  const sfnUsd = (t: number) => (t / 1000) * p.stepFunctionsPerThousandTransitions;

  const intakeInvocations = deliveries / a.intakeBatchSize;
  const intakeGbS = (deliveries * a.intakeMsPerNotification * a.intakeMemoryGb) / 1000;
  const taskInvocations = (arrearsCases * arrearsT + otherT) * a.taskInvocationsPerTransition + 2 * windowBatches;
  const taskGbS =
    (((arrearsCases * arrearsT + otherT) * a.taskInvocationsPerTransition * a.taskMs) / 1000) * a.taskMemoryGb +
    windowBatches * (a.windowCreateSecondsPerBatch + a.windowLapseSecondsPerBatch) * a.taskMemoryGb +
    365 * a.sweepSecondsPerDay * a.taskMemoryGb;
  const lambdaUsd = (inv: number, gbs: number) => (inv / 1e6) * p.lambdaPerMillionRequests + gbs * p.lambdaPerGbSecond;

  const wu =
    deliveries * m.writeUnitsPerNotification +
    arrearsCases * a.arrearsWriteUnits +
    a.residents * a.windowWriteUnitsPerResident * (1 + a.windowLapsedShare);
  const ru =
    deliveries * m.readUnitsPerNotification +
    arrearsCases * a.arrearsReadUnits +
    a.residents * a.windowReadUnitsPerResident;

  const lines: CostLine[] = [
    {
      item: 'Step Functions Standard: transitions',
      quantityPerYear: `${fmtM(transitions)} (arrears ${fmtM(arrearsCases * arrearsT)}, window ${fmtM(windowT)}, other ${fmtM(otherT)})`,
      usdPerYear: sfnUsd(transitions),
    },
    {
      item: 'Lambda: intake',
      quantityPerYear: `${fmtM(intakeInvocations)} invocations, ${fmtM(intakeGbS)} GB-s`,
      usdPerYear: lambdaUsd(intakeInvocations, intakeGbS),
    },
    {
      item: 'Lambda: workflow tasks, collection-window batches, sweep',
      quantityPerYear: `${fmtM(taskInvocations)} invocations, ${fmtM(taskGbS)} GB-s`,
      usdPerYear: lambdaUsd(taskInvocations, taskGbS),
    },
    {
      item: 'DynamoDB on-demand: write request units',
      quantityPerYear: fmtM(wu),
      usdPerYear: (wu / 1e6) * p.dynamoPerMillionWriteUnits,
    },
    {
      item: 'DynamoDB on-demand: read request units',
      quantityPerYear: fmtM(ru),
      usdPerYear: (ru / 1e6) * p.dynamoPerMillionReadUnits,
    },
    {
      item: 'EventBridge: custom events (tax bureau PutEvents)',
      quantityPerYear: fmtM(deliveries),
      usdPerYear: (deliveries / 1e6) * p.eventBridgePerMillionEvents,
    },
    {
      item: 'SQS: intake queue requests',
      quantityPerYear: fmtM(deliveries * a.sqsRequestsPerDelivery),
      usdPerYear: ((deliveries * a.sqsRequestsPerDelivery) / 1e6) * p.sqsPerMillionRequests,
    },
    {
      item: 'EventBridge Scheduler: invocations',
      quantityPerYear: String(a.schedulerInvocationsPerYear),
      usdPerYear: (a.schedulerInvocationsPerYear / 1e6) * p.schedulerPerMillionInvocations,
    },
  ];
  const usdPerYear = lines.reduce((s, l) => s + l.usdPerYear, 0);

  const lastDay = a.residents * a.lastDayShare;
  const employeeFlow = (a.employees * (1 + a.redeliveryShare)) / (20 * 8 * 3600);
  const peakRate =
    ((lastDay * a.lastDayBusyHoursShare * (1 + a.redeliveryShare)) / (a.lastDayBusyHours * 3600)) * a.peakHourFactor +
    employeeFlow;
  return {
    prices: p,
    assumptions: a,
    inputs: m,
    lines,
    usdPerYear,
    usdPerMonth: usdPerYear / 12,
    deliveriesPerYear: deliveries,
    arrearsCasesPerYear: arrearsCases,
    arrearsTransitionsPerCase: arrearsT,
    arrearsTimerUsdPerYear: sfnUsd(arrearsCases * arrearsT),
    pollingAlternativeUsdPerYear: sfnUsd(arrearsCases * m.pollingTransitionsPerArrearsCase),
    peak: {
      residentsOnLastDay: lastDay,
      notificationsPerSecond: peakRate,
      writeUnitsPerSecond: peakRate * m.writeUnitsPerNotification,
      readUnitsPerSecond: peakRate * m.readUnitsPerNotification,
      lambdaConcurrency: Math.ceil(
        (peakRate / a.intakeBatchSize) * ((a.intakeMsPerNotification * a.intakeBatchSize) / 1000),
      ),
    },
  };
}
