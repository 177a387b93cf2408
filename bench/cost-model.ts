/**
 * Province cost model for `npm run bench` (bench/run.ts): 20 million residents and 6 million employees,
 * from the measured per-notification figures (bench/store.ts via bench/intake.ts), the per-case
 * transitions of docs/workflows.md (bench/transitions.ts) and list prices. Every assumption is a named
 * field below, and docs/performance.md prints them all beside the result.
 *
 * The yearly quantities are computed once; each price list (us-east-1 in USD; the China regions in CNY)
 * prices the same quantities. Prices are data: each with its unit, its source and whether it was found
 * published or is an assumption.
 *
 * Money: prices are decimal strings, quantities whole billing units (request units, requests,
 * transitions, events; GB-seconds to the thousandth), and each line is computed exactly (BigInt) and
 * rounded half up to the minor unit (cent, fen) once; totals are sums of the rounded lines, the monthly
 * average is the yearly total ÷ 12 rounded half up to the minor unit. Quantities that come from measured
 * means (capacity units per notification) are rounded up to a whole unit a year before pricing.
 */

export type PriceKey =
  | 'stepFunctionsTransitions'
  | 'lambdaGbSeconds'
  | 'lambdaRequests'
  | 'dynamoWriteUnits'
  | 'dynamoReadUnits'
  | 'eventBridgeEvents'
  | 'schedulerInvocations'
  | 'sqsRequests';

export interface Price {
  /** Decimal string in the list's currency, for `per` units. */
  readonly amount: string;
  readonly per: number;
  readonly unit: string;
  /** Found on a published price page, or assumed (how, in `source`). */
  readonly status: 'published' | 'assumed';
  readonly source: string;
}

export interface PriceList {
  readonly id: 'us-east-1' | 'china';
  readonly title: string;
  readonly regions: readonly string[];
  readonly currency: 'USD' | 'CNY';
  /** Minor units per major unit (cents, fen). */
  readonly minorPerMajor: number;
  readonly asOf: string;
  readonly prices: Readonly<Record<PriceKey, Price>>;
}

export const PRICE_LABELS: Readonly<Record<PriceKey, string>> = {
  stepFunctionsTransitions: 'Step Functions Standard, state transitions',
  lambdaGbSeconds: 'Lambda (Arm, as the stack deploys), duration',
  lambdaRequests: 'Lambda, requests',
  dynamoWriteUnits: 'DynamoDB on-demand (Standard table class), write request units',
  dynamoReadUnits: 'DynamoDB on-demand (Standard table class), read request units',
  eventBridgeEvents: 'EventBridge, custom events published',
  schedulerInvocations: 'EventBridge Scheduler, invocations',
  sqsRequests: 'SQS standard, requests',
};

/** us-east-1, USD. Lambda on Arm (infra/constructs/service-function.ts: Architecture.ARM_64). DynamoDB
 * on-demand after the 2024-11-01 reduction. Free tiers are ignored. */
export const US_EAST_1: PriceList = {
  id: 'us-east-1',
  title: 'AWS US East (N. Virginia)',
  regions: ['us-east-1'],
  currency: 'USD',
  minorPerMajor: 100,
  asOf: '2025 list prices from aws.amazon.com/<service>/pricing, not re-checked on the run date',
  prices: {
    stepFunctionsTransitions: {
      amount: '0.025',
      per: 1000,
      unit: 'transitions',
      status: 'published',
      source: 'aws.amazon.com/step-functions/pricing (2025)',
    },
    lambdaGbSeconds: {
      amount: '0.0000133334',
      per: 1,
      unit: 'GB-second (Arm)',
      status: 'published',
      source: 'aws.amazon.com/lambda/pricing (2025), Arm price, first tier',
    },
    lambdaRequests: {
      amount: '0.20',
      per: 1_000_000,
      unit: 'requests',
      status: 'published',
      source: 'aws.amazon.com/lambda/pricing (2025)',
    },
    dynamoWriteUnits: {
      amount: '0.625',
      per: 1_000_000,
      unit: 'write request units',
      status: 'published',
      source: 'aws.amazon.com/dynamodb/pricing/on-demand (after the 2024-11-01 reduction)',
    },
    dynamoReadUnits: {
      amount: '0.125',
      per: 1_000_000,
      unit: 'read request units',
      status: 'published',
      source: 'aws.amazon.com/dynamodb/pricing/on-demand (after the 2024-11-01 reduction)',
    },
    eventBridgeEvents: {
      amount: '1.00',
      per: 1_000_000,
      unit: 'custom events',
      status: 'published',
      source: 'aws.amazon.com/eventbridge/pricing (2025)',
    },
    schedulerInvocations: {
      amount: '1.00',
      per: 1_000_000,
      unit: 'invocations',
      status: 'published',
      source: 'aws.amazon.com/eventbridge/pricing, Scheduler (2025)',
    },
    sqsRequests: {
      amount: '0.40',
      per: 1_000_000,
      unit: 'requests',
      status: 'published',
      source: 'aws.amazon.com/sqs/pricing (2025)',
    },
  },
};

