/** Parameters of the retirement rules. */
import type { ParamArea } from '../types.js';

export const retirement: ParamArea = {
  definitions: [],
  values: [],
};
