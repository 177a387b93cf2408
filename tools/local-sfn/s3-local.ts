/**
 * A local folder standing for S3 in Distributed Map runs: object s3://BUCKET/KEY is the file ROOT/BUCKET/KEY.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Json, JsonObject } from './types.js';

export class LocalS3 {
  constructor(readonly root: string) {}

  objectPath(bucket: string, key: string): string {
    const base = resolve(this.root, bucket);
    const p = resolve(base, key);
    // Keys are data, not paths: refuse ones that would escape the bucket folder.
    if (p !== base && !p.startsWith(base + sep)) throw new Error(`S3 key escapes bucket folder: ${key}`);
    return p;
  }

  async getText(bucket: string, key: string): Promise<string> {
    try {
      return await readFile(this.objectPath(bucket, key), 'utf8');
    } catch (e) {
      throw Object.assign(new Error(`S3.NoSuchKey: s3://${bucket}/${key} (${(e as Error).message})`), {
        name: 'States.ItemReaderFailed',
      });
    }
  }

  async put(bucket: string, key: string, body: string): Promise<void> {
    const p = this.objectPath(bucket, key);
    await mkdir(dirname(p), { recursive: true });
    await writeFile(p, body);
  }

  /** listObjectsV2 over the bucket folder: every file under Prefix, sorted by key, with the fields S3 returns. */
  async list(bucket: string, prefix = ''): Promise<JsonObject[]> {
    const base = resolve(this.root, bucket);
    const out: JsonObject[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const p = join(dir, e.name);
        if (e.isDirectory()) await walk(p);
        else {
          const key = relative(base, p).split(sep).join('/');
          if (!key.startsWith(prefix)) continue;
          const s = await stat(p);
          out.push({
            Etag: `"${createHash('md5').update(key).update(String(s.size)).update(String(s.mtimeMs)).digest('hex')}"`,
            Key: key,
            LastModified: s.mtime.toISOString(),
            Size: s.size,
            StorageClass: 'STANDARD',
          });
        }
      }
    };
    await walk(base);
    return out.sort((a, b) => (String(a.Key) < String(b.Key) ? -1 : 1));
  }
}

export interface ReaderSpec {
  resource: string;
  parameters: JsonObject;
  config: Record<string, unknown>;
  maxItems?: number;
}

export async function readItems(s3: LocalS3, spec: ReaderSpec): Promise<Json[]> {
  const bucket = String(spec.parameters.Bucket ?? '');
  if (!bucket) throw new Error('ItemReader Parameters need a Bucket');
  let items: Json[];
  if (spec.resource.endsWith(':s3:listObjectsV2')) {
    items = await s3.list(bucket, (spec.parameters.Prefix as string | undefined) ?? '');
  } else {
    const text = await s3.getText(bucket, String(spec.parameters.Key));
    const type = String(spec.config.InputType);
    if (type === 'JSON') {
      const parsed = JSON.parse(text) as Json;
      if (!Array.isArray(parsed)) throw itemReaderError('JSON ItemReader object must contain an array');
      items = parsed;
    } else if (type === 'JSONL') {
      items = text
        .split(/\r?\n/)
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Json);
    } else {
      items = parseCsvItems(text, spec.config);
    }
  }
  const max = spec.maxItems ?? (spec.config.MaxItems as number | undefined);
  return max && max > 0 ? items.slice(0, max) : items;
}

function itemReaderError(message: string): Error {
  return Object.assign(new Error(message), { name: 'States.ItemReaderFailed' });
}

const DELIMITERS: Record<string, string> = { COMMA: ',', PIPE: '|', SEMICOLON: ';', SPACE: ' ', TAB: '\t' };

/** CSV rows as objects keyed by header; values stay strings, as in Step Functions. */
function parseCsvItems(text: string, config: Record<string, unknown>): JsonObject[] {
  const delimiter = DELIMITERS[String(config.CSVDelimiter ?? 'COMMA')] ?? ',';
  const rows = parseCsv(text, delimiter);
  let headers: string[];
  if (config.CSVHeaderLocation === 'GIVEN') {
    headers = (config.CSVHeaders as string[]) ?? [];
  } else {
    headers = rows.shift() ?? [];
  }
  return rows.map((r) => Object.fromEntries(headers.map((h, i) => [h, r[i] ?? ''])));
}

function parseCsv(text: string, d: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === d) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
