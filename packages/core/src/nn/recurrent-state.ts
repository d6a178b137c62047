import type { Tensor } from '../tensor/tensor.js';

/**
 * Hidden state of a recurrent layer, PyTorch layout: `h` (and `c` for LSTM) are [numLayers * numDirections, B, H],
 * ordered layer 0 forward, layer 0 reverse, layer 1 forward, …
 */
export interface RecurrentState {
  h: Tensor;
  c?: Tensor;
}

export interface RecurrentForwardOptions {
  /** Initial state (zeros when omitted). */
  state?: RecurrentState;
  /**
   * Valid length of each sequence in the batch (each in 1..T), like a packed sequence: padded positions of the
   * output are exactly zero, the final state is taken at each sequence's last valid step, and the reverse direction
   * starts from each sequence's own last valid step.
   */
  lengths?: ArrayLike<number>;
}

export interface RecurrentOutput {
  /** Top layer's hidden states: [B, T, D*H] when batchFirst, else [T, B, D*H]. */
  output: Tensor;
  /** Final state of every layer and direction. */
  state: RecurrentState;
}

/**
 * The same state values cut from the autograd graph, for truncated back-propagation through time:
 * carry the state into the next chunk without back-propagating into the previous one.
 */
export function detachState(state: RecurrentState): RecurrentState {
  return state.c ? { h: state.h.detach(), c: state.c.detach() } : { h: state.h.detach() };
}
