import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '#rules/catalogue.js';
import { DECISIONS } from '#rules/registry.js';
import { specRuleRows } from './spec-source.js';

describe('rule catalogue against ../shared/spec/RULES.md', () => {
  const rows = specRuleRows();

  it('has the 77 rule ids of RULES.md, with the same source column', () => {
    expect(rows).toHaveLength(77);
    expect(RULES.map((r) => [r.id, r.cites])).toEqual(rows);
  });

  it('names every rule id in at least one test or test case that checks it', () => {
    const root = join(import.meta.dirname, '../..');
    const texts: string[] = [];
    const walk = (dir: string, keep: (f: string) => boolean) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p, keep);
        else if (keep(name)) texts.push(readFileSync(p, 'utf8'));
      }
    };
    walk(join(root, 'test'), (f) => f.endsWith('.test.ts') && f !== 'catalogue.test.ts');
    walk(join(root, 'shared/rules'), (f) => f.endsWith('cases.json'));
    const all = texts.join('\n');
    const untested = rows
      .map(([id]) => id)
      .filter((id) => !new RegExp(`(?<![A-Za-z0-9-])${id}(?![A-Za-z0-9])`).test(all));
    expect(untested).toEqual([]);
  });

  it('every rule a decision claims is in the catalogue, and every decision has an example', () => {
    const ids = new Set(RULES.map((r) => r.id));
    for (const d of DECISIONS) {
      for (const r of d.rules) expect(ids.has(r), `${d.id} cites ${r}`).toBe(true);
      expect(d.example.facts).toBeTruthy();
    }
  });
});
