// The tfjs peer of the translation workloads must be the same model as @recurrent/text's Translator, or the bench
// compares different work: same loss and gradients at the same weights, same greedy and beam tokens.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initWasm } from '@recurrent/core';
import { learnJointBpe, outputLengthLimit, translationLoss, Translator } from '@recurrent/text';
import { tfjsInputs } from '../src/translation-setup.js';
import { useTfBackend } from '../src/impls/tfjs.js';
import { TRANSPOSING_MATMUL_GRADIENT, useTransposingMatMulGradient } from '../src/impls/tfjs-matmul-gradient.js';
import {
  TfTranslatorDecoder,
  tfTranslatorParams,
  tfTranslatorVariables,
  translationLossTf,
} from '../src/impls/tfjs-translator.js';

const PAIRS = [
  ['Ein Mann mit einem orangefarbenen Hut.', 'A man in an orange hat.'],
  ['Ein Boston Terrier läuft über grünes Gras.', 'A Boston Terrier is running on green grass.'],
  ['Ein Mädchen in einem Karateanzug bricht ein Brett.', 'A girl in karate uniform breaking a board.'],
  ['Fünf Leute in Winterjacken und mit Helmen stehen im Schnee.', 'Five people wearing winter jackets stand in snow.'],
  ['Leute reparieren das Dach eines Hauses.', 'People are fixing the roof of a house.'],
  ['Ein Hund rennt im Schnee.', 'A dog runs in the snow.'],
];

describe.each(['luong', 'bahdanau'] as const)(
  'tfjs translator (the bench peer) = @recurrent/text Translator, %s decoder',
  (decoderStyle) => {
    let model: Translator;
    let decoder: TfTranslatorDecoder;
    beforeAll(async () => {
      await initWasm();
      await useTfBackend('wasm');
      const tok = learnJointBpe(PAIRS.flat(), { vocabSize: 90 });
      // the shipped family (BiGRU encoder, GRU decoder, additive attention, context or h̃ fed back) at a small size
      model = new Translator(
        tok,
        { embeddingDim: 12, encoderHidden: 10, decoderHidden: 16, attentionSize: 14, dropout: 0.3, decoderStyle },
        { seed: 5 },
      );
      const { weights, spec } = tfjsInputs(model);
      decoder = new TfTranslatorDecoder(tfTranslatorParams(weights), spec);
    });

    const sameLossAndGradients = (): void => {
      const tok = model.tokenizer;
      const batch = PAIRS.map(([s, t]) => ({ src: tok.encode(s!), tgt: tok.encode(t!) }));
      expect(new Set(batch.map((e) => e.src.length)).size).toBeGreaterThan(1); // padding on both sides
      model.eval();
      model.zeroGrad();
      const ours = translationLoss(model, batch, { labelSmoothing: 0.1 }).loss;
      ours.backward();
      const { weights, spec } = tfjsInputs(model);
      const params = tfTranslatorParams(weights);
      const { value, grads } = tf.variableGrads(
        () => translationLossTf(params, spec, batch, { training: false, labelSmoothing: 0.1 }),
        tfTranslatorVariables(params),
      );
      expect(value.dataSync()[0]).toBeCloseTo(ours.item(), 4);
      // PyTorch [out, in] gradients against tfjs' [in, out] ones
      const named = [...model.namedParameters()];
      const check = (name: string, variable: tf.Variable, transposed: boolean) => {
        const g = grads[variable.name];
        const p = named.find(([n]) => n === name)?.[1];
        if (!g || !p?.grad) throw new Error(`no gradient for ${name}`);
        const theirs = (transposed ? tf.transpose(g) : g).dataSync();
        const mine = p.grad.data;
        let scale = 0;
        for (let i = 0; i < mine.length; i++) scale = Math.max(scale, Math.abs(mine[i]!));
        expect(scale).toBeGreaterThan(0);
        for (let i = 0; i < mine.length; i++) expect(Math.abs(theirs[i]! - mine[i]!)).toBeLessThan(1e-4 * scale + 1e-6);
      };
      check('src_embedding.weight', params.srcEmb, false);
      check('encoder.weight_hh_l0_reverse', params.encBwd.wh, true);
      check('bridge.weight', params.bridgeW, true);
      check('decoder.cells.0.weight_ih', params.dec.wx, true);
      check('decoder.attention.key_proj.weight', params.attK, true);
      if (params.combine) check('decoder.combine.weight', params.combine, true);
      expect(params.combine === null).toBe(decoderStyle === 'bahdanau');
      check('decoder.out.weight', params.out, true);
      check('decoder.out.bias', params.outB, false);
    };

    it('gives the same label-smoothed loss and gradients on a padded batch (dropout off)', () => {
      sameLossAndGradients();
    });

    it('with the transposing matmul gradient (the fast W3 peer) the loss and gradients are still the same', () => {
      useTransposingMatMulGradient();
      expect(tf.getGradient('BatchMatMul')).toBe(TRANSPOSING_MATMUL_GRADIENT);
      sameLossAndGradients();
    });

    it('greedy decoding gives the Translator greedy tokens, alone and in a batch (guards off)', () => {
      const tok = model.tokenizer;
      const sources = PAIRS.map(([s]) => s!);
      const ours = model.translateBatch(sources, { method: 'greedy', noRepeatNgram: 0, copyNumbers: false });
      const ids = sources.map((s) => tok.encode(s));
      const batched = decoder.greedy(ids, { maxLengths: ids.map((r) => outputLengthLimit(r.length)) });
      expect(ours.some((r) => r.ids.length > 3)).toBe(true);
      ours.forEach((r, i) => {
        expect(batched[i]).toEqual(r.ids);
        expect(decoder.greedy([ids[i]!], { maxLengths: [outputLengthLimit(ids[i]!.length)] })[0]).toEqual(r.ids);
      });
    });

    it('beam search (K 5, α 0.6) gives the Translator beam tokens (guards off)', () => {
      const tok = model.tokenizer;
      for (const [s] of PAIRS) {
        const ours = model.translate(s!, { beamSize: 5, alpha: 0.6, noRepeatNgram: 0, copyNumbers: false });
        const ids = tok.encode(s!);
        expect(decoder.beam(ids, { beamSize: 5, alpha: 0.6, maxLength: outputLengthLimit(ids.length) })).toEqual(
          ours.ids,
        );
      }
    });
  },
);
