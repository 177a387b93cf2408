/**
 * The base of every error a decision can report: a stable `code` and a JSON form that names exactly what is
 * wrong, so the CLI, the staff API and the workflows can report it without guessing. Parameters (shared/params)
 * and rules (shared/rules) both raise them.
 */

export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

export abstract class DecisionError extends Error {
  abstract readonly code: string;
  toJSON(): Record<string, unknown> {
    return { error: this.code, message: this.message };
  }
}
