/**
 * The demo's HTTP client: the staff API with dev tokens, the tax payment intake (`POST /_events`) and the
 * clock (`/_clock`) of a running system, by fetch against its base URL, and the shapes of the answers it reads.
 */
import type { Day } from './arithmetic.js';
import { DEMO_REGION, type Person } from './cast.js';

// biome-ignore lint/suspicious/noExplicitAny: JSON answers of the API, read field by field and checked at the end.
export type Json = any;

export interface DemoToken {
  readonly role: string;
  readonly region: string;
  readonly token: string;
}

export class DemoHttpError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`${method} ${path} answered ${status}: ${JSON.stringify(body).slice(0, 800)}`);
  }
}

export interface RuleRef {
  readonly id: string;
  readonly cites: string;
}
export interface Reason {
  readonly zh: string;
  readonly en: string;
}
export interface Trace {
  readonly rules: ReadonlyArray<RuleRef & { readonly outcome: string }>;
  readonly reason: Reason;
}
export interface CoverPeriod {
  readonly start: Day;
  readonly end: Day | null;
  readonly rules: readonly RuleRef[];
  readonly reason: Reason;
}
export interface StatusOnDate {
  readonly enrolled: boolean;
  readonly status?: string;
  readonly covered: boolean;
  readonly scheme?: string;
  readonly mode?: string;
  readonly enrollmentId?: string;
  readonly coverPeriod?: CoverPeriod;
  readonly rules: readonly RuleRef[];
  readonly reason: Reason;
}

export const appliedRules = (t: Trace) => t.rules.filter((r) => r.outcome === 'applied');

export class Client {
  constructor(
    private readonly baseUrl: string,
    private readonly tokens: readonly DemoToken[],
  ) {}

  async call(method: string, path: string, body?: unknown, role = 'clerk'): Promise<Json> {
    const token = path.startsWith('/_')
      ? undefined
      : this.tokens.find((t) => t.role === role && t.region === DEMO_REGION)?.token;
    if (!path.startsWith('/_') && !token) throw new Error(`no dev token for a ${role} of ${DEMO_REGION}`);
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: kept as text for the error
    }
    if (res.status !== 200 && res.status !== 201) throw new DemoHttpError(method, path, res.status, parsed);
    return parsed;
  }

  clock(): Promise<{ now: string; today: Day }> {
    return this.call('GET', '/_clock');
  }

  /** Moves the clock forward to `ms` (each day on the way runs its sweep and timers); never backwards. */
  async advanceTo(ms: number): Promise<void> {
    const now = Date.parse((await this.clock()).now);
    if (ms > now) await this.call('POST', '/_clock/advance', { ms: ms - now });
  }

  /** What-if: a decision of the engine on the facts given (nothing is stored). */
  decide(id: string, facts: Record<string, unknown>, asOf: Day): Promise<{ value: Json; trace: Trace }> {
    return this.call('POST', `/decisions/${id}?asOf=${asOf}`, { region: DEMO_REGION, ...facts });
  }

  async getCase(caseId: string): Promise<Json> {
    return (await this.call('GET', `/cases/${encodeURIComponent(caseId)}`, undefined, 'auditor')).case;
  }

  status(p: Person, date: Day): Promise<{ status: StatusOnDate }> {
    return this.call('GET', `/persons/${encodeURIComponent(p.key)}/status?date=${date}`, undefined, 'auditor');
  }

  /** Tax payment notifications (the `detail` of each event) through the intake; one outcome per event. */
  events(details: readonly Record<string, unknown>[]): Promise<Json[]> {
    return this.call(
      'POST',
      '/_events',
      details.map((detail) => ({ detail })),
    );
  }
}
