/** How the story is printed: a heading per dated step, what the system answered, and why. */
import type { Day } from './arithmetic.js';
import type { Reason, RuleRef } from './client.js';

export class Printer {
  constructor(readonly out: (line: string) => void) {}
  scene(day: Day, title: string) {
    this.out('');
    this.out(`── ${day} ── ${title}`);
  }
  say(text: string) {
    this.out(`  • ${text}`);
  }
  note(text: string) {
    this.out(`      ${text}`);
  }
  /** The system's reason in Chinese and English, and the rules it applied with their articles. */
  why(reason: Reason | undefined, rules: readonly RuleRef[] = []) {
    if (reason) {
      this.out(`      zh ${reason.zh}`);
      this.out(`      en ${reason.en}`);
    }
    const seen = new Map(rules.map((r) => [r.id, r.cites]));
    if (seen.size)
      this.out(`      rules ${[...seen].map(([id, cites]) => (cites ? `${id} (${cites})` : id)).join('; ')}`);
  }
}
