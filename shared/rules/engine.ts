/**
 * The decision engine: a decision is a pure function `(facts, asOf) → { value, trace }`.
 *
 * - P-1: the pack in force on the decision's business date and region is chosen here, once.
 * - Rules run against an EvalContext that records every rule considered and every parameter read,
 *   so the trace (and from it the reason, in Chinese and English) is a by-product of deciding.
 * - `exceptions()` writes a decision as "general rule + exceptions" (Catala's shape): levels are
 *   tried most specific first; two applicable rules of one level that disagree are a
 *   RuleConflictError, and no applicable rule at all is a NoApplicableRuleError.
 * - P-2: a case opened under an older pack is decided under both and the more favourable applies.
 */
import type * as z from 'zod';
import type { CalendarDate } from '#domain/calendar.js';
import { regionOf } from '#domain/regions.js';
import type { ParamValue, ParameterStore } from '#params/store.js';
import type { PolicyPack, SourceRef } from '#params/types.js';
import { type RuleId, ruleEntry, SOURCES } from './catalogue.js';
import { DecisionError, InputError, NoApplicableRuleError, RuleConflictError } from './errors.js';

export interface Reason {
  readonly zh: string;
  readonly en: string;
}

export interface RuleStep {
  readonly id: RuleId;
  readonly cites: string;
  readonly outcome: 'applied' | 'not-applicable';
  readonly note?: string;
}

export interface ParamRead {
  readonly name: string;
  readonly value: unknown;
  readonly region: string;
  readonly from: string;
  readonly to?: string;
  readonly set: string;
  readonly source: SourceRef & { readonly docNo: string };
}

export interface Trace {
  readonly decision: string;
  readonly asOf: CalendarDate;
  readonly businessDate: CalendarDate;
  readonly region: string;
  readonly policySet: { readonly id: string; readonly docNo: string; readonly from: string; readonly to?: string };
  readonly rules: readonly RuleStep[];
  readonly parameters: readonly ParamRead[];
  readonly reason: Reason;
  /** P-2: the comparison made for a case opened under an older pack. */
  readonly transition?: {
    readonly openedUnder: string;
    readonly nowInForce: string;
    readonly applied: string;
    readonly why: string;
  };
}

export interface DecisionResult<O> {
  readonly decision: string;
  readonly value: O;
  readonly trace: Trace;
}

export interface Branch<R> {
  readonly rule: RuleId;
  /** true/false, or a string: applies, with that note for the trace. */
  readonly when: boolean | string | (() => boolean | string);
  readonly then: () => R;
  readonly why?: string;
}

/** The trace form of a parameter value, built once per value (decisions read the same values over and over). */
const READS = new WeakMap<ParamValue<unknown>, ParamRead>();
function paramRead(v: ParamValue<unknown>): ParamRead {
  let r = READS.get(v);
  if (!r) {
    r = Object.freeze({
      name: v.name,
      value: v.raw,
      region: v.region,
      from: v.from,
      ...(v.to !== undefined ? { to: v.to } : {}),
      set: v.set,
      source: { ...v.source, docNo: v.source.doc === 'AGENCY' ? 'agency data' : SOURCES[v.source.doc].docNo },
    });
    READS.set(v, r);
  }
  return r;
}

export class EvalContext {
  readonly rules: RuleStep[] = [];
  readonly parameters: ParamRead[] = [];
  private reasonValue: Reason | undefined;

  constructor(
    readonly store: ParameterStore,
    readonly pack: PolicyPack,
    readonly region: string,
    readonly businessDate: CalendarDate,
    readonly asOf: CalendarDate,
  ) {}

  /** Reads a parameter on a date (default: the business date), recording it in the trace. */
  param<T>(name: string, on: CalendarDate = this.businessDate): T {
    return this.paramValue<T>(name, on).value;
  }

  paramValue<T>(name: string, on: CalendarDate = this.businessDate): ParamValue<T> {
    const v = this.store.lookup<T>(this.pack.id, name, this.region, on);
    if (!this.read.has(v)) {
      this.read.add(v);
      this.parameters.push(paramRead(v));
    }
    return v;
  }

  private readonly read = new Set<ParamValue<unknown>>();

  /** Records that a rule applied (and decided something). */
  apply(rule: RuleId, note?: string): void {
    this.rules.push({ id: rule, cites: ruleEntry(rule).cites, outcome: 'applied', ...(note ? { note } : {}) });
  }

  /** Records that a rule was considered and did not apply. */
  skip(rule: RuleId, note?: string): void {
    this.rules.push({ id: rule, cites: ruleEntry(rule).cites, outcome: 'not-applicable', ...(note ? { note } : {}) });
  }

  because(zh: string, en: string): void {
    this.reasonValue = { zh, en };
  }

  get reason(): Reason | undefined {
    return this.reasonValue;
  }

  /**
   * General rule + exceptions. `levels` are tried in order (most specific first); each level is
   * one branch or several of equal rank. The first level with an applicable branch decides.
   */
  exceptions<R>(question: string, levels: ReadonlyArray<Branch<R> | ReadonlyArray<Branch<R>>>): R {
    const considered: string[] = [];
    for (const level of levels) {
      const branches: ReadonlyArray<Branch<R>> = Array.isArray(level) ? level : [level as Branch<R>];
      const hits: Array<{ b: Branch<R>; note: string | undefined }> = [];
      for (const b of branches) {
        considered.push(b.rule);
        const w = typeof b.when === 'function' ? b.when() : b.when;
        if (w === false) this.skip(b.rule, b.why);
        else hits.push({ b, note: typeof w === 'string' ? w : b.why });
      }
      if (hits.length === 0) continue;
      const results = hits.map((h) => h.b.then());
      if (hits.length > 1) {
        const first = JSON.stringify(results[0]);
        if (results.some((r) => JSON.stringify(r) !== first)) {
          throw new RuleConflictError(
            question,
            hits.map((h) => h.b.rule),
          );
        }
      }
      for (const h of hits) this.apply(h.b.rule, h.note);
      return results[0]!;
    }
    throw new NoApplicableRuleError(question, considered);
  }
}

