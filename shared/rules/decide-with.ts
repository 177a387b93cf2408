/**
 * Runs one decision, given as its spec, on raw facts: validated by the decision's own schema (InputError
 * names the bad fields), evaluated on the shipped parameters. What `decide` of registry.ts does by id.
 * The workflow tasks, the intake and the staff services import the decisions they use and call this,
 * so each function bundle carries (and its cold start evaluates) only its own rules; only the what-if
 * route and the CLI import the whole registry.
 */
import type * as z from 'zod';
import type { CalendarDate } from '#domain/calendar.js';
import { parameters } from '#params/index.js';
import { type DecisionResult, type DecisionSpec, evaluate, parseFacts } from './engine.js';

export function decideWith<O>(spec: DecisionSpec<z.ZodType, O>, facts: unknown, asOf: CalendarDate): DecisionResult<O> {
  return evaluate(spec, parseFacts(spec, facts), asOf, parameters());
}