/**
 * The China regions, CNY: Beijing (cn-north-1, operated by Sinnet, the stack's default) and Ningxia
 * (cn-northwest-1, operated by NWCD). One price list for both: the one price found (DynamoDB) is
 * published for both regions alike; for the others, the same price in both regions is an assumption.
 *
 * Found: www.amazonaws.cn/en/dynamodb/pricing/ ("Amazon DynamoDB On-Demand Capacity – China (Beijing)
 * and China (Ningxia) Regions … Write requests: ¥ 11.1538 for e[very million write request units]"), as
 * stored by the offline page search used for this model; the page's date is not known, and the stored
 * excerpt stops inside that sentence, so the read price was not seen.
 *
 * Assumed (no China price page for them was found):
 * - DynamoDB reads: ¥ 11.1538 ÷ 5, the 1 : 5 read-to-write ratio of every on-demand price list seen
 *   (us-east-1 0.125 : 0.625 USD, and 0.25 : 1.25 before 2024-11-01).
 * - Step Functions, Lambda, EventBridge, Scheduler, SQS: the us-east-1 USD price × CNY_PER_USD_LIST.
 */
export const CNY_PER_USD_LIST = {
  factor: '8.923',
  source:
    'assumed: ¥ 11.1538 (China, DynamoDB on-demand writes, per million) ÷ 1.25 USD (us-east-1, the same price before its 2024-11-01 reduction); against the current 0.625 USD the ratio would be 17.8. Other services’ China prices may relate differently to their US ones',
  /** For comparison only: a plain exchange rate with no China premium (assumed round figure, not a quote). */
  plainExchangeRate: '7.2',
} as const;

/** `amount` × `factor`, exactly, as a decimal string (no rounding: the digits of both). */
export function timesDecimal(amount: string, factor: string): string {
  const [an, ad] = decimal(amount);
  const [fn, fd] = decimal(factor);
  return fromScaled(an * fn, ad + fd);
}

function decimal(s: string): [bigint, number] {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) throw new Error(`not a decimal: ${s}`);
  const frac = m[2] ?? '';
  return [BigInt(m[1]! + frac), frac.length];
}

function fromScaled(n: bigint, digits: number): string {
  const s = n.toString().padStart(digits + 1, '0');
  const int = s.slice(0, s.length - digits);
  const frac = s.slice(s.length - digits).replace(/0+$/, '');
  return frac ? `${int}.${frac}` : int;
}

const assumedFromUsd = (key: PriceKey): Price => {
  const usd = US_EAST_1.prices[key];
  return {
    amount: timesDecimal(usd.amount, CNY_PER_USD_LIST.factor),
    per: usd.per,
    unit: usd.unit,
    status: 'assumed',
    source: `assumed: us-east-1 ${usd.amount} USD × ${CNY_PER_USD_LIST.factor} (no China price page found)`,
  };
};

const DYNAMO_CN_WRITE = '11.1538';

