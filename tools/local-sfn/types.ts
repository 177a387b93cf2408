/** JSON and ASL shapes used across the adapter (kept loose: definitions are validated by inspect.ts). */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

export interface AslState {
  Type: string;
  [field: string]: unknown;
}

export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  Comment?: string;
  Version?: string;
  TimeoutSeconds?: number;
  QueryLanguage?: string;
  [field: string]: unknown;
}
