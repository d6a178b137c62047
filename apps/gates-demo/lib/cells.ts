import type { CellName } from '@recurrent/core';

/** How the page names each cell, and one line on what it is. */
export const CELL_INFO: Record<CellName, { label: string; what: string }> = {
  rnn: { label: 'tanh RNN', what: 'h_t = tanh(W_ih x_t + W_hh h_t−1 + b): the vanilla Elman cell' },
  irnn: { label: 'IRNN', what: 'a ReLU RNN whose W_hh starts as the identity and biases at zero (Le et al. 2015)' },
  lstm: { label: 'LSTM', what: 'input, forget and output gates around an additive cell state' },
  gru: { label: 'GRU', what: 'update and reset gates; h_t interpolates between h_t−1 and a candidate' },
};
