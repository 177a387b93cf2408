/**
 * The loaded parameter catalogue: every area's definitions and values, validated once per process.
 * Areas are split by rule family so each can be read beside its rules.
 */
import { agencySample } from './areas/agency-sample.js';
import { arrears } from './areas/arrears.js';
import { contributions } from './areas/contributions.js';
import { core } from './areas/core.js';
import { enrollment } from './areas/enrollment.js';
import { illness } from './areas/illness.js';
import { retirement } from './areas/retirement.js';
import { waiting } from './areas/waiting.js';
import { AGENCY_DATASETS, PACKS } from './packs.js';
import { ParameterStore } from './store.js';
import type { ParamArea } from './types.js';

export const AREAS: readonly ParamArea[] = [
  core,
  waiting,
  contributions,
  arrears,
  retirement,
  illness,
  enrollment,
  agencySample,
];

let loaded: ParameterStore | undefined;

/** The default store, validated on first use (a ParameterDataError if the data is bad). */
export function parameters(): ParameterStore {
  loaded ??= new ParameterStore(
    PACKS,
    AGENCY_DATASETS,
    AREAS.flatMap((a) => a.definitions),
    AREAS.flatMap((a) => a.values),
  );
  return loaded;
}