export const CHINA: PriceList = {
  id: 'china',
  title: 'AWS China: Beijing (cn-north-1, Sinnet) and Ningxia (cn-northwest-1, NWCD)',
  regions: ['cn-north-1', 'cn-northwest-1'],
  currency: 'CNY',
  minorPerMajor: 100,
  asOf: 'DynamoDB writes from www.amazonaws.cn/en/dynamodb/pricing/ (page date unknown); every other price assumed',
  prices: {
    stepFunctionsTransitions: assumedFromUsd('stepFunctionsTransitions'),
    lambdaGbSeconds: assumedFromUsd('lambdaGbSeconds'),
    lambdaRequests: assumedFromUsd('lambdaRequests'),
    dynamoWriteUnits: {
      amount: DYNAMO_CN_WRITE,
      per: 1_000_000,
      unit: 'write request units',
      status: 'published',
      source:
        'www.amazonaws.cn/en/dynamodb/pricing/ — "On-Demand Capacity – China (Beijing) and China (Ningxia) Regions … Write requests: ¥ 11.1538 for e…" (excerpt cut there; page date unknown)',
    },
    dynamoReadUnits: {
      amount: fromScaled((decimal(DYNAMO_CN_WRITE)[0] * 10n ** 4n) / 5n, decimal(DYNAMO_CN_WRITE)[1] + 4),
      per: 1_000_000,
      unit: 'read request units',
      status: 'assumed',
      source: `assumed: ¥ ${DYNAMO_CN_WRITE} (writes) ÷ 5, the read : write ratio of the published on-demand price lists; the China read price was not seen`,
    },
    eventBridgeEvents: assumedFromUsd('eventBridgeEvents'),
    schedulerInvocations: assumedFromUsd('schedulerInvocations'),
    sqsRequests: assumedFromUsd('sqsRequests'),
  },
};

export const PRICE_LISTS: readonly PriceList[] = [US_EAST_1, CHINA];

export const ASSUMPTIONS = {
  residents: 20_000_000,
  employees: 6_000_000,
  /** Each resident pays once a year (the annual contribution), each employee once a month. */
  residentPaymentsPerYear: 1,
  employeePaymentsPerYear: 12,
  /** Extra deliveries of the same notification (the tax bureau resends), as in bench/store.ts's mix. */
  redeliveryShare: 0.1,
  /** A ledger Query (strongly consistent, ≤ 4 KB) is taken as at least 1 read request unit, whatever DynamoDB
   * Local reports (it reports 0 for a Query that finds nothing: the baseline workload). */
  minReadUnitsPerQuery: 1,
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
  /** Query requests per delivered notification (the floor of the read units: minReadUnitsPerQuery each). */
  readonly readRequestsPerNotification: number;
  /** Polling design's transitions per arrears case (bench/transitions.ts). */
  readonly pollingTransitionsPerArrearsCase: number;
}

/** One priced quantity: `quantity` billing units (GB-seconds to the thousandth, all else whole). */
interface Usage {
  readonly price: PriceKey;
  readonly quantity: number;
}

export interface CostItem {
  readonly item: string;
  readonly quantityPerYear: string;
  readonly usage: readonly Usage[];
}

export interface PricedLine {
  readonly item: string;
  readonly quantityPerYear: string;
  /** Minor units (cents, fen) a year: each usage computed exactly, rounded half up once. */
  readonly minorPerYear: number;
  /** Share of this line resting on assumed prices (0…1, by amount). */
  readonly assumedShare: number;
}

export interface PricedModel {
  readonly list: PriceList;
  readonly lines: readonly PricedLine[];
  readonly totalMinorPerYear: number;
  readonly averageMinorPerMonth: number;
  /** Of the total, the minor units priced with assumed prices. */
  readonly assumedMinorPerYear: number;
  readonly arrearsTimerMinorPerYear: number;
  readonly pollingAlternativeMinorPerYear: number;
}

export interface CostModel {
  readonly assumptions: typeof ASSUMPTIONS;
  readonly inputs: MeasuredInputs;
  /** Read units per delivery actually used: max(measured, Query requests × minReadUnitsPerQuery). */
  readonly readUnitsPerDelivery: number;
  readonly items: readonly CostItem[];
  readonly priced: readonly PricedModel[];
  readonly deliveriesPerYear: number;
  readonly arrearsCasesPerYear: number;
  readonly arrearsTransitionsPerCase: number;
  readonly cnyPerUsdList: typeof CNY_PER_USD_LIST;
  readonly peak: {
    readonly residentsOnLastDay: number;
    readonly notificationsPerSecond: number;
    readonly writeUnitsPerSecond: number;
    readonly readUnitsPerSecond: number;
    readonly lambdaConcurrency: number;
  };
}

