import { describe, expect, it } from 'vitest';
import {
  bceWithLogits,
  crossEntropy,
  Adam,
  FormatError,
  Generator,
  initWasm,
  noGrad,
  sampleNext,
  Tensor,
  ValueError,
  decodeSafetensors,
  encodeSafetensors,
  type RecurrentState,
} from '@recurrent/core';
import { WordTokenizer } from '../src/tokenizers/word.js';
import { CharTokenizer } from '../src/tokenizers/char.js';
import { SentimentClassifier } from '../src/models/sentiment-classifier.js';
import { LanguageModel } from '../src/models/language-model.js';
import {
  encodeModelBundle,
  loadModelFromBytes,
  loadSentimentClassifier,
  loadLanguageModel,
} from '../src/models/bundle.js';
import { padSequences } from '../src/padding.js';
import { keptPositions } from '../src/models/truncation.js';
import type { Pooling } from '../src/models/config.js';

const TEXTS = [
  ['a great and wonderful film', 1],
  ['great acting , wonderful story', 1],
  ['a wonderful , moving film', 1],
  ['a terrible and boring film', 0],
  ['boring story , terrible acting', 0],
  ['a dull , terrible mess', 0],
] as const;
const tokenizer = WordTokenizer.fromTexts(TEXTS.map(([t]) => t));

function tiny(
  pooling: Pooling,
  extra: Partial<ConstructorParameters<typeof SentimentClassifier>[1]> = {},
): SentimentClassifier {
  return new SentimentClassifier(
    tokenizer,
    { embeddingDim: 8, hiddenSize: 6, pooling, attentionSize: 5, dropout: 0, embeddingDropout: 0, ...extra },
    { seed: 1 },
  );
}

function trainTiny(model: SentimentClassifier, steps: number): number {
  const opt = new Adam(model.parameters(), { lr: 0.05 });
  const batch = padSequences(TEXTS.map(([t]) => tokenizer.encode(t)));
  const targets = new Tensor(Float32Array.from(TEXTS.map(([, l]) => l)), [TEXTS.length]);
  let loss = 0;
  for (let i = 0; i < steps; i++) {
    const l = bceWithLogits(model.forward(batch), targets);
    loss = l.item();
    l.backward();
    opt.step();
    opt.zeroGrad();
  }
  return loss;
}

describe('SentimentClassifier', () => {
  for (const pooling of ['final', 'max', 'mean', 'maxmean', 'attention'] as const) {
    it(`${pooling} pooling: [B] logits, learns a tiny set, trajectory has one entry per token`, () => {
      const model = tiny(pooling);
      const batch = padSequences(TEXTS.map(([t]) => tokenizer.encode(t)));
      expect(model.forward(batch).shape).toEqual([TEXTS.length]);
      const first = trainTiny(model, 1);
      const last = trainTiny(model, 40);
      expect(last).toBeLessThan(first * 0.5);
      const p = model.predict('a great , wonderful film');
      expect(p.label).toBe('positive');
      expect(p.tokens).toEqual(['a', 'great', ',', 'wonderful', 'film']);
      expect(p.trajectory).toHaveLength(p.tokens.length);
      expect(p.trajectory.at(-1)).toBeCloseTo(p.probability, 6);
      expect(model.predict('a terrible , boring mess').label).toBe('negative');
    });
  }

  it('GRU and unidirectional stacks work too; a 2-layer GRU has PyTorch parameter names', () => {
    const model = tiny('final', { cell: 'gru', bidirectional: false, numLayers: 2 });
    expect(Object.keys(model.stateDict())).toEqual([
      'embedding.weight',
      'rnn.weight_ih_l0',
      'rnn.weight_hh_l0',
      'rnn.bias_ih_l0',
      'rnn.bias_hh_l0',
      'rnn.weight_ih_l1',
      'rnn.weight_hh_l1',
      'rnn.bias_ih_l1',
      'rnn.bias_hh_l1',
      'head.weight',
      'head.bias',
    ]);
    expect(trainTiny(model, 40)).toBeLessThan(0.3);
  });

  it('the prefix trajectory of a unidirectional final-state model equals a per-prefix predict', () => {
    const model = tiny('final', { bidirectional: false });
    trainTiny(model, 10);
    const p = model.predict('great acting , terrible story');
    p.tokens.forEach((_, i) => {
      expect(p.trajectory[i]).toBeCloseTo(model.predict(p.tokens.slice(0, i + 1).join(' ')).probability, 6);
    });
  });

  it('reports unknown words, truncates to maxTokens and rejects empty text', () => {
    const model = tiny('max', { maxTokens: 4, truncation: 'head-tail' });
    const p = model.predict('a great zebra film with popcorn');
    expect(p.unknown).toEqual(['zebra', 'with', 'popcorn']);
    expect(p.truncated).toBe(true);
    expect(p.tokens).toEqual(['a', 'great', 'with', 'popcorn']);
    expect(model.predict('great film').truncated).toBe(false);
    expect(() => model.predict('   ')).toThrow(ValueError);
    expect(keptPositions(7, 4, 'head')).toEqual([0, 1, 2, 3]);
    expect(keptPositions(7, 5, 'head-tail')).toEqual([0, 1, 2, 5, 6]);
  });

  it('rejects a tokenizer/architecture mismatch and a tokenizer without padding', () => {
    expect(() => new SentimentClassifier(tokenizer, { vocabSize: 3 })).toThrow(/vocabSize 3/);
    expect(() => new SentimentClassifier(CharTokenizer.fromText('abc'))).toThrow(/padding id/);
    expect(() => new SentimentClassifier(tokenizer, { pooling: 'median' as Pooling })).toThrow(
      /pooling must be one of/,
    );
  });
});

