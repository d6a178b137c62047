import type { Tensor } from '../../tensor/tensor.js';
import { registerParityHandler, type ParityResult } from '../registry.js';
import { inputNumbers, inputTensor, type ParityCase } from '../case.js';
import { backwardWeighted } from '../loss.js';
import { FormatError } from '../../errors.js';
import { RNN } from '../../nn/rnn.js';
import { LSTM } from '../../nn/lstm.js';
import { GRU } from '../../nn/gru.js';
import { GRUCell, LSTMCell, RNNCell } from '../../nn/cells.js';
import type { RecurrentBase, RecurrentLayerOptions } from '../../nn/recurrent.js';
import type { Module } from '../../nn/module.js';

function num(c: ParityCase, key: string, fallback?: number): number {
  const v = c.config[key] ?? fallback;
  if (typeof v !== 'number') throw new FormatError(`${c.name}: config.${key} must be a number`);
  return v;
}

function flag(c: ParityCase, key: string, fallback: boolean): boolean {
  const v = c.config[key] ?? fallback;
  if (typeof v !== 'boolean') throw new FormatError(`${c.name}: config.${key} must be true or false`);
  return v;
}

function nonlinearity(c: ParityCase): 'tanh' | 'relu' {
  const v = c.config.nonlinearity ?? 'tanh';
  if (v !== 'tanh' && v !== 'relu') throw new FormatError(`${c.name}: config.nonlinearity must be 'tanh' or 'relu'`);
  return v;
}

/** An optional tensor input, switched to requiresGrad so its gradient can be compared. */
function optionalInput(c: ParityCase, key: string): Tensor | undefined {
  if (c.inputs[key] === undefined) return undefined;
  return inputTensor(c, key).requiresGrad_();
}

function parameterGrads(m: Module): Record<string, Tensor | null> {
  const grads: Record<string, Tensor | null> = {};
  for (const [name, p] of m.namedParameters()) grads[name] = p.grad;
  return grads;
}

function layerOptions(c: ParityCase): RecurrentLayerOptions {
  return {
    inputSize: num(c, 'input_size'),
    hiddenSize: num(c, 'hidden_size'),
    numLayers: num(c, 'num_layers', 1),
    bias: flag(c, 'bias', true),
    batchFirst: flag(c, 'batch_first', false),
    dropout: num(c, 'dropout', 0),
    bidirectional: flag(c, 'bidirectional', false),
    dtype: c.dtype,
  };
}

function runLayer(c: ParityCase, layer: RecurrentBase): ParityResult {
  layer.loadStateDict(c.stateDict);
  layer.eval();
  const x = inputTensor(c, 'x').requiresGrad_();
  const h0 = optionalInput(c, 'h0');
  const c0 = optionalInput(c, 'c0');
  if (c0 && !h0) throw new FormatError(`${c.name}: input c0 given without h0`);
  const state = h0 ? (c0 ? { h: h0, c: c0 } : { h: h0 }) : undefined;
  const { output, state: out } = layer.forward(x, { state, lengths: inputNumbers(c, 'lengths') });
  const outputs: Record<string, Tensor> = { output, h_n: out.h };
  if (out.c) outputs.c_n = out.c;
  const loss = backwardWeighted(c, outputs);
  return { outputs, loss, grads: { x: x.grad, h0: h0?.grad ?? null, c0: c0?.grad ?? null, ...parameterGrads(layer) } };
}

function cellOptions(c: ParityCase) {
  return {
    inputSize: num(c, 'input_size'),
    hiddenSize: num(c, 'hidden_size'),
    bias: flag(c, 'bias', true),
    dtype: c.dtype,
  };
}

function cellResult(
  c: ParityCase,
  cell: Module,
  outputs: Record<string, Tensor>,
  inputs: Record<string, Tensor | undefined>,
): ParityResult {
  const loss = backwardWeighted(c, outputs);
  const grads: Record<string, Tensor | null> = parameterGrads(cell);
  for (const [k, t] of Object.entries(inputs)) grads[k] = t?.grad ?? null;
  return { outputs, loss, grads };
}

registerParityHandler('RNN', (c) => runLayer(c, new RNN({ ...layerOptions(c), nonlinearity: nonlinearity(c) })));
registerParityHandler('LSTM', (c) => runLayer(c, new LSTM(layerOptions(c))));
registerParityHandler('GRU', (c) => runLayer(c, new GRU(layerOptions(c))));

registerParityHandler('RNNCell', (c) => {
  const cell = new RNNCell({ ...cellOptions(c), nonlinearity: nonlinearity(c) });
  cell.loadStateDict(c.stateDict);
  const x = inputTensor(c, 'x').requiresGrad_();
  const h = optionalInput(c, 'h');
  return cellResult(c, cell, { h_next: cell.forward(x, h) }, { x, h });
});

registerParityHandler('LSTMCell', (c) => {
  const cell = new LSTMCell(cellOptions(c));
  cell.loadStateDict(c.stateDict);
  const x = inputTensor(c, 'x').requiresGrad_();
  const h = optionalInput(c, 'h');
  const cc = optionalInput(c, 'c');
  if (!!h !== !!cc) throw new FormatError(`${c.name}: LSTMCell needs both inputs h and c, or neither`);
  const out = cell.forward(x, h && cc ? { h, c: cc } : undefined);
  return cellResult(c, cell, { h_next: out.h, c_next: out.c }, { x, h, c: cc });
});

registerParityHandler('GRUCell', (c) => {
  const cell = new GRUCell(cellOptions(c));
  cell.loadStateDict(c.stateDict);
  const x = inputTensor(c, 'x').requiresGrad_();
  const h = optionalInput(c, 'h');
  return cellResult(c, cell, { h_next: cell.forward(x, h) }, { x, h });
});