const fmtM = (n: number) => `${(n / 1e6).toFixed(2)} M`;

/** GB-seconds are priced to the thousandth; every other quantity in whole units (rounded up). */
const SCALE: Readonly<Record<PriceKey, number>> = {
  stepFunctionsTransitions: 1,
  lambdaGbSeconds: 1000,
  lambdaRequests: 1,
  dynamoWriteUnits: 1,
  dynamoReadUnits: 1,
  eventBridgeEvents: 1,
  schedulerInvocations: 1,
  sqsRequests: 1,
};

/** Exact cost of `quantity` at `price`, in minor units, rounded half up (quantity rounded up to its scale first). */
export function priceMinor(quantity: number, key: PriceKey, price: Price, minorPerMajor: number): number {
  const scale = SCALE[key];
  // Guard against float noise (e.g. 1234.0000000002 → 1234) before rounding up to a billing unit.
  const q = BigInt(Math.ceil(Number((quantity * scale).toFixed(6))));
  const [num, digits] = decimal(price.amount);
  const numerator = q * num * BigInt(minorPerMajor);
  const denominator = BigInt(scale) * 10n ** BigInt(digits) * BigInt(price.per);
  return Number((2n * numerator + denominator) / (2n * denominator));
}

function halfUpDiv(n: number, d: number): number {
  return Number((2n * BigInt(n) + BigInt(d)) / (2n * BigInt(d)));
}

