import { describe, expect, it } from 'vitest';
import { zeros } from '../src/tensor/creation.js';
import { ShapeError, ValueError } from '../src/errors.js';
import { RNN } from '../src/nn/rnn.js';
import { LSTM } from '../src/nn/lstm.js';
import { GRU } from '../src/nn/gru.js';
import { GRUCell, LSTMCell, RNNCell } from '../src/nn/cells.js';

describe('recurrent layers: clear errors', () => {
  const lstm = new LSTM({ inputSize: 5, hiddenSize: 7, numLayers: 2, batchFirst: true });
  const x = zeros([3, 6, 5]);

  it('rejects inputs of the wrong rank or feature size', () => {
    expect(() => lstm.forward(zeros([3, 5]))).toThrow(ShapeError);
    expect(() => lstm.forward(zeros([3, 5]))).toThrow(/3-D input \[B, T, inputSize\].*got shape \[3, 5\]/);
    expect(() => lstm.forward(zeros([3, 6, 4]))).toThrow(/expected shape \[\*, \*, 5\], got \[3, 6, 4\]/);
    expect(() => lstm.forward(zeros([3, 0, 5]))).toThrow(ShapeError);
  });

  it('shows expected and got for a wrong initial state', () => {
    const h = zeros([1, 3, 7]);
    const c = zeros([2, 3, 7]);
    expect(() => lstm.forward(x, { state: { h, c } })).toThrow(ShapeError);
    expect(() => lstm.forward(x, { state: { h, c } })).toThrow(/expected shape \[2, 3, 7\], got \[1, 3, 7\]/);
    expect(() => lstm.forward(x, { state: { h: c, c: zeros([2, 4, 7]) } })).toThrow(
      /state c.*expected shape \[2, 3, 7\], got \[2, 4, 7\]/,
    );
    const gru = new GRU({ inputSize: 5, hiddenSize: 7, bidirectional: true });
    expect(() => gru.forward(zeros([6, 3, 5]), { state: { h: zeros([1, 3, 7]) } })).toThrow(
      /expected shape \[2, 3, 7\], got \[1, 3, 7\]/,
    );
  });

  it('requires c for an LSTM and refuses c elsewhere', () => {
    expect(() => lstm.forward(x, { state: { h: zeros([2, 3, 7]) } })).toThrow(ValueError);
    expect(() => lstm.forward(x, { state: { h: zeros([2, 3, 7]) } })).toThrow(/needs both h and c/);
    const rnn = new RNN({ inputSize: 5, hiddenSize: 7 });
    expect(() => rnn.forward(zeros([6, 3, 5]), { state: { h: zeros([1, 3, 7]), c: zeros([1, 3, 7]) } })).toThrow(
      /no cell state/,
    );
  });

  it('checks lengths', () => {
    expect(() => lstm.forward(x, { lengths: [6, 0, 2] })).toThrow(/lengths\[1\] = 0 is out of range.*1\.\.6/);
    expect(() => lstm.forward(x, { lengths: [7, 1, 2] })).toThrow(ValueError);
    expect(() => lstm.forward(x, { lengths: [2.5, 1, 2] })).toThrow(ValueError);
    expect(() => lstm.forward(x, { lengths: [6, 2] })).toThrow(/2 entries but the batch has 3/);
  });

  it('rejects bad options', () => {
    expect(() => new LSTM({ inputSize: 5, hiddenSize: 0 })).toThrow(/hiddenSize must be a positive integer/);
    expect(() => new GRU({ inputSize: 5, hiddenSize: 3, numLayers: 1.5 })).toThrow(ValueError);
    expect(() => new LSTM({ inputSize: 5, hiddenSize: 3, dropout: 1.5 })).toThrow(/dropout must be in \[0, 1\]/);
    expect(() => new RNN({ inputSize: 5, hiddenSize: 3, nonlinearity: 'sigmoid' as 'tanh' })).toThrow(/nonlinearity/);
    expect(() => new RNN({ inputSize: 5, hiddenSize: 3, recurrentInit: 'orthogonal' as 'identity' })).toThrow(
      /recurrentInit/,
    );
  });

  it('checks cell inputs', () => {
    const cell = new LSTMCell({ inputSize: 5, hiddenSize: 7 });
    expect(() => cell.forward(zeros([1, 3, 5]))).toThrow(/2-D input \[B, inputSize\]/);
    expect(() => cell.forward(zeros([3, 4]))).toThrow(/expected shape \[\*, 5\], got \[3, 4\]/);
    expect(() => cell.forward(zeros([3, 5]), { h: zeros([3, 7]), c: zeros([2, 7]) })).toThrow(
      /cell state c.*expected shape \[3, 7\], got \[2, 7\]/,
    );
    expect(() => cell.forward(zeros([3, 5]), { h: zeros([3, 7]) } as never)).toThrow(/needs both h and c/);
    expect(() => new GRUCell({ inputSize: 5, hiddenSize: 7 }).forward(zeros([3, 5]), zeros([3, 6]))).toThrow(
      /expected shape \[3, 7\], got \[3, 6\]/,
    );
    expect(() => new RNNCell({ inputSize: 5, hiddenSize: -1 })).toThrow(ValueError);
  });
});
