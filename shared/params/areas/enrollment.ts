/** Parameters of the enrollment rules. */
import type { ParamArea } from '../types.js';

export const enrollment: ParamArea = {
  definitions: [],
  values: [],
};
