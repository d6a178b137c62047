import { GRU, LSTM, type DType, type Generator, type RecurrentBase } from '@recurrent/core';
import { PIANO_KEYS } from '../pitch.js';

/** The recurrent trunk of a frame model: an LSTM or GRU over 88-key frames, batch first. */
export function frameRecurrence(
  arch: { hiddenSize: number; numLayers: number; cell: 'lstm' | 'gru'; dropout: number },
  options: { generator: Generator; dtype?: DType | undefined },
): RecurrentBase {
  const layer = {
    inputSize: PIANO_KEYS,
    hiddenSize: arch.hiddenSize,
    numLayers: arch.numLayers,
    dropout: arch.dropout,
    batchFirst: true,
    generator: options.generator,
    dtype: options.dtype,
  };
  return arch.cell === 'lstm' ? new LSTM(layer) : new GRU(layer);
}
