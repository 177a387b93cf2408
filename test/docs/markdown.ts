/**
 * Reading the docs as a newcomer does: the fenced blocks of a Markdown file, each with the heading it sits
 * under and the prose just before it (what the text says the block does).
 */

export interface FencedBlock {
  readonly file: string;
  /** `sh`, `json`, … as written after the fence. */
  readonly lang: string;
  readonly body: string;
  /** The nearest heading above the block (`## Example`). */
  readonly heading: string;
  /** The text between the previous block (or heading) and this one. */
  readonly before: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
}

export function fencedBlocks(file: string, text: string): FencedBlock[] {
  const lines = text.split('\n');
  const out: FencedBlock[] = [];
  let heading = '';
  let prose: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const fence = /^```\s*([\w-]*)\s*$/.exec(l);
    if (fence) {
      const start = i;
      const body: string[] = [];
      for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
      out.push({
        file,
        lang: fence[1] ?? '',
        body: body.join('\n'),
        heading,
        before: prose.join('\n').trim(),
        line: start + 1,
      });
      prose = [];
      continue;
    }
    if (/^#{1,6}\s/.test(l)) {
      heading = l.trim();
      prose = [];
      continue;
    }
    prose.push(l);
  }
  return out;
}

/** The commands of a shell block: one a line, blank lines and whole-line comments left out, a trailing `# …` kept apart. */
export function shellCommands(block: FencedBlock): Array<{ readonly command: string; readonly comment: string }> {
  return block.body
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const m = /^(.*?)\s+#\s(.*)$/.exec(l);
      return m ? { command: m[1]!.trim(), comment: m[2]!.trim() } : { command: l, comment: '' };
    });
}

export const SHELL_LANGS = new Set(['sh', 'bash', 'shell', 'console']);