export interface DecisionSpec<S extends z.ZodType, O> {
  readonly id: string;
  readonly title: Reason;
  /** The rule ids this decision can apply, for docs and the coverage test. */
  readonly rules: readonly RuleId[];
  readonly input: S;
  /** Date that picks the pack (P-1): a payment, an application, a birth… */
  businessDate(facts: z.output<S>, asOf: CalendarDate): CalendarDate;
  evaluate(facts: z.output<S>, ctx: EvalContext): O;
  /** P-2: is `a` more favourable to the person or unit than `b`? Absent: the older pack applies. */
  moreFavourable?(a: O, b: O): boolean;
  /** One example for docs/decisions.md (run for real when the docs are generated). */
  readonly example: { readonly asOf: CalendarDate; readonly facts: z.input<S> };
}

export type AnyDecision = DecisionSpec<z.ZodType, unknown>;

export function defineDecision<S extends z.ZodType, O>(spec: DecisionSpec<S, O>): DecisionSpec<S, O> {
  return spec;
}

/** zod issues → our field list (`payments[0].paidOn`). */
export function inputErrorFrom(error: z.ZodError, prefix = ''): InputError {
  return new InputError(
    error.issues.map((i) => ({
      path:
        prefix +
        i.path
          .map((p, k) => (typeof p === 'number' ? `[${p}]` : k === 0 && !prefix ? String(p) : `.${String(p)}`))
          .join(''),
      message: i.message,
    })),
  );
}

export function parseFacts<S extends z.ZodType>(
  spec: DecisionSpec<S, unknown>,
  raw: unknown,
  prefix = '',
): z.output<S> {
  const parsed = spec.input.safeParse(raw);
  if (!parsed.success) throw inputErrorFrom(parsed.error, prefix);
  return parsed.data;
}

function runUnder<S extends z.ZodType, O>(
  spec: DecisionSpec<S, O>,
  facts: z.output<S> & { region: string },
  store: ParameterStore,
  pack: PolicyPack,
  businessDate: CalendarDate,
  asOf: CalendarDate,
): { value: O; ctx: EvalContext } {
  const ctx = new EvalContext(store, pack, facts.region, businessDate, asOf);
  ctx.apply('P-1', `${pack.id} in force in ${facts.region} on ${businessDate}`);
  const value = spec.evaluate(facts, ctx);
  if (!ctx.reason) throw new Error(`decision ${spec.id} gave no reason`);
  return { value, ctx };
}

/** Runs a decision on already-validated facts. */
export function evaluate<S extends z.ZodType, O>(
  spec: DecisionSpec<S, O>,
  facts: z.output<S>,
  asOf: CalendarDate,
  store: ParameterStore,
): DecisionResult<O> {
  const f = facts as z.output<S> & { region: string; caseOpenedOn?: string };
  regionOf(f.region);
  const businessDate = spec.businessDate(facts, asOf);
  const now = store.packInForce(f.region, businessDate);
  let chosen = runUnder(spec, f, store, now, businessDate, asOf);
  let transition: Trace['transition'];

  if (f.caseOpenedOn && f.caseOpenedOn < now.from) {
    const then = store.packInForce(f.region, f.caseOpenedOn);
    if (then.id !== now.id) {
      // P-2: decided under the set of its time unless the new one is more favourable.
      let old: { value: O; ctx: EvalContext } | undefined;
      let oldFailure: string | undefined;
      try {
        old = runUnder(spec, f, store, then, businessDate, asOf);
      } catch (e) {
        if (!(e instanceof DecisionError)) throw e;
        oldFailure = e.message;
      }
      const newBetter = old !== undefined && spec.moreFavourable?.(chosen.value, old.value) === true;
      let applied: string;
      let why: string;
      if (!old) {
        applied = now.id;
        why = `${then.id} cannot decide this case (${oldFailure}); ${now.id} applies`;
      } else if (newBetter) {
        applied = now.id;
        why = `${now.id} is more favourable than ${then.id}`;
      } else {
        applied = then.id;
        why = spec.moreFavourable
          ? `${now.id} is not more favourable than ${then.id}; the case stays under ${then.id}`
          : `no favourability order for this decision; the case stays under ${then.id}`;
        chosen = old;
      }
      chosen.ctx.apply('P-2', why);
      transition = { openedUnder: then.id, nowInForce: now.id, applied, why };
    }
  }

  const { ctx, value } = chosen;
  const pack = ctx.pack;
  return {
    decision: spec.id,
    value,
    trace: {
      decision: spec.id,
      asOf,
      businessDate,
      region: f.region,
      policySet: {
        id: pack.id,
        docNo: SOURCES[pack.source].docNo,
        from: pack.from,
        ...(pack.to ? { to: pack.to } : {}),
      },
      rules: ctx.rules,
      parameters: ctx.parameters,
      reason: ctx.reason!,
      ...(transition ? { transition } : {}),
    },
  };
}
