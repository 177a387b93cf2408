/**
 * The parameter loader and lookup (P-1, P-3).
 *
 * Loading validates everything once: each value against its definition's zod schema, a source on
 * every value, no overlap and no gap between consecutive values of one parameter in one set and
 * region, regions that belong to the set's jurisdiction, and packs that tile time per jurisdiction.
 * Lookups after that are small in-memory scans: decisions read a handful of values each.
 */
import { addDays, inRange } from '#domain/calendar.js';
import { regionOf } from '#domain/regions.js';
import { MissingParameterError, NoPolicyInForceError, ParameterDataError } from './errors.js';
import {
  type AgencyDataset,
  type ParamDefinition,
  type PolicyPack,
  type RawParamValue,
  rawParamValue,
  type SourceRef,
} from './types.js';

export interface ParamValue<T = unknown> {
  readonly name: string;
  readonly set: string;
  readonly region: string;
  readonly from: string;
  readonly to?: string;
  /** The value as written in the data (for traces and docs). */
  readonly raw: unknown;
  /** The value after its schema's transform (for rules). */
  readonly value: T;
  readonly source: SourceRef;
}

export class ParameterStore {
  private readonly definitions = new Map<string, ParamDefinition>();
  private readonly bySetName = new Map<string, ParamValue[]>();
  private readonly packs: readonly PolicyPack[];
  /** Lookup chains per pack id: the pack, what it inherits, then its agency dataset. */
  private readonly chains = new Map<string, readonly string[]>();

