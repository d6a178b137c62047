import type { DType } from '../tensor/dtype.js';
import type { Generator } from '../random.js';

/** Options every layer with parameters accepts. */
export interface ParameterOptions {
  /** Parameter dtype (default: the global default, float32). */
  dtype?: DType;
  /** Generator for initialisation (default: the global seeded one). */
  generator?: Generator;
}
