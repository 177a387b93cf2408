/** Parameters of the arrears rules. */
import type { ParamArea } from '../types.js';

export const arrears: ParamArea = {
  definitions: [],
  values: [],
};