describe('LanguageModel', () => {
  it('generate (stepping through LstmSession) draws exactly what the per-token forward pass draws', async () => {
    await initWasm();
    const text = `${Array.from({ length: 72 }, (_, i) => String.fromCharCode(40 + i)).join('')}\n`;
    const chars = CharTokenizer.fromText(text);
    const lm = new LanguageModel(
      chars,
      { embeddingDim: 32, hiddenSize: 64, numLayers: 2, dropout: 0, startIds: [chars.tokenToId('\n')!] },
      { seed: 4 },
    );
    lm.eval();
    const prefix = 'ABC';
    const got = lm.generate(prefix, { length: 40, seed: 9, temperature: 0.9 }).ids;
    const want = noGrad(() => {
      const sampling = { temperature: 0.9, generator: new Generator(9) };
      const all = [...lm.architecture.startIds, ...chars.encode(prefix)];
      let out = lm.forward(all, 1, all.length);
      let state: RecurrentState = out.state;
      const V = lm.architecture.vocabSize;
      let logits = Float64Array.from(out.logits.data.subarray((all.length - 1) * V));
      const ids: number[] = [];
      for (let i = 0; i < 40; i++) {
        const next = sampleNext(logits, sampling);
        ids.push(next);
        out = lm.forward([next], 1, 1, state);
        state = out.state;
        logits = Float64Array.from(out.logits.data);
      }
      return ids;
    });
    expect(got).toEqual(want);
  });

  const text = 'abcabcabcabcabcabcabcabc\n'.repeat(8);
  const chars = CharTokenizer.fromText(text);
  const make = (): LanguageModel =>
    new LanguageModel(
      chars,
      { embeddingDim: 8, hiddenSize: 16, numLayers: 1, dropout: 0, startIds: [chars.tokenToId('\n')!] },
      { seed: 2 },
    );

  function fit(model: LanguageModel): void {
    const ids = chars.encode(text);
    const opt = new Adam(model.parameters(), { lr: 0.05 });
    const T = ids.length - 1;
    for (let i = 0; i < 60; i++) {
      const { logits } = model.forward(ids.slice(0, T), 1, T);
      const V = chars.vocabSize;
      const loss = crossEntropy(logits.reshape([T, V]), ids.slice(1));
      loss.backward();
      opt.step();
      opt.zeroGrad();
    }
  }

  it('learns a repeating pattern: top-k, generation, perplexity, unknown characters dropped', () => {
    const model = make();
    const before = model.perplexity('abcabc').perplexity;
    fit(model);
    const after = model.perplexity('abcabc');
    expect(after.tokens).toBe(6);
    expect(after.perplexity).toBeLessThan(before / 2);
    expect(model.topK('abcab', 2)[0]!.token).toBe('c');
    const dist = model.nextTokenDistribution('ab');
    expect(dist.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    const g = model.generate('a', { length: 9, temperature: 0.1, seed: 3 });
    expect(g.text).toBe('bcabcabca');
    expect(model.generate('a', { length: 20, seed: 5 })).toEqual(model.generate('a', { length: 20, seed: 5 }));
    expect(model.generate('ab', { length: 5, topK: 1 }).text).toBe('cabca');
    const withUnknown = model.nextTokenDistribution('abXca');
    expect(withUnknown.unknown).toEqual(['X']);
    expect(withUnknown.tokens).toEqual(['a', 'b', 'c', 'a']);
    expect(() => model.topK('a', 0)).toThrow(ValueError);
  });

  it('save/load round trip keeps predictions; malformed bundles throw FormatError naming the file', () => {
    const model = make();
    fit(model);
    const bundle = encodeModelBundle(model, { metrics: { perplexity: 1 } });
    const loaded = loadLanguageModel(bundle.weights, bundle.tokenizer, bundle.config);
    expect(Array.from(loaded.nextTokenDistribution('abc').probabilities)).toEqual(
      Array.from(model.nextTokenDistribution('abc').probabilities),
    );
    expect(() => loadSentimentClassifier(bundle.weights, bundle.tokenizer, bundle.config)).toThrow(
      /not a sentiment classifier/,
    );
    // A Node Buffer at an odd offset inside a larger allocation (what readFileSync may return) loads too.
    const buffer = Buffer.concat([Buffer.alloc(3), Buffer.from(bundle.weights)]).subarray(3);
    expect(loadLanguageModel(buffer, bundle.tokenizer, bundle.config).stateDict()['head.bias']!.data).toEqual(
      model.stateDict()['head.bias']!.data,
    );
    expect(
      loadLanguageModel(bundle.weights.slice().buffer, JSON.parse(bundle.tokenizer), JSON.parse(bundle.config)),
    ).toBeInstanceOf(LanguageModel);

    const cfg = JSON.parse(bundle.config);
    expect(() => loadModelFromBytes(bundle.weights, bundle.tokenizer, '{')).toThrow(/^config\.json: not valid JSON/);
    expect(() =>
      loadModelFromBytes(bundle.weights, bundle.tokenizer, {
        ...cfg,
        architecture: { ...cfg.architecture, hiddenSize: 8 },
      }),
    ).toThrow(/^model\.safetensors: .*expected shape/);
    expect(() =>
      loadModelFromBytes(bundle.weights, bundle.tokenizer, {
        ...cfg,
        architecture: { ...cfg.architecture, cell: 'tcn' },
      }),
    ).toThrow(/^config\.json: architecture\.cell/);
    expect(() => loadModelFromBytes(bundle.weights, bundle.tokenizer, { ...cfg, kind: 'cnn' })).toThrow(
      /^config\.json: "kind"/,
    );
    const load = (config: object) => () => loadModelFromBytes(bundle.weights, bundle.tokenizer, config);
    expect(load({ ...cfg, kind: 'cnn' })).toThrow(
      /registered: sentiment, language-model, translator \(@recurrent\/text\)/,
    );
    expect(load({ ...cfg, kind: 'melody', package: '@recurrent/music' })).toThrow(/import '@recurrent\/music'/);
    expect(cfg.package).toBe('@recurrent/text');
    const { package: _, ...withoutPackage } = cfg; // configs saved before the package was recorded still load
    expect(loadModelFromBytes(bundle.weights, bundle.tokenizer, withoutPackage) instanceof LanguageModel).toBe(true);
    expect(() => loadModelFromBytes(bundle.weights, '{"format":"x"}', bundle.config)).toThrow(/^tokenizer\.json: /);
    expect(() => loadModelFromBytes(bundle.weights.slice(0, 20), bundle.tokenizer, bundle.config)).toThrow(
      /^model\.safetensors: /,
    );
    const { tensors } = decodeSafetensors(bundle.weights);
    delete tensors['head.bias'];
    expect(() => loadModelFromBytes(encodeSafetensors(tensors), bundle.tokenizer, bundle.config)).toThrow(
      /^model\.safetensors: .*missing key 'head\.bias'/,
    );
    const nan = decodeSafetensors(bundle.weights).tensors;
    nan['head.bias']!.data[0] = Number.NaN;
    expect(() => loadModelFromBytes(encodeSafetensors(nan), bundle.tokenizer, bundle.config)).toThrow(FormatError);
  });
});

describe('bundles', () => {
  it('a sentiment model round-trips with identical predictions and trajectory', () => {
    const model = tiny('attention');
    trainTiny(model, 10);
    const b = encodeModelBundle(model, { training: { seed: 1 } });
    const loaded = loadSentimentClassifier(b.weights, b.tokenizer, b.config);
    expect(loaded.predict('a wonderful mess')).toEqual(model.predict('a wonderful mess'));
    expect(JSON.parse(b.config).training).toEqual({ seed: 1 });
  });
});
