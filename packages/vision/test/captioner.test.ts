import { describe, expect, it } from 'vitest';
import { Adam, Generator, type Tensor, cat, gradcheck, manualSeed, mul, randn } from '@recurrent/core';
import {
  Captioner,
  SceneEncoder,
  imageToTensor,
  sceneCaptionVocabulary,
  sceneSplit,
  type Scene,
} from '../src/index.js';

const vocab = sceneCaptionVocabulary();

function sceneBatch(scenes: Scene[]): Tensor {
  return cat(
    scenes.map((s) => imageToTensor({ data: s.rgba, width: s.size, height: s.size }, { size: s.size })),
    0,
  );
}

/** Float64 gradient check of a tiny captioner's loss w.r.t. a random 2 × 2 grid (two captions, one padded). */
function lossGradcheck(o: { seed: number; attentionPenalty: number; deepOutput?: boolean }) {
  const g = new Generator(o.seed);
  const model = new Captioner({
    vocabSize: 9,
    featureDim: 3,
    embDim: 2,
    hiddenSize: 4,
    attentionDim: 3,
    deepOutput: o.deepOutput ?? false,
    dtype: 'float64',
    generator: g,
  });
  const grid = randn([2, 3, 2, 2], { dtype: 'float64', requiresGrad: true, generator: g });
  const inputs = [
    [1, 4, 5],
    [1, 6, 0],
  ];
  const targets = [
    [4, 5, 2],
    [6, 2, 0],
  ];
  return gradcheck(
    (x) => model.loss(model.prepare(x!), inputs, targets, { padId: 0, attentionPenalty: o.attentionPenalty }).loss,
    [grid],
  );
}

