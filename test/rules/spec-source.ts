/**
 * Reads the rule catalogue beside the checkout (../shared/spec/RULES.md): cited, never copied.
 * SHARED_DIR points elsewhere when the checkout is not beside shared/ (a clone in /tmp, say).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const SHARED_DIR = resolve(process.env.SHARED_DIR ?? join(import.meta.dirname, '../../../shared'));
export const SPEC_DIR = join(SHARED_DIR, 'spec');

export function rulesMarkdown(): string {
  const file = join(SPEC_DIR, 'RULES.md');
  if (!existsSync(file)) {
    throw new Error(`RULES.md not found at ${file}: run beside ../shared, or set SHARED_DIR to the shared folder`);
  }
  return readFileSync(file, 'utf8');
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
