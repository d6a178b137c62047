// Our side of a training-trajectory check against PyTorch on the real task: the shipped de-en tokenizer, epoch 0's
// batches, a Translator of the training default (dropout off, so both sides compute the same function) trained for
// N Adam steps with clip 1 and label smoothing 0.1. Writes to <dir>: arch.json, batches.json (the first N batches),
// init.safetensors (the initial weights) and ours.json (the loss and gradient norm of every step). Then
// scripts/translation_trajectory.py trains PyTorch's module from the same weights on the same batches and compares.
//   pnpm --filter @recurrent/text exec tsx --conditions=@recurrent/source \
//     scripts/translation-trajectory.ts /tmp/traj 20
//   /usr/bin/python3 packages/text/scripts/translation_trajectory.py /tmp/traj
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Adam, clipGradNorm, epochGenerator } from '@recurrent/core';
import { saveSafetensorsFile } from '@recurrent/core/node';
import { Translator } from '../src/translation/translator.js';
import { translationBatches, translationLoss } from '../src/translation/loss.js';
import { readMulti30k } from '../src/translation/multi30k.js';
import { encodePairs, loadJointBpe } from '../src/training/translation-trainer.js';
import { DEFAULT_TRANSLATOR_ARCHITECTURE } from '../src/translation/architecture.js';

const dir = process.argv[2] ?? '/tmp/translation-trajectory';
const steps = Number(process.argv[3] ?? 20);
mkdirSync(dir, { recursive: true });
const tok = loadJointBpe('models/multi30k-de-en/tokenizer.json');
const train = encodePairs(tok, readMulti30k('train', 'de-en'));
const batches = translationBatches(train, { batchSize: 64, generator: epochGenerator(1234, 0), poolBatches: 50 });
const arch = { ...DEFAULT_TRANSLATOR_ARCHITECTURE, vocabSize: tok.vocabSize, dropout: 0 };
const model = new Translator(tok, arch, { seed: 1234 });
writeFileSync(join(dir, 'arch.json'), JSON.stringify(arch));
writeFileSync(join(dir, 'batches.json'), JSON.stringify(batches.slice(0, steps)));
saveSafetensorsFile(join(dir, 'init.safetensors'), model.stateDict());
const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
model.train();
const record: { loss: number; norm: number }[] = [];
for (const batch of batches.slice(0, steps)) {
  const { loss } = translationLoss(model, batch, { labelSmoothing: 0.1 });
  const value = loss.item();
  loss.backward();
  const norm = clipGradNorm(model, 1);
  optimizer.step();
  optimizer.zeroGrad();
  record.push({ loss: value, norm });
  console.log(`step ${record.length} loss ${value.toFixed(6)} grad norm ${norm.toFixed(4)}`);
}
writeFileSync(join(dir, 'ours.json'), JSON.stringify(record));
