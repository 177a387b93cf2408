/**
 * Every JSON example in docs/*.md and every file in docs/examples/ is read by the schema it illustrates: a
 * payment notification by the event schema and then by the store's (the passport line of docs/events.md was
 * once refused there), a roster by the roster item, an enrollment by the staff API's body, a decision's
 * example by its input and its value by what the decision answers. An example with no schema named here fails,
 * so a new one comes with its check.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { parseIdentity } from '#domain/identity.js';
import { paymentFacts } from '#app/intake/cases.js';
import { enrollBody } from '#app/staff/schemas.js';
import { rosterItem } from '#app/workflows/collection-window.js';
import { parameters } from '#params/index.js';
import { evaluate, parseFacts } from '#rules/engine.js';
import { findDecision } from '#rules/registry.js';
import { parseTaxPaymentEvent, taxPaymentDetailV1, taxPaymentEnvelope } from '#schemas/events.js';
import { identityKey, payerSchema, taxPaymentNotification } from '#schemas/notification.js';
import type { Case } from '#store/model.js';
import { type FencedBlock, fencedBlocks } from './markdown.js';

const root = join(import.meta.dirname, '../..');
const docs = join(root, 'docs');

// biome-ignore lint/suspicious/noExplicitAny: examples are read field by field
type Json = any;

/** A notification event as the tax bureau sends it: the envelope, the detail, and each person's part as the store takes it. */
function checkNotificationEvent(event: Json, today = '2030-01-01') {
  expect(taxPaymentEnvelope.safeParse(event).error?.issues ?? []).toEqual([]);
  expect(taxPaymentDetailV1.safeParse(event.detail).error?.issues ?? []).toEqual([]);
  const parsed = parseTaxPaymentEvent(JSON.stringify(event), today);
  expect(parsed.ok ? [] : parsed.issues).toEqual([]);
  if (!parsed.ok) return [];
  for (const p of parsed.payments)
    expect(taxPaymentNotification.safeParse(p.notification).error?.issues ?? [], p.notification.identityKey).toEqual(
      [],
    );
  return parsed.payments;
}

/** JSON blocks of docs/*.md that are not examples: templates with `…` where the reader fills in. */
const TEMPLATES: Readonly<Record<string, string>> = {
  'docs/adding-rules.md ## 3. Test cases as data (`shared/rules/<area>/cases.json`)':
    'the shape of a cases.json, with … for what a new rule fills in',
};

type Check = (block: FencedBlock, value: Json) => void;

/** The schema each JSON block of docs/*.md illustrates, by file and heading (and the line before the block). */
function checkerFor(block: FencedBlock): Check | undefined {
  if (block.file === 'docs/events.md' && block.heading === '## Example')
    return (_b, event) => {
      const payments = checkNotificationEvent(event);
      expect(payments.map((p) => p.notification.identityKey)).toContain('PP:KOR:E1234567');
    };
  if (block.file === 'docs/events.md' && block.heading.startsWith('### Callback output'))
    return (_b, callback) => {
      // The callback of the same payment, as the intake builds it. The case's type only narrows the periods to
      // the case's months, and the example's one period is its case's month.
      const event = {
        id: 'e',
        'detail-type': 'Tax Payment Notification',
        source: 'gov.chinatax.jilin',
        time: callback.paidAt,
        detail: {
          schemaVersion: '1',
          notificationId: callback.notificationId,
          payer: callback.payer,
          scheme: callback.scheme,
          mode: callback.mode,
          flexibleMode: 'combined',
          region: callback.region,
          paidAt: callback.paidAt,
          purpose: callback.purpose,
          insured: [
            {
              identity: { number: '22010219790615303X' },
              periods: callback.periods.map((p: Json) => ({
                feePeriod: p.feePeriod,
                amountFen: p.amountFen,
                ...(p.dueFen !== undefined ? { dueFen: p.dueFen } : {}),
              })),
            },
          ],
        },
      };
      const [payment] = checkNotificationEvent(event);
      const facts = paymentFacts(
        { caseId: callback.caseId, caseType: 'refund' } as unknown as Case,
        payment!,
        callback.periods.map((p: Json) => ({ scheme: 'employee', feePeriod: p.feePeriod, amount: p.ledgerAmountFen })),
      );
      expect(callback).toEqual(facts);
    };
  if (block.file === 'docs/decisions.md') {
    const id = /^## (\S+)$/.exec(block.heading)?.[1];
    const spec = id ? findDecision(id) : undefined;
    if (!spec) return undefined;
    const asOf = /Example \(as of (\d{4}-\d{2}-\d{2})\)/.exec(block.before)?.[1];
    if (block.before.includes('Input (JSON Schema)'))
      return (_b, schema) =>
        expect(schema).toEqual(z.toJSONSchema(spec.input, { io: 'input', unrepresentable: 'any' }));
    if (asOf) return (_b, facts) => expect(spec.input.safeParse(facts).error?.issues ?? []).toEqual([]);
    if (block.before.startsWith('Value:'))
      return (_b, value) => {
        const example = spec.example;
        expect(value).toEqual(evaluate(spec, parseFacts(spec, example.facts), example.asOf, parameters()).value);
      };
  }
  return undefined;
}

