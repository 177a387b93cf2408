/**
 * What the local-runtime tests share: a JSON client for the runtime's HTTP interfaces (the staff API and
 * its `/_…` endpoints), a dev token by role and region, and a flexible worker's tax payment notification.
 */
import type { LocalRuntime } from '#tools/local-runtime/runtime.js';

export interface Reply {
  readonly status: number;
  readonly type: string | null;
  // biome-ignore lint/suspicious/noExplicitAny: the tests read replies of every route
  readonly body: any;
}

/** `call(method, path, body?, bearer?)` against the runtime `rt()` returns (it may be restarted). */
export function httpClient(rt: () => LocalRuntime) {
  return async function call(method: string, path: string, body?: unknown, bearer?: string): Promise<Reply> {
    const res = await fetch(`${rt().apiUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type'), body: text ? JSON.parse(text) : undefined };
  };
}

export const devToken = (rt: LocalRuntime, role: string, region: string) =>
  rt.tokens.find((t) => t.role === role && t.region === region)!.token;

/** A flexible worker (combined mode) of Changchun paying `amountFen` for `feeMonth` (docs/events.md). */
export function flexiblePayment(o: {
  notificationId: string;
  number: string;
  feeMonth: string;
  amountFen: number;
  paidAt: string;
}) {
  return {
    detail: {
      schemaVersion: '1',
      notificationId: o.notificationId,
      payer: { kind: 'person' },
      scheme: 'employee',
      mode: 'flexible',
      flexibleMode: 'combined',
      region: '220100',
      paidAt: o.paidAt,
      insured: [{ identity: { number: o.number }, periods: [{ feePeriod: o.feeMonth, amountFen: o.amountFen }] }],
    },
  };
}
