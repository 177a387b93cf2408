/**
 * Policy parameters are data: each value has a validity (from … to), a region (a jurisdiction's
 * default code or a prefecture override) and a source (document + article, or the agency's own
 * publication). The loader (store.ts) refuses anything else.
 */
import * as z from 'zod';
import { calendarDate } from '#schemas/common.js';
import type { Jurisdiction } from '#domain/regions.js';
import type { SourceKey } from '#domain/sources.js';

export const sourceRef = z.object({
  /** A seed document key (JL26, FLX25, …) or AGENCY for values the agency publishes itself. */
  doc: z.enum(['JL26', 'FLX25', 'PRC22', 'TL22', 'JL21', 'NPC24', 'AGENCY']),
  /** Article, paragraph or, for AGENCY values, the publication that carries the figure. */
  article: z.string().min(1),
  /** A **Reading** taken where the text is open (RULES.md), said in words. */
  reading: z.string().min(1).optional(),
  /** True for the illustrative agency figures shipped for tests and the demo (not official). */
  illustrative: z.boolean().optional(),
});
export type SourceRef = z.infer<typeof sourceRef>;

export const rawParamValue = z.object({
  name: z.string().min(1),
  /** The policy set (pack) or agency dataset the value belongs to. */
  set: z.string().min(1),
  region: z.string().regex(/^\d{6}$/),
  from: calendarDate,
  to: calendarDate.optional(),
  value: z.unknown(),
  source: sourceRef,
});
export type RawParamValue = z.input<typeof rawParamValue>;

/** One parameter value, positionally: the shape every area file writes its values in. */
export function paramValue(
  name: string,
  set: string,
  region: string,
  from: string,
  value: unknown,
  source: RawParamValue['source'],
  to?: string,
): RawParamValue {
  return { name, set, region, from, ...(to ? { to } : {}), value, source };
}

/** What a parameter is, and the schema its values must satisfy (and are transformed by). */
export interface ParamDefinition<T = unknown> {
  readonly name: string;
  readonly en: string;
  readonly zh: string;
  readonly schema: z.ZodType;
  /** Phantom: the type rules read (the schema's output). */
  readonly _type?: T;
}

export function defineParam<S extends z.ZodType>(
  name: string,
  zh: string,
  en: string,
  schema: S,
): ParamDefinition<z.output<S>> {
  return { name, zh, en, schema };
}

/** A policy set: the rules of one document family in force in one jurisdiction over a span. */
export interface PolicyPack {
  readonly id: string;
  readonly jurisdiction: Jurisdiction;
  readonly from: string;
  readonly to?: string;
  readonly source: SourceKey;
  /** Sets whose values stand where this pack does not restate them, nearest first. */
  readonly inherits: readonly string[];
  readonly en: string;
  readonly zh: string;
}

/** The agency's own dataset of a jurisdiction (average wages, regional rates, yearly amounts). */
export interface AgencyDataset {
  readonly id: string;
  readonly jurisdiction: Jurisdiction;
}

/** One area's contribution to the parameter catalogue (see areas/). */
export interface ParamArea {
  readonly definitions: readonly ParamDefinition[];
  readonly values: readonly RawParamValue[];
}