describe('every JSON example in docs/*.md', () => {
  const blocks = readdirSync(docs)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .flatMap((f) => fencedBlocks(`docs/${f}`, readFileSync(join(docs, f), 'utf8')))
    .filter((b) => b.lang === 'json');

  it('finds the examples', () => {
    expect(blocks.filter((b) => b.file === 'docs/events.md')).toHaveLength(2);
    expect(blocks.filter((b) => b.file === 'docs/decisions.md').length).toBeGreaterThan(3);
  });

  for (const block of blocks) {
    const where = `${block.file}:${block.line} ${block.heading}`;
    it(`${where} is parsed by the schema it illustrates`, () => {
      const template = TEMPLATES[`${block.file} ${block.heading}`];
      if (template !== undefined) {
        // Not JSON until filled in; if it becomes an example, it needs a schema here.
        expect(() => JSON.parse(block.body)).toThrow();
        return;
      }
      const check = checkerFor(block);
      expect(check, `no schema is named for the JSON example at ${where}`).toBeDefined();
      check!(block, JSON.parse(block.body));
    });
  }
});

describe('docs/examples/', () => {
  const dir = join(docs, 'examples');
  const read = (f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Json;
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

  const CHECKS: ReadonlyArray<{ match: RegExp; check: (value: Json) => void }> = [
    { match: /^enrollment\.json$/, check: (v) => expect(enrollBody.safeParse(v).error?.issues ?? []).toEqual([]) },
    { match: /^notification-.*\.json$/, check: (v) => checkNotificationEvent(v) },
    {
      match: /^roster\.json$/,
      check: (v) => expect(z.array(rosterItem).min(1).safeParse(v).error?.issues ?? []).toEqual([]),
    },
    {
      match: /^worked-examples\.json$/,
      check: (v) => {
        const spec = findDecision('waiting-period')!;
        for (const item of v as unknown[]) expect(spec.input.safeParse(item).error?.issues ?? []).toEqual([]);
      },
    },
  ];

  for (const f of files)
    it(`${f} is parsed by the schema it illustrates`, () => {
      const checks = CHECKS.filter((c) => c.match.test(f));
      expect(checks, `no schema is named for docs/examples/${f}`).toHaveLength(1);
      checks[0]!.check(read(f));
    });

  it('has a payment notification for each kind of payer', () => {
    const kinds = files.filter((f) => f.startsWith('notification-')).map((f) => read(f).detail.payer.kind);
    expect(new Set(kinds)).toEqual(new Set(payerSchema.shape.kind.options));
  });

  it('includes a passport holder, who reaches the store', () => {
    const payments = checkNotificationEvent(read('notification-unit.json'));
    expect(payments.map((p) => p.notification.identityKey)).toContain('PP:KOR:M12345678');
  });
});

describe("the store's identity key", () => {
  it('accepts exactly the three forms shared/domain/identity.ts writes', () => {
    const written = [
      parseIdentity({ number: '22010219790615303X' }),
      parseIdentity({ number: '810000199001010019' }),
      parseIdentity({ number: 'E1234567', nationality: 'KOR' }),
      // Written as the tax bureau may send it: spaces and lower case are normalised away.
      parseIdentity({ number: ' 5678 12345 ', nationality: 'usa' }),
    ].map((r) => (r.ok ? r.identity.key : `refused: ${JSON.stringify(r.problems)}`));
    expect(written.map((k) => k.split(':')[0])).toEqual(['CN', 'HMT', 'PP', 'PP']);
    for (const k of written) expect(identityKey.safeParse(k).success, k).toBe(true);
  });

  it('refuses what identity.ts never writes', () => {
    for (const k of [
      'CN:2201',
      'CN:22010219790615303x',
      'CN:P-abc-1',
      'HMT:220102197906153038',
      'PP:KOR',
      'PP:KOREA:E1234567',
      'PP:KOR:E12',
      'pp:kor:e1234567',
      'XX:123456',
      'CN:22010219790615303X ',
    ])
      expect(identityKey.safeParse(k).success, k).toBe(false);
  });
});
