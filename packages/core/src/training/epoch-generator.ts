import { ValueError } from '../errors.js';
import { Generator } from '../random.js';

/**
 * A Generator that depends only on (seed, epoch): build an epoch's batch order from it and a resumed run rebuilds
 * exactly the order of the epoch it stopped in.
 */
export function epochGenerator(seed: number, epoch: number): Generator {
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32)
    throw new ValueError(`seed must be an integer in [0, 2^32), got ${seed}`);
  if (!Number.isInteger(epoch) || epoch < 0 || epoch >= 2 ** 20)
    throw new ValueError(`epoch must be an integer in [0, 2^20), got ${epoch}`);
  return new Generator(seed * 2 ** 20 + epoch);
}
