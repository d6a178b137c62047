// Time of one training step of the scene captioner (encoder + Show-Attend-Tell decoder, Adam) and of captioning
// one scene — to size the scene task's training budget. Not training: a few steps on one batch.
// pnpm --filter @recurrent/vision exec tsx --conditions=@recurrent/source scripts/bench-scene-step.ts [batch] [steps]
import { Adam, Generator, cat, manualSeed, noGrad } from '@recurrent/core';
import { Captioner, SceneEncoder, imageToTensor, sceneCaptionVocabulary, sceneSplit } from '../src/index.js';

const batch = Number(process.argv[2] ?? 32);
const steps = Number(process.argv[3] ?? 5);
manualSeed(0);
const g = new Generator(1);
const vocab = sceneCaptionVocabulary();
const scenes = sceneSplit('train', batch, { seed: 0 });
const images = cat(
  scenes.map((s) => imageToTensor({ data: s.rgba, width: s.size, height: s.size }, { size: s.size })),
  0,
);
const encoder = new SceneEncoder({ channels: [32, 64, 64], generator: g });
const model = new Captioner({
  vocabSize: vocab.size,
  featureDim: encoder.outChannels,
  embDim: 32,
  hiddenSize: 128,
  attentionDim: 64,
  generator: g,
});
const { inputs, targets } = vocab.teacherForcing(scenes.map((s) => s.caption.tokens));
const optimizer = new Adam([...encoder.parameters(), ...model.parameters()], { lr: 1e-3 });
const parameters = [...encoder.parameters(), ...model.parameters()].reduce((n, p) => n + p.size, 0);
console.log(
  `batch ${batch} scenes 64×64, grid ${encoder
    .forward(images.reshape([batch, 3, 64, 64]))
    .shape.slice(2)
    .join('×')}, ` + `${inputs[0]!.length} steps of teacher forcing, ${parameters} parameters`,
);
const times: number[] = [];
for (let s = 0; s < steps; s++) {
  const t0 = performance.now();
  const r = model.loss(model.prepare(encoder.forward(images)), inputs, targets, { padId: vocab.pad });
  r.loss.backward();
  optimizer.step();
  optimizer.zeroGrad();
  times.push(performance.now() - t0);
  console.log(`step ${s}: ${times[s]!.toFixed(0)} ms, cross-entropy ${r.crossEntropy.toFixed(3)}`);
}
const one = images.reshape([batch, 3, 64, 64]);
const t0 = performance.now();
noGrad(() => model.caption(model.prepare(encoder.forward(one)), { bos: vocab.bos, eos: vocab.eos, maxLength: 24 }));
console.log(`greedy captions for the ${batch} scenes: ${((performance.now() - t0) / batch).toFixed(1)} ms per scene`);