  constructor(
    packs: readonly PolicyPack[],
    datasets: readonly AgencyDataset[],
    definitions: readonly ParamDefinition[],
    values: readonly RawParamValue[],
  ) {
    const problems: string[] = [];
    this.packs = [...packs].sort((a, b) => (a.from < b.from ? -1 : 1));
    for (const d of definitions) {
      if (this.definitions.has(d.name)) problems.push(`parameter ${d.name} is defined twice`);
      this.definitions.set(d.name, d);
    }
    const setJurisdiction = new Map<string, string>();
    for (const p of packs) setJurisdiction.set(p.id, p.jurisdiction);
    for (const d of datasets) setJurisdiction.set(d.id, d.jurisdiction);
    this.checkPackTiling(problems);

    for (const [i, raw] of values.entries()) {
      const where = `value #${i} (${(raw as { name?: string }).name ?? '?'} / ${(raw as { set?: string }).set ?? '?'} / ${(raw as { region?: string }).region ?? '?'} from ${(raw as { from?: string }).from ?? '?'})`;
      const parsed = rawParamValue.safeParse(raw);
      if (!parsed.success) {
        for (const issue of parsed.error.issues)
          problems.push(`${where}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
        continue;
      }
      const v = parsed.data;
      const def = this.definitions.get(v.name);
      if (!def) {
        problems.push(`${where}: unknown parameter ${v.name}`);
        continue;
      }
      const jurisdiction = setJurisdiction.get(v.set);
      if (!jurisdiction) {
        problems.push(`${where}: unknown policy set or dataset ${v.set}`);
        continue;
      }
      let regionJurisdiction: string | undefined;
      if (v.region === '220000') regionJurisdiction = 'JL';
      else {
        try {
          regionJurisdiction = regionOf(v.region).jurisdiction;
        } catch {
          regionJurisdiction = undefined;
        }
      }
      if (regionJurisdiction !== jurisdiction) {
        problems.push(`${where}: region ${v.region} is not in jurisdiction ${jurisdiction} of set ${v.set}`);
        continue;
      }
      if (v.to !== undefined && v.to < v.from) problems.push(`${where}: ends (${v.to}) before it starts`);
      const typed = def.schema.safeParse(v.value);
      if (!typed.success) {
        for (const issue of typed.error.issues) {
          problems.push(`${where}: value${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}`);
        }
        continue;
      }
      const key = `${v.set}\u0000${v.name}`;
      const list = this.bySetName.get(key) ?? [];
      list.push({ ...v, raw: v.value, value: typed.data });
      this.bySetName.set(key, list);
    }

    for (const list of this.bySetName.values()) {
      list.sort((a, b) => (a.region === b.region ? (a.from < b.from ? -1 : 1) : a.region < b.region ? -1 : 1));
      for (let i = 1; i < list.length; i++) {
        const prev = list[i - 1]!;
        const cur = list[i]!;
        if (prev.region !== cur.region) continue;
        const what = `${cur.name} in ${cur.set} for region ${cur.region}`;
        if (prev.to === undefined || prev.to >= cur.from) {
          problems.push(`${what}: ${prev.from}…${prev.to ?? 'open'} overlaps ${cur.from}…${cur.to ?? 'open'}`);
        } else if (addDays(prev.to, 1) !== cur.from) {
          problems.push(`${what}: gap between ${prev.to} and ${cur.from}`);
        }
      }
    }

    for (const p of this.packs) {
      const chain = [p.id, ...p.inherits];
      for (const s of chain) if (!setJurisdiction.has(s)) problems.push(`pack ${p.id} inherits unknown set ${s}`);
      const ds = datasets.find((d) => d.jurisdiction === p.jurisdiction);
      this.chains.set(p.id, ds ? [...chain, ds.id] : chain);
    }
    if (problems.length) throw new ParameterDataError(problems);
  }

  private checkPackTiling(problems: string[]): void {
    const byJurisdiction = new Map<string, PolicyPack[]>();
    for (const p of this.packs) byJurisdiction.set(p.jurisdiction, [...(byJurisdiction.get(p.jurisdiction) ?? []), p]);
    for (const [j, list] of byJurisdiction) {
      for (let i = 1; i < list.length; i++) {
        const prev = list[i - 1]!;
        const cur = list[i]!;
        if (prev.to === undefined || addDays(prev.to, 1) !== cur.from) {
          problems.push(
            `packs of ${j}: ${prev.id} (to ${prev.to ?? 'open'}) and ${cur.id} (from ${cur.from}) do not meet`,
          );
        }
      }
    }
  }

  allPacks(): readonly PolicyPack[] {
    return this.packs;
  }

  definition(name: string): ParamDefinition | undefined {
    return this.definitions.get(name);
  }

  definitionsList(): readonly ParamDefinition[] {
    return [...this.definitions.values()];
  }

  /** Every loaded value (for docs and the temporal-coverage test). */
  allValues(): readonly ParamValue[] {
    return [...this.bySetName.values()].flat();
  }

  /** P-1: the pack in force in a region on a date. */
  packInForce(regionCode: string, on: string): PolicyPack {
    const jurisdiction = regionOf(regionCode).jurisdiction;
    for (const p of this.packs) {
      if (p.jurisdiction === jurisdiction && inRange(on, p.from, p.to)) return p;
    }
    throw new NoPolicyInForceError(regionCode, on);
  }

  pack(id: string): PolicyPack {
    const p = this.packs.find((x) => x.id === id);
    if (!p) throw new RangeError(`unknown pack ${id}`);
    return p;
  }

  /**
   * The value of `name` for `regionCode` on `on`, read through the pack's chain: the nearest set
   * with a value covering `on` decides, a prefecture's own value before the jurisdiction default. A hole is a MissingParameterError naming what is missing (P-3).
   */
  lookup<T = unknown>(packId: string, name: string, regionCode: string, on: string): ParamValue<T> {
    // Hot path (every decision reads several values): the candidate list for (pack, name, region) is
    // resolved once — the region's own values through the chain, then the defaults — and cached.
    const key = `${packId}|${name}|${regionCode}`;
    let candidates = this.candidateCache.get(key);
    if (!candidates) {
      candidates = this.candidates(packId, name, regionCode);
      this.candidateCache.set(key, candidates);
    }
    for (const v of candidates) {
      if (on >= v.from && (v.to === undefined || on <= v.to)) return v as ParamValue<T>;
    }
    const spans = candidates.map((v) => `${v.set}/${v.region} ${v.from}…${v.to ?? 'open'}`);
    throw new MissingParameterError(
      name,
      regionCode,
      on,
      packId,
      spans.length
        ? `; loaded only for ${spans.join(', ')}`
        : `; no set in ${this.chains.get(packId)!.join(' → ')} holds it`,
    );
  }

  private readonly candidateCache = new Map<string, readonly ParamValue[]>();

  private candidates(packId: string, name: string, regionCode: string): readonly ParamValue[] {
    if (!this.definitions.has(name)) throw new RangeError(`unknown parameter ${name}`);
    const region = regionOf(regionCode);
    const chain = this.chains.get(packId);
    if (!chain) throw new RangeError(`unknown pack ${packId}`);
    // A prefecture's own value, in any set of the chain, beats the jurisdiction default: overrides
    // usually sit in the agency dataset while defaults come from the province's documents.
    const out: ParamValue[] = [];
    for (const code of region.code === region.defaultCode ? [region.code] : [region.code, region.defaultCode]) {
      for (const set of chain) {
        for (const v of this.bySetName.get(`${set}\u0000${name}`) ?? []) if (v.region === code) out.push(v);
      }
    }
    return out;
  }
}
