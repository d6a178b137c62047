import { GRU, LSTM, type Generator, type RecurrentBase } from '@recurrent/core';
import type { CellKind } from './config.js';

export interface RecurrentStackOptions {
  cell: CellKind;
  inputSize: number;
  hiddenSize: number;
  numLayers: number;
  bidirectional: boolean;
  dropout: number;
  generator?: Generator;
}

/** A batch-first LSTM or GRU stack (core's fused layers). */
export function recurrentStack(o: RecurrentStackOptions): RecurrentBase {
  const options = {
    inputSize: o.inputSize,
    hiddenSize: o.hiddenSize,
    numLayers: o.numLayers,
    bidirectional: o.bidirectional,
    dropout: o.numLayers > 1 ? o.dropout : 0,
    batchFirst: true,
    generator: o.generator,
  };
  return o.cell === 'lstm' ? new LSTM(options) : new GRU(options);
}
