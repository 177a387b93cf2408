/** Parameters of the illness rules. */
import type { ParamArea } from '../types.js';

export const illness: ParamArea = {
  definitions: [],
  values: [],
};
