/**
 * The callback pattern: a `.waitForTaskToken` task stores `$$.Task.Token` on its case, so whoever
 * brings the awaited event (intake with a payment, staff with a choice) finds the token by reading
 * the case, and sends it back with `TaskCallbacks.succeed`.
 */
import type { Case } from '#store/model.js';
import { inputOf, isClosed, stateInvalid, systemCtx, type WorkflowDeps } from './common.js';

export interface StoreTokenInput {
  readonly caseId: string;
  readonly taskToken: string;
}

/**
 * Stores the token on the case (idempotent: the same token again writes nothing; a new token, from a
 * retried or re-entered wait, replaces the old one). A closed case takes no token: its execution is
 * resumed at once with `{ closed: true, state }` so it does not wait for nothing.
 */
export async function storeTaskToken(
  deps: WorkflowDeps,
  component: string,
  input: StoreTokenInput,
  waitingIn: readonly string[],
): Promise<Case> {
  const c = await deps.store.updateCase(
    input.caseId,
    (cur) =>
      isClosed(cur) || cur.taskToken === input.taskToken ? null : { ...inputOf(cur), taskToken: input.taskToken },
    (cur) => systemCtx(component, `waiting for ${cur.wait?.for ?? 'an event'}: callback token stored`),
  );
  if (isClosed(c)) {
    await deps.callbacks?.succeed(input.taskToken, { closed: true, state: c.state });
    return c;
  }
  if (!waitingIn.includes(c.state)) throw stateInvalid(c, 'storing a callback token', waitingIn);
  return c;
}
