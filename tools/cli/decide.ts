/**
 * `npm run decide -- <decision> [--as-of YYYY-MM-DD]`: JSON facts on stdin, the JSON result on stdout.
 * A JSON array of facts answers an array in the same order. `--help` says all of this.
 *
 *   --list     the decisions, with the rules each applies
 *   --schema   the decision's input as JSON Schema (generated from its zod schema)
 *
 * Exit codes: 0 decided; 2 bad call or bad input (a JSON error naming each bad field; nothing is
 * decided when any item is bad); 3 the rules could not decide (missing parameter, no applicable
 * rule, conflict), with the item's index. Errors go to stderr, results to stdout, so a pipe never
 * takes an error for a result.
 */
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { isValidDate, todayCst } from '#domain/calendar.js';
import { DecisionError, InputError } from '#rules/errors.js';
import { evaluate, parseFacts } from '#rules/engine.js';
import { DECISIONS, findDecision } from '#rules/registry.js';
import { parameters } from '#params/index.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export const DECIDE_HELP = `npm run -s decide -- <decision> [--as-of YYYY-MM-DD] < facts.json
  一项决定，事实从标准输入读取（JSON），结果写到标准输出 / one decision on the JSON facts read from stdin, the
  result (value and trace: the rules applied with their articles, the reason in Chinese and English) on stdout.
  A JSON array of facts answers an array, in the same order.

  --as-of <date>         决定日期 / the date the decision is made on (default: today, CST)
  --schema               输入的 JSON Schema / the decision's input as JSON Schema
  --list                 所有决定及其规则 / the decisions and the rules each applies
  -h, --help             本说明 / this help

  e.g. npm run -s decide -- waiting-period --as-of 2027-06-01 < docs/examples/worked-examples.json

Exit codes: 0 decided; 2 a bad call or bad input, nothing decided (a JSON error on stderr naming each bad
field); 3 the rules cannot decide (a JSON error on stderr, with the batch index).
`;

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
const ok = (stdout: string): CliResult => ({ code: 0, stdout, stderr: '' });
const fail = (code: number, body: unknown): CliResult => ({ code, stdout: '', stderr: json(body) });

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    options: {
      'as-of': { type: 'string' },
      schema: { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: true,
  });
}

export function runCli(args: readonly string[], stdin: string, today: string = todayCst()): CliResult {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (e) {
    return fail(2, { error: 'invalid-arguments', message: `${(e as Error).message} (npm run decide -- --help)` });
  }
  const { values, positionals } = parsed;
  if (values.help) return ok(DECIDE_HELP);
  if (values.list) return ok(json(DECISIONS.map((d) => ({ id: d.id, title: d.title, rules: d.rules }))));
  const id = positionals[0];
  const spec = id ? findDecision(id) : undefined;
  if (!spec) {
    return fail(2, {
      error: id ? 'unknown-decision' : 'missing-decision',
      message: id ? `unknown decision ${id}` : 'name a decision (npm run decide -- --help)',
      decisions: DECISIONS.map((d) => d.id),
    });
  }
  if (positionals.length > 1)
    return fail(2, {
      error: 'invalid-arguments',
      message: `one decision at a time: ${positionals.slice(1).join(' ')} is not a flag (npm run decide -- --help)`,
    });
  if (values.schema) return ok(json(z.toJSONSchema(spec.input, { io: 'input', unrepresentable: 'any' })));
  const asOf = values['as-of'] ?? today;
  if (!isValidDate(asOf)) {
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
  const facts: unknown[] = [];
  const issues: { path: string; message: string }[] = [];
  items.forEach((item, i) => {
    try {
      facts.push(parseFacts(spec, item, batch ? `[${i}]` : ''));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      issues.push(...e.issues);
    }
  });
  if (issues.length) return fail(2, new InputError(issues).toJSON());

  const store = parameters();
  const results: unknown[] = [];
  for (const [i, f] of facts.entries()) {
    try {
      results.push(evaluate(spec, f, asOf, store));
    } catch (e) {
      if (!(e instanceof DecisionError)) throw e;
      return fail(3, { ...e.toJSON(), ...(batch ? { index: i } : {}) });
    }
  }
  return ok(json(batch ? results : results[0]));
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  // Facts are read only when a decision will be made: a bad flag or --help must not wait on stdin.
  let wantsFacts = false;
  try {
    const { values } = parse(args);
    wantsFacts = !values.help && !values.list && !values.schema;
  } catch {
    // runCli says what is wrong with the flags
  }
  const stdin = wantsFacts ? await readStdin() : '';
  const r = runCli(args, stdin);
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  process.exitCode = r.code;
}
