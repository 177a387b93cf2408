/**
 * The one logger of every function: Powertools' structured JSON logger, with identity numbers masked in
 * every string it writes (Security: ID numbers are masked in logs). Masking happens in the JSON replacer,
 * so a key that slips into a message, an error or a nested attribute is caught too, not only the fields we
 * remembered to mask.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { maskIdentity } from '#domain/identity.js';

// An 18-character resident ID or permit number, or a normalised identity key (CN:…, HMT:…, PP:XXX:…).
const IDENTITY_IN_TEXT = /\b(?:(?:CN|HMT):[0-9]{17}[0-9Xx]|PP:[A-Z]{3}:[A-Z0-9]{5,20}|[1-9][0-9]{16}[0-9Xx])\b/g;

export function maskIdentitiesIn(text: string): string {
  return text.replace(IDENTITY_IN_TEXT, (m) => (m.includes(':') ? maskIdentity(m) : maskIdentity(`CN:${m}`).slice(3)));
}

export function createLogger(serviceName: string): Logger {
  return new Logger({
    serviceName,
    jsonReplacerFn: (_key: string, value: unknown) => (typeof value === 'string' ? maskIdentitiesIn(value) : value),
  });
}
