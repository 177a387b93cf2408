/**
 * Local task-token registry for .waitForTaskToken tasks, with the SendTaskSuccess / SendTaskFailure semantics of
 * Step Functions: a token not issued here → InvalidToken / TaskDoesNotExist; a token whose task already ended
 * (answered, timed out, execution stopped) → TaskTimedOut. These are thrown as SfnApiError, never crash a run.
 */
import { randomUUID } from 'node:crypto';
import { SfnApiError } from './errors.js';
import type { Json } from './types.js';

export interface TaskTokenInfo {
  token: string;
  executionArn: string;
  executionName: string;
  stateName: string;
  /** The task's parameters, with the token substituted. */
  input: Json;
  /** Clock time the token was issued, epoch ms. */
  issuedAt: number;
}

export type TokenOutcome = { ok: true; output: Json } | { ok: false; error: string; cause: string };

interface Entry {
  info: TaskTokenInfo;
  settle?: (o: TokenOutcome) => void;
  closed?: 'answered' | 'timed-out' | 'cancelled';
}

const PREFIX = 'LOCALSFN-';

export class TaskTokenRegistry {
  private readonly entries = new Map<string, Entry>();

  issue(info: Omit<TaskTokenInfo, 'token'> & { token?: string }): {
    info: TaskTokenInfo;
    outcome: Promise<TokenOutcome>;
  } {
    const token = info.token ?? `${PREFIX}${randomUUID()}`;
    const full: TaskTokenInfo = { ...info, token };
    const entry: Entry = { info: full };
    const outcome = new Promise<TokenOutcome>((resolve) => {
      entry.settle = resolve;
    });
    this.entries.set(token, entry);
    return { info: full, outcome };
  }

  /** Tokens whose task is still waiting. */
  pending(): TaskTokenInfo[] {
    return [...this.entries.values()].filter((e) => !e.closed).map((e) => e.info);
  }

  sendTaskSuccess(token: string, output: Json): void {
    this.answer(token, { ok: true, output: checkJson(output) });
  }

  sendTaskFailure(token: string, error = '', cause = ''): void {
    if (error.length > 256) throw new SfnApiError('InvalidOutput', 'error is longer than 256 characters');
    this.answer(token, { ok: false, error, cause });
  }

  /** Ends a task without an answer (timeout, stop); later answers get TaskTimedOut. */
  close(token: string, reason: 'timed-out' | 'cancelled'): void {
    const e = this.entries.get(token);
    if (e && !e.closed) e.closed = reason;
  }

  private answer(token: string, outcome: TokenOutcome): void {
    if (typeof token !== 'string' || !token.startsWith(PREFIX)) throw new SfnApiError('InvalidToken', 'Invalid token');
    const e = this.entries.get(token);
    if (!e) throw new SfnApiError('TaskDoesNotExist', 'Task does not exist anymore');
    if (e.closed) throw new SfnApiError('TaskTimedOut', `Task Timed Out: '${e.info.stateName}' (${e.closed})`);
    e.closed = 'answered';
    e.settle?.(outcome);
  }
}

function checkJson(value: Json): Json {
  try {
    const text = JSON.stringify(value);
    if (text === undefined) throw new Error('not JSON');
    return JSON.parse(text) as Json;
  } catch {
    throw new SfnApiError('InvalidOutput', 'output is not JSON');
  }
}