export function costModel(m: MeasuredInputs, a = ASSUMPTIONS, lists = PRICE_LISTS): CostModel {
  const payments = a.residents * a.residentPaymentsPerYear + a.employees * a.employeePaymentsPerYear;
  const deliveries = payments * (1 + a.redeliveryShare);
  const readUnitsPerDelivery = Math.max(
    m.readUnitsPerNotification,
    m.readRequestsPerNotification * a.minReadUnitsPerQuery,
  );

  const arrearsCases = a.employees * a.employeePaymentsPerYear * a.arrearsShareOfEmployeeMonths;
  const arrearsT = a.arrearsMix.reduce((s, x) => s + x.share * x.transitions, 0);
  const windowBatches = Math.ceil(a.residents / a.windowBatch);
  const windowT = 9 * 7 + 2 * windowBatches * 2;
  const otherT =
    a.retirementsPerYear * a.retirementTransitions +
    a.unemploymentAwardsPerYear * a.unemploymentMonthsPerAward * 3 +
    a.bankruptcyAgreementsPerYear * a.bankruptcyTransitions;
  const transitions = arrearsCases * arrearsT + windowT + otherT;

  const intakeInvocations = deliveries / a.intakeBatchSize;
  const intakeGbS = (deliveries * a.intakeMsPerNotification * a.intakeMemoryGb) / 1000;
  const taskInvocations = (arrearsCases * arrearsT + otherT) * a.taskInvocationsPerTransition + 2 * windowBatches;
  const taskGbS =
    (((arrearsCases * arrearsT + otherT) * a.taskInvocationsPerTransition * a.taskMs) / 1000) * a.taskMemoryGb +
    windowBatches * (a.windowCreateSecondsPerBatch + a.windowLapseSecondsPerBatch) * a.taskMemoryGb +
    365 * a.sweepSecondsPerDay * a.taskMemoryGb;

  const wu =
    deliveries * m.writeUnitsPerNotification +
    arrearsCases * a.arrearsWriteUnits +
    a.residents * a.windowWriteUnitsPerResident * (1 + a.windowLapsedShare);
  const ru =
    deliveries * readUnitsPerDelivery + arrearsCases * a.arrearsReadUnits + a.residents * a.windowReadUnitsPerResident;

  const items: CostItem[] = [
    {
      item: 'Step Functions Standard: transitions',
      quantityPerYear: `${fmtM(transitions)} (arrears ${fmtM(arrearsCases * arrearsT)}, window ${fmtM(windowT)}, other ${fmtM(otherT)})`,
      usage: [{ price: 'stepFunctionsTransitions', quantity: transitions }],
    },
    {
      item: 'Lambda: intake',
      quantityPerYear: `${fmtM(intakeInvocations)} invocations, ${fmtM(intakeGbS)} GB-s`,
      usage: [
        { price: 'lambdaRequests', quantity: intakeInvocations },
        { price: 'lambdaGbSeconds', quantity: intakeGbS },
      ],
    },
    {
      item: 'Lambda: workflow tasks, collection-window batches, sweep',
      quantityPerYear: `${fmtM(taskInvocations)} invocations, ${fmtM(taskGbS)} GB-s`,
      usage: [
        { price: 'lambdaRequests', quantity: taskInvocations },
        { price: 'lambdaGbSeconds', quantity: taskGbS },
      ],
    },
    {
      item: 'DynamoDB on-demand: write request units',
      quantityPerYear: fmtM(wu),
      usage: [{ price: 'dynamoWriteUnits', quantity: wu }],
    },
    {
      item: 'DynamoDB on-demand: read request units',
      quantityPerYear: fmtM(ru),
      usage: [{ price: 'dynamoReadUnits', quantity: ru }],
    },
    {
      item: 'EventBridge: custom events (tax bureau PutEvents)',
      quantityPerYear: fmtM(deliveries),
      usage: [{ price: 'eventBridgeEvents', quantity: deliveries }],
    },
    {
      item: 'SQS: intake queue requests',
      quantityPerYear: fmtM(deliveries * a.sqsRequestsPerDelivery),
      usage: [{ price: 'sqsRequests', quantity: deliveries * a.sqsRequestsPerDelivery }],
    },
    {
      item: 'EventBridge Scheduler: invocations',
      quantityPerYear: String(a.schedulerInvocationsPerYear),
      usage: [{ price: 'schedulerInvocations', quantity: a.schedulerInvocationsPerYear }],
    },
  ];

  const priced = lists.map((list): PricedModel => {
    const usageMinor = (u: Usage) => priceMinor(u.quantity, u.price, list.prices[u.price], list.minorPerMajor);
    const lines = items.map((it): PricedLine => {
      const parts = it.usage.map((u) => ({ minor: usageMinor(u), assumed: list.prices[u.price].status === 'assumed' }));
      const minor = parts.reduce((s, p) => s + p.minor, 0);
      const assumed = parts.filter((p) => p.assumed).reduce((s, p) => s + p.minor, 0);
      return {
        item: it.item,
        quantityPerYear: it.quantityPerYear,
        minorPerYear: minor,
        assumedShare: minor ? assumed / minor : parts.every((p) => p.assumed) ? 1 : 0,
      };
    });
    const total = lines.reduce((s, l) => s + l.minorPerYear, 0);
    return {
      list,
      lines,
      totalMinorPerYear: total,
      averageMinorPerMonth: halfUpDiv(total, 12),
      assumedMinorPerYear: Math.round(lines.reduce((s, l) => s + l.minorPerYear * l.assumedShare, 0)),
      arrearsTimerMinorPerYear: usageMinor({ price: 'stepFunctionsTransitions', quantity: arrearsCases * arrearsT }),
      pollingAlternativeMinorPerYear: usageMinor({
        price: 'stepFunctionsTransitions',
        quantity: arrearsCases * m.pollingTransitionsPerArrearsCase,
      }),
    };
  });

  const lastDay = a.residents * a.lastDayShare;
  const employeeFlow = (a.employees * (1 + a.redeliveryShare)) / (20 * 8 * 3600);
  const peakRate =
    ((lastDay * a.lastDayBusyHoursShare * (1 + a.redeliveryShare)) / (a.lastDayBusyHours * 3600)) * a.peakHourFactor +
    employeeFlow;
  return {
    assumptions: a,
    inputs: m,
    readUnitsPerDelivery,
    items,
    priced,
    deliveriesPerYear: deliveries,
    arrearsCasesPerYear: arrearsCases,
    arrearsTransitionsPerCase: arrearsT,
    cnyPerUsdList: CNY_PER_USD_LIST,
    peak: {
      residentsOnLastDay: lastDay,
      notificationsPerSecond: peakRate,
      writeUnitsPerSecond: peakRate * m.writeUnitsPerNotification,
      readUnitsPerSecond: peakRate * readUnitsPerDelivery,
      lambdaConcurrency: Math.ceil(
        (peakRate / a.intakeBatchSize) * ((a.intakeMsPerNotification * a.intakeBatchSize) / 1000),
      ),
    },
  };
}
