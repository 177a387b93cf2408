/** Reads the rule catalogue beside the checkout (../shared/spec/RULES.md): cited, never copied. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SPEC_DIR = join(import.meta.dirname, '../../../shared/spec');

export function rulesMarkdown(): string {
  return readFileSync(join(SPEC_DIR, 'RULES.md'), 'utf8');
}

/** Every `| id | rule | source |` row of RULES.md as [id, source column]. */
export function specRuleRows(): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  for (const line of rulesMarkdown().split('\n')) {
    const m = /^\| ([A-Z]-\d+[a-c]?) \|.*\| ([^|]+) \|$/.exec(line);
    if (m) rows.push([m[1]!, m[2]!.trim()]);
  }
  return rows;
}
