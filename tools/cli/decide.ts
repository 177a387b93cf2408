/**
 * `npm run decide -- <decision> [--as-of YYYY-MM-DD]`: JSON facts on stdin, the JSON result on stdout.
 * A JSON array of facts answers an array in the same order.
 *
 *   --list     the decisions, with the rules each applies
 *   --schema   the decision's input as JSON Schema (generated from its zod schema)
 *
 * Exit codes: 0 decided; 2 bad call or bad input (a JSON error naming each bad field; nothing is
 * decided when any item is bad); 3 the rules could not decide (missing parameter, no applicable
 * rule, conflict), with the item's index.
 */
import * as z from 'zod';
import { isValidDate, todayCst } from '#domain/calendar.js';
import { DecisionError, InputError } from '#rules/errors.js';
import { evaluate, parseFacts } from '#rules/engine.js';
import { DECISIONS, findDecision } from '#rules/registry.js';
import { parameters } from '#params/index.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
}

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
const fail = (code: number, body: unknown): CliResult => ({ code, stdout: json(body) });

export function runCli(args: readonly string[], stdin: string, today: string = todayCst()): CliResult {
  if (args.includes('--list')) {
    return { code: 0, stdout: json(DECISIONS.map((d) => ({ id: d.id, title: d.title, rules: d.rules }))) };
  }
  const positional = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--as-of');
  const id = positional[0];
  const spec = id ? findDecision(id) : undefined;
  if (!spec) {
    return fail(2, {
      error: id ? 'unknown-decision' : 'missing-decision',
      message: id ? `unknown decision ${id}` : 'name a decision',
      decisions: DECISIONS.map((d) => d.id),
    });
  }
  if (args.includes('--schema')) {
    return { code: 0, stdout: json(z.toJSONSchema(spec.input, { io: 'input', unrepresentable: 'any' })) };
  }
  const asOfIdx = args.indexOf('--as-of');
  const asOf = asOfIdx >= 0 ? args[asOfIdx + 1] : today;
  if (!asOf || !isValidDate(asOf)) {
    return fail(2, {
      error: 'invalid-input',
      issues: [{ path: '--as-of', message: 'must be a calendar date YYYY-MM-DD' }],
    });
  }

  let input: unknown;
  try {
    input = JSON.parse(stdin);
  } catch (e) {
    return fail(2, { error: 'invalid-json', message: `stdin is not JSON: ${(e as Error).message}` });
  }
  const batch = Array.isArray(input);
  const items: unknown[] = batch ? (input as unknown[]) : [input];

  // Validate every item before deciding any, so a bad batch decides nothing.
  const parsed: unknown[] = [];
  const issues: { path: string; message: string }[] = [];
  items.forEach((item, i) => {
    try {
      parsed.push(parseFacts(spec, item, batch ? `[${i}]` : ''));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      issues.push(...e.issues);
    }
  });
  if (issues.length) return fail(2, new InputError(issues).toJSON());

  const store = parameters();
  const results: unknown[] = [];
  for (const [i, facts] of parsed.entries()) {
    try {
      results.push(evaluate(spec, facts, asOf, store));
    } catch (e) {
      if (!(e instanceof DecisionError)) throw e;
      return fail(3, { ...e.toJSON(), ...(batch ? { index: i } : {}) });
    }
  }
  return { code: 0, stdout: json(batch ? results : results[0]) };
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const needsStdin = !args.includes('--list') && !args.includes('--schema');
  const stdin = needsStdin ? await readStdin() : '';
  const r = runCli(args, stdin);
  process.stdout.write(r.stdout);
  process.exitCode = r.code;
}
