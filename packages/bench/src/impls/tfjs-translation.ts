// The tfjs peer of the translation workloads: the same translator (tfjs-translator.ts) with the same weights, the
// same batches and sentences as @recurrent/text's side, on tfjs' wasm backend.
import * as tf from '@tensorflow/tfjs';
import { outputLengthLimit } from '@recurrent/text';
import type { Runner } from '../types.js';
import { W7 } from '../types.js';
import {
  freshTrainingModel,
  latencySentence,
  tfjsInputs,
  trainingBatches,
  translationSetup,
  validationSources,
} from '../translation-setup.js';
import { applyGradients, clipByGlobalNorm, useTfBackend, type TfBackend } from './tfjs.js';
import { useTransposingMatMulGradient } from './tfjs-matmul-gradient.js';
import {
  TfTranslatorDecoder,
  tfTranslatorParams,
  tfTranslatorVariables,
  translationLossTf,
} from './tfjs-translator.js';

/**
 * W3 in tfjs: the same initial weights and batches as ours, the same loss (label-smoothed cross-entropy over the real
 * target tokens, dropout on), tf.variableGrads, clip by global norm and Adam (PyTorch's β and ε); ms/step.
 * `transposing`: with tfjs' matmul gradient re-registered with explicit transposes (tfjs-matmul-gradient.ts).
 */
export async function w3Tfjs(backend: TfBackend, matMulGradient: 'stock' | 'transposing' = 'stock'): Promise<Runner> {
  await useTfBackend(backend);
  if (matMulGradient === 'transposing') useTransposingMatMulGradient();
  const setup = translationSetup();
  const { config } = setup;
  const { weights, spec } = tfjsInputs(freshTrainingModel(setup));
  const params = tfTranslatorParams(weights);
  const variables = tfTranslatorVariables(params);
  const optimizer = tf.train.adam(config.lr, 0.9, 0.999, 1e-8);
  const batches = trainingBatches(setup);
  let next = 0;
  return {
    notes: [
      `tfjs-${backend}: the same initial weights and batches as ours` +
        (matMulGradient === 'transposing' ? '; BatchMatMul gradient with explicit transposes' : ''),
    ],
    run() {
      const batch = batches[next++ % batches.length]!;
      const t0 = performance.now();
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(
          () => translationLossTf(params, spec, batch, { training: true, labelSmoothing: config.labelSmoothing }),
          variables,
        );
        applyGradients(optimizer, clipByGlobalNorm(grads, config.clip));
        value.dataSync();
      });
      return performance.now() - t0;
    },
  };
}

function tfjsDecoder() {
  const setup = translationSetup();
  const { weights, spec } = tfjsInputs(setup.model);
  const decoder = new TfTranslatorDecoder(tfTranslatorParams(weights), spec);
  return { setup, decoder };
}

const sameTokens = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * W7a / W7b in tfjs: tokenize with the model's BPE, decode with the tfjs translator (greedy, or beam search with the
 * same K, α and length rule), detokenize; ms per sentence. At creation it checks that its tokens equal the
 * Translator's for the same search without the n-gram and number guards (which tfjs does not have), and says so.
 */
export async function w7LatencyTfjs(backend: TfBackend, method: 'greedy' | 'beam'): Promise<Runner> {
  await useTfBackend(backend);
  const { setup, decoder } = tfjsDecoder();
  const tok = setup.model.tokenizer;
  const sentence = latencySentence(setup);
  const translate = (): number[] => {
    const ids = tok.encode(sentence);
    const maxLength = outputLengthLimit(ids.length);
    const out =
      method === 'greedy'
        ? decoder.greedy([ids], { maxLengths: [maxLength] })[0]!
        : decoder.beam(ids, { beamSize: W7.beamSize, alpha: W7.alpha, maxLength });
    tok.decode(out);
    return out;
  };
  const search = method === 'greedy' ? { method } : { method, beamSize: W7.beamSize, alpha: W7.alpha };
  const ours = setup.model.translate(sentence, { ...search, noRepeatNgram: 0, copyNumbers: false });
  const oursDefault = setup.model.translate(sentence, search);
  const mine = translate();
  const same = sameTokens(mine, ours.ids);
  if (!same) {
    throw new Error(
      `tfjs ${method} tokens differ from the Translator's: tfjs "${tok.decode(mine).trim()}" [${mine.join(' ')}], ` +
        `ours "${ours.text}" [${ours.ids.join(' ')}]`,
    );
  }
  return {
    notes: [
      `tfjs-${backend} ${method}: "${tok.decode(mine).trim()}" — the same ${mine.length} tokens as ` +
        `Translator.translate without the guards (${sameTokens(mine, oursDefault.ids) ? 'and' : 'not'} with them)`,
    ],
    run() {
      const t0 = performance.now();
      translate();
      return performance.now() - t0;
    },
  };
}

/** W7c in tfjs: the same validation sentences, batched greedy decoding; sentences per second. */
export async function w7BatchTfjs(backend: TfBackend): Promise<Runner> {
  await useTfBackend(backend);
  const { setup, decoder } = tfjsDecoder();
  const tok = setup.model.tokenizer;
  const sources = validationSources(setup, W7.batch);
  const translate = (): number[][] => {
    const ids = sources.map((s) => tok.encode(s));
    const out = decoder.greedy(ids, { maxLengths: ids.map((r) => outputLengthLimit(r.length)) });
    for (const o of out) tok.decode(o);
    return out;
  };
  const ours = setup.model.translateBatch(sources, { method: 'greedy', noRepeatNgram: 0, copyNumbers: false });
  const mine = translate();
  const same = mine.filter((m, i) => sameTokens(m, ours[i]!.ids)).length;
  return {
    notes: [
      `tfjs-${backend} batched greedy: ${same} of ${sources.length} translations token for token the Translator's ` +
        '(guards off)',
    ],
    run() {
      const t0 = performance.now();
      translate();
      return sources.length / ((performance.now() - t0) / 1000);
    },
  };
}
