import { Tensor } from '@recurrent/core';

/**
 * Activation buffers of one graph run that no later step reads, by length, for the next output of that length: an
 * inference run then allocates (and the garbage collector frees) a few live activations instead of one array per
 * layer. Only storage the run itself made, and nothing else still refers to, may be given.
 */
export class SpareBuffers {
  private readonly byLength = new Map<number, Float32Array[]>();

  /** A spare buffer seen as `shape`, or undefined when there is none of that size. */
  take(shape: readonly number[]): Tensor | undefined {
    const data = this.byLength.get(shape.reduce((a, b) => a * b, 1))?.pop();
    return data ? new Tensor(data, [...shape]) : undefined;
  }

  /** Offer the storage of `t` (float32 only; other dtypes are ignored). */
  give(t: Tensor): void {
    if (!(t.data instanceof Float32Array)) return;
    const list = this.byLength.get(t.data.length);
    if (list) list.push(t.data);
    else this.byLength.set(t.data.length, [t.data]);
  }
}