describe('Captioner', () => {
  it('names its weights as the PyTorch module would', () => {
    const model = new Captioner({ vocabSize: vocab.size, featureDim: 6, embDim: 4, hiddenSize: 5, conditionDim: 3 });
    expect(Object.keys(model.stateDict()).sort()).toEqual([
      'attention.key_proj.bias',
      'attention.key_proj.weight',
      'attention.query_proj.weight',
      'attention.v.weight',
      'embedding.weight',
      'f_beta.bias',
      'f_beta.weight',
      'fc.bias',
      'fc.weight',
      'init_c.bias',
      'init_c.weight',
      'init_h.bias',
      'init_h.weight',
      'lstm_cell.bias_hh',
      'lstm_cell.bias_ih',
      'lstm_cell.weight_hh',
      'lstm_cell.weight_ih',
    ]);
    expect(model.lstmCell.weightIH.shape).toEqual([20, 4 + 6]);
    expect(model.initH.weight.shape).toEqual([5, 6 + 3]);
  });

  it('passes a float64 gradient check of the loss (cross-entropy + doubly stochastic term) w.r.t. the grid', () => {
    const r = lossGradcheck({ seed: 3, attentionPenalty: 0.7 });
    expect(r.ok, JSON.stringify(r.worst)).toBe(true);
  });

  it('overfits six scenes in 150 Adam steps, then greedy decoding reproduces their captions', () => {
    manualSeed(0);
    const g = new Generator(11);
    const scenes = sceneSplit('train', 6, { seed: 5, size: 32, maxObjects: 2 });
    const images = sceneBatch(scenes);
    const encoder = new SceneEncoder({ channels: [8, 16, 16], generator: g });
    const model = new Captioner({
      vocabSize: vocab.size,
      featureDim: encoder.outChannels,
      embDim: 16,
      hiddenSize: 32,
      generator: g,
    });
    const { inputs, targets } = vocab.teacherForcing(scenes.map((s) => s.caption.tokens));
    const optimizer = new Adam([...encoder.parameters(), ...model.parameters()], { lr: 0.02 });
    const losses: number[] = [];
    for (let step = 0; step < 150; step++) {
      const r = model.loss(model.prepare(encoder.forward(images)), inputs, targets, {
        padId: vocab.pad,
        attentionPenalty: 0.01,
      });
      r.loss.backward();
      optimizer.step();
      optimizer.zeroGrad();
      losses.push(r.crossEntropy);
    }
    expect(losses[losses.length - 1]!).toBeLessThan(0.02 * losses[0]!);
    model.eval();
    const memory = model.prepare(encoder.forward(images));
    const greedy = model.caption(memory, { bos: vocab.bos, eos: vocab.eos, maxLength: 12 });
    const beam = model.caption(memory, { bos: vocab.bos, eos: vocab.eos, maxLength: 12, beamSize: 3, nBest: 2 });
    scenes.forEach((scene, i) => {
      const best = greedy[i]![0]!;
      expect(vocab.decode(best.tokens).join(' ')).toBe(scene.caption.text);
      // Beam search finds a caption at least as probable as greedy's; its n-best come best first.
      const [first, second] = beam[i]!;
      expect(first!.logProb).toBeGreaterThanOrEqual(best.logProb - 1e-6);
      expect(first!.score).toBeGreaterThanOrEqual(second!.score);
      expect(vocab.decode(first!.tokens).join(' ')).toBe(scene.caption.text);
      // One probability and one attention map (over the 8×8 grid, summing to 1) per word and the <eos>.
      expect(best.finished).toBe(true);
      expect(best.probabilities).toHaveLength(best.tokens.length + 1);
      expect(best.attention).toHaveLength(best.tokens.length + 1);
      expect(best.grid).toEqual([8, 8]);
      for (const map of best.attention) {
        expect(map.length).toBe(64);
        expect(map.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      }
      const logProb = best.probabilities.reduce((a, p) => a + Math.log(p), 0);
      expect(logProb).toBeCloseTo(best.logProb, 4);
    });
  });

  it('rejects a grid of the wrong width and a missing condition', () => {
    const model = new Captioner({ vocabSize: 9, featureDim: 3, embDim: 2, hiddenSize: 4, conditionDim: 2 });
    expect(() => model.prepare(randn([1, 4, 2, 2]), randn([1, 2]))).toThrow(
      /feature grid must be \[B, 3, h, w\], got \[1,4,2,2\]/,
    );
    expect(() => model.prepare(randn([1, 3, 2, 2]))).toThrow(/condition must be \[1, 2\], got none/);
  });
});

describe('SceneEncoder featureNorm', () => {
  it('layer-normalises each grid cell over the channels (nn.LayerNorm channels-last), coordinates after it', () => {
    const scenes = sceneSplit('train', 2, { seed: 3, size: 32 });
    const g = new Generator(4);
    const encoder = new SceneEncoder({ channels: [8, 16], featureNorm: true, generator: g });
    expect(Object.keys(encoder.stateDict()).sort()).toEqual([
      'conv1.bias',
      'conv1.weight',
      'conv2.bias',
      'conv2.weight',
      'norm.bias',
      'norm.weight',
    ]);
    const grid = encoder.forward(sceneBatch(scenes));
    const [B, D, h, w] = grid.shape as [number, number, number, number];
    expect(D).toBe(18);
    for (let b = 0; b < B; b++) {
      for (let cell = 0; cell < h * w; cell++) {
        const values = Array.from({ length: 16 }, (_, c) => grid.data[(b * D + c) * h * w + cell]!);
        const mean = values.reduce((a, v) => a + v, 0) / 16;
        const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / 16;
        expect(Math.abs(mean)).toBeLessThan(1e-5);
        // var / (var + eps): 1 for a busy cell, less for a near-uniform one (plain background), never above 1
        expect(variance).toBeLessThan(1 + 1e-5);
        if (variance > 1e-6) expect(variance).toBeGreaterThan(0.9);
      }
    }
    // the coordinate channels are untouched: x of the first cell centre
    expect(grid.data[(0 * D + 16) * h * w]).toBeCloseTo(1 / w - 1, 6);
  });

  it('passes a float64 gradient check through the normalisation', () => {
    const g = new Generator(9);
    const encoder = new SceneEncoder({ channels: [3, 4], featureNorm: true, dtype: 'float64', generator: g });
    const x = randn([1, 3, 4, 4], { dtype: 'float64', generator: g, requiresGrad: true });
    // weighted: the plain sum of a normalised cell is a constant (its mean is 0)
    const weights = randn([1, 6, 2, 2], { dtype: 'float64', generator: g });
    const r = gradcheck((input) => mul(encoder.forward(input!), weights).sum(), [x]);
    expect(r.ok, JSON.stringify(r.worst)).toBe(true);
  });
});

describe('Captioner deepOutput (Xu et al. eq. 7)', () => {
  it('adds deep_h and deep_z, and fc reads the embedding width', () => {
    const model = new Captioner({ vocabSize: 11, featureDim: 6, embDim: 4, hiddenSize: 5, deepOutput: true });
    const shapes = Object.fromEntries(Object.entries(model.stateDict()).map(([k, t]) => [k, t.shape]));
    expect(shapes['deep_h.weight']).toEqual([4, 5]);
    expect(shapes['deep_h.bias']).toEqual([4]);
    expect(shapes['deep_z.weight']).toEqual([4, 6]);
    expect(shapes['deep_z.bias']).toBeUndefined();
    expect(shapes['fc.weight']).toEqual([11, 4]);
  });

  it('passes a float64 gradient check of the loss w.r.t. the grid', () => {
    const r = lossGradcheck({ seed: 5, attentionPenalty: 0.3, deepOutput: true });
    expect(r.ok, JSON.stringify(r.worst)).toBe(true);
  });
});

describe('Captioner forbidden tokens', () => {
  it('never chooses a forbidden id in greedy or beam search; the probabilities stay the model’s', () => {
    const g = new Generator(8);
    const model = new Captioner({ vocabSize: 7, featureDim: 3, embDim: 4, hiddenSize: 5, generator: g });
    const bias = model.fc.bias;
    if (!bias) throw new Error('fc has a bias');
    bias.data.fill(0);
    bias.data[3] = 6; // <unk> far ahead of every other word
    bias.data[2] = 3; // then <eos>
    const memory = model.prepare(randn([1, 3, 2, 2], { generator: g }));
    const options = { bos: 1, eos: 2, maxLength: 5 };
    const free = model.caption(memory, options)[0]?.[0];
    expect(free?.tokens).toContain(3);
    for (const beamSize of [1, 3]) {
      const [best] = model.caption(memory, { ...options, beamSize, forbidden: [3] })[0] ?? [];
      expect(best?.tokens).not.toContain(3);
      expect(best?.finished).toBe(true);
      // <eos> is reported with the model's probability (<unk> still takes most of the mass)
      expect(best?.probabilities.at(-1)).toBeLessThan(0.2);
    }
    expect(() => model.caption(memory, { ...options, forbidden: [2] })).toThrow(/forbidden ids must be token ids/);
    expect(() => model.caption(memory, { ...options, forbidden: [7] })).toThrow(/got 7/);
  });
});
