// The README's core example: a tiny LSTM classifier trained for a few steps, then saved and reloaded.
import {
  Adam,
  Linear,
  LSTM,
  Module,
  crossEntropy,
  clipGradNorm,
  manualSeed,
  noGrad,
  randn,
  type Tensor,
} from '@recurrent/core';
import { loadModule, saveModule } from '@recurrent/core/node';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

manualSeed(0);

class Classifier extends Module {
  readonly lstm = this.registerModule('lstm', new LSTM({ inputSize: 4, hiddenSize: 16, batchFirst: true }));
  readonly head = this.registerModule('head', new Linear({ inFeatures: 16, outFeatures: 2 }));

  forward(x: Tensor, lengths: number[]): Tensor {
    const { state } = this.lstm.forward(x, { lengths }); // state.h: [numLayers, B, 16], each at its own last step
    return this.head.forward(state.h.reshape([x.shape[0]!, 16]));
  }
}

const model = new Classifier();
const optimizer = new Adam(model.parameters(), { lr: 1e-2 });
const x = randn([8, 10, 4]); // batch 8, 10 steps, 4 features
const lengths = [10, 9, 8, 7, 6, 5, 4, 3];
const labels = [0, 1, 0, 1, 0, 1, 0, 1];

for (let step = 0; step < 50; step++) {
  const loss = crossEntropy(model.forward(x, lengths), labels);
  loss.backward();
  clipGradNorm(model.parameters(), 1.0);
  optimizer.step();
  optimizer.zeroGrad();
  if (step % 10 === 0) console.log(`step ${step}: loss ${loss.item().toFixed(4)}`);
}

const file = join(mkdtempSync(join(tmpdir(), 'recurrent-')), 'classifier.safetensors');
saveModule(model, file); // PyTorch names: lstm.weight_ih_l0, head.bias, …
const copy = new Classifier();
loadModule(copy, file);
noGrad(() =>
  console.log(
    'reloaded predictions equal:',
    copy
      .forward(x, lengths)
      .toArray()
      .every((v, i) => v === model.forward(x, lengths).data[i]),
  ),
);
