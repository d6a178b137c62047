// A full garbage collection on demand, without starting Node with --expose-gc (vitest workers and the fuzz script's
// children are not): V8's flag is turned on at run time and the `gc` function taken from a fresh context.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | undefined;

/** Run a full, synchronous garbage collection. */
export function collectGarbage(): void {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
}
