// One epoch (454 steps) of de→en from the same seed, to compare vocabularies and decoder styles by validation BLEU
// (greedy, all 1,014 val sentences, at half and at the end of the epoch). Adam 1e-3, clip 1, dropout 0.3, batch 64,
// the training's length-pooled batches of epoch 0; no label smoothing, as the PyTorch anchor mt_S. The figures in the
// README's "The gap to mt_S" were printed by:
//   RECURRENT_THREADS=1 pnpm --filter @recurrent/text exec tsx --conditions=@recurrent/source \
//     scripts/translation-epoch-ablation.ts <bpe|word> <luong|bahdanau>
// bpe: the shipped de-en model's 8,000-piece joint BPE (models/multi30k-de-en/tokenizer.json at the commit that added
// this script); word: one lowercased joint word vocabulary of every word seen twice (13,641 words).
import { Adam, clipGradNorm, epochGenerator } from '@recurrent/core';
import { WordTokenizer } from '../src/tokenizers/word.js';
import { Translator, type TranslationTokenizer } from '../src/translation/translator.js';
import { translationBatches, translationLoss } from '../src/translation/loss.js';
import { readMulti30k } from '../src/translation/multi30k.js';
import { encodePairs, evaluateTranslator, loadJointBpe } from '../src/training/translation-trainer.js';
import { DEFAULT_TRANSLATOR_ARCHITECTURE, TRANSLATOR_DECODER_STYLES } from '../src/translation/architecture.js';

const [kind = 'bpe', style = 'bahdanau'] = process.argv.slice(2);
const decoderStyle = TRANSLATOR_DECODER_STYLES.find((s) => s === style);
if (!decoderStyle || (kind !== 'bpe' && kind !== 'word')) {
  console.error('usage: translation-epoch-ablation.ts <bpe|word> <luong|bahdanau>');
  process.exit(2);
}
const pairs = readMulti30k('train', 'de-en');
let tok: TranslationTokenizer;
if (kind === 'word') {
  tok = WordTokenizer.fromTexts(
    pairs.flatMap((p) => [p.source, p.target]),
    { lowercase: true, minFreq: 2 },
  );
} else {
  tok = loadJointBpe('models/multi30k-de-en/tokenizer.json');
}
const train = encodePairs(tok, pairs);
const val = readMulti30k('val', 'de-en');
const batches = translationBatches(train, { batchSize: 64, generator: epochGenerator(1234, 0), poolBatches: 50 });
const arch = { ...DEFAULT_TRANSLATOR_ARCHITECTURE, vocabSize: tok.vocabSize, dropout: 0.3, decoderStyle };
const model = new Translator(tok, arch, { seed: 1234 });
console.log(`${kind} vocabulary ${tok.vocabSize}, ${decoderStyle} decoder, ${model.numParameters()} parameters`);
const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
const t0 = performance.now();
for (let s = 0; s < batches.length; s++) {
  model.train();
  const { loss } = translationLoss(model, batches[s] ?? [], { labelSmoothing: 0 });
  const value = loss.item();
  loss.backward();
  clipGradNorm(model, 1);
  optimizer.step();
  optimizer.zeroGrad();
  const seconds = ((performance.now() - t0) / 1000).toFixed(0);
  if ((s + 1) % 50 === 0) console.log(`step ${s + 1} loss ${value.toFixed(4)} ${seconds} s`);
  if (s + 1 === Math.floor(batches.length / 2) || s + 1 === batches.length) {
    model.eval();
    const r = evaluateTranslator(model, val, { method: 'greedy' });
    console.log(`step ${s + 1} val BLEU ${r.bleu.score.toFixed(2)} chrF ${r.chrf.toFixed(2)}`);
  }
}
