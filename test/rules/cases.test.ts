/**
 * Runs every rule test case kept as data next to the rules (shared/rules/<area>/cases.json).
 * Each case names the rule ids it exercises; the test checks the decided value (real dates and
 * amounts) and that each named rule was applied in the trace.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DecisionError } from '#rules/errors.js';
import { decide } from '#rules/registry.js';

export interface RuleCase {
  name: string;
  rules: string[];
  source?: string;
  asOf: string;
  facts: unknown;
  expect?: Record<string, unknown>;
  expectError?: string;
  expectPolicySet?: string;
}

export function loadCaseFiles(): Array<{ file: string; decision: string; cases: RuleCase[] }> {
  const root = join(import.meta.dirname, '../../shared/rules');
  const out: Array<{ file: string; decision: string; cases: RuleCase[] }> = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('cases.json')) out.push({ file: p, ...JSON.parse(readFileSync(p, 'utf8')) });
    }
  };
  walk(root);
  return out;
}

for (const { file, decision, cases } of loadCaseFiles()) {
  describe(`${decision} (${file.split('/shared/')[1]})`, () => {
    for (const c of cases) {
      it(`[${c.rules.join(', ') || 'error'}] ${c.name}`, () => {
        if (c.expectError) {
          let caught: unknown;
          try {
            decide(decision, c.facts, c.asOf);
          } catch (e) {
            caught = e;
          }
          expect(caught).toBeInstanceOf(DecisionError);
          expect((caught as DecisionError).code).toBe(c.expectError);
          return;
        }
        const r = decide(decision, c.facts, c.asOf);
        expect(r.value).toMatchObject(c.expect ?? {});
        const applied = r.trace.rules.filter((s) => s.outcome === 'applied').map((s) => s.id);
        for (const id of c.rules) expect(applied, `rule ${id} applied`).toContain(id);
        if (c.expectPolicySet) expect(r.trace.policySet.id).toBe(c.expectPolicySet);
        expect(r.trace.reason.zh.length).toBeGreaterThan(0);
        expect(r.trace.reason.en.length).toBeGreaterThan(0);
      });
    }
  });
}
