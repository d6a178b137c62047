import { beforeAll, describe, expect, it } from 'vitest';
import { Tensor } from '../src/tensor/tensor.js';
import { Generator } from '../src/random.js';
import { gradcheck } from '../src/autograd/gradcheck.js';
import { noGrad } from '../src/autograd/grad-mode.js';
import { logSoftmax } from '../src/ops/softmax.js';
import { crossEntropy } from '../src/losses/cross-entropy.js';
import { Adam } from '../src/optim/adam.js';
import { clipGradNorm } from '../src/optim/clip-grad-norm.js';
import {
  AttentionDecoder,
  Seq2Seq,
  type AttentionType,
  type CellType,
  type Seq2SeqOptions,
} from '../src/nn/seq2seq.js';
import { ShapeError, ValueError } from '../src/errors.js';

const PAD = 0;
const BOS = 1;
const EOS = 2;

function tiny(cell: CellType, attention: AttentionType, extra: Partial<Seq2SeqOptions> = {}): Seq2Seq {
  return new Seq2Seq({
    srcVocab: 7,
    tgtVocab: 6,
    embDim: 3,
    encoderHidden: 2,
    decoderHidden: 4,
    cell,
    attention,
    dropout: 0,
    padIdx: PAD,
    bosIdx: BOS,
    eosIdx: EOS,
    dtype: 'float64',
    generator: new Generator(1),
    ...extra,
  });
}

const SRC = [
  [3, 4, 5, 6],
  [5, 3, PAD, PAD],
  [6, PAD, PAD, PAD],
];
const SRC_LEN = [4, 2, 1];
const TGT_IN = [
  [BOS, 3, 4],
  [BOS, 5, PAD],
  [BOS, 4, 3],
];

describe('Seq2Seq structure', () => {
  it('names parameters like PyTorch modules', () => {
    const gru = Object.entries(tiny('gru', 'additive').stateDict()).map(([k, t]) => `${k} ${t.shape.join('x')}`);
    expect(gru).toEqual([
      'src_embedding.weight 7x3',
      'encoder.weight_ih_l0 6x3',
      'encoder.weight_hh_l0 6x2',
      'encoder.bias_ih_l0 6',
      'encoder.bias_hh_l0 6',
      'encoder.weight_ih_l0_reverse 6x3',
      'encoder.weight_hh_l0_reverse 6x2',
      'encoder.bias_ih_l0_reverse 6',
      'encoder.bias_hh_l0_reverse 6',
      'bridge.weight 4x4',
      'bridge.bias 4',
      'decoder.embedding.weight 6x3',
      'decoder.cells.0.weight_ih 12x7',
      'decoder.cells.0.weight_hh 12x4',
      'decoder.cells.0.bias_ih 12',
      'decoder.cells.0.bias_hh 12',
      'decoder.attention.query_proj.weight 4x4',
      'decoder.attention.key_proj.weight 4x4',
      'decoder.attention.v.weight 1x4',
      'decoder.combine.weight 4x8',
      'decoder.out.weight 6x4',
      'decoder.out.bias 6',
    ]);
    const lstm = Object.keys(tiny('lstm', 'none', { decoderLayers: 2, bidirectional: false }).stateDict());
    expect(lstm).toContain('bridge_c.weight');
    expect(lstm).toContain('decoder.cells.1.weight_ih');
    expect(lstm.some((k) => k.includes('attention') || k.includes('combine') || k.includes('reverse'))).toBe(false);
    // Without attention nothing is fed back: the first cell sees only the embedding.
    expect(tiny('lstm', 'none').stateDict()['decoder.cells.0.weight_ih']!.shape).toEqual([16, 3]);
  });

  it('rejects bad configurations and inputs', () => {
    expect(() => tiny('gru', 'dot', { decoderHidden: 5 })).toThrow(/'dot' score needs queryDim == keyDim/);
    expect(() => tiny('rnn' as CellType, 'additive')).toThrow(ValueError);
    expect(() => tiny('gru', 'bahdanau' as AttentionType)).toThrow(ValueError);
    expect(() => tiny('gru', 'additive', { eosIdx: 6 })).toThrow(/eosIdx/);
    expect(() => tiny('gru', 'additive', { dropout: 1 })).toThrow(ValueError);
    const m = tiny('gru', 'additive');
    expect(() => m.forward(SRC, [4, 2], TGT_IN)).toThrow(ShapeError);
    expect(() => m.forward([[3, 4], [5]], [2, 1], TGT_IN.slice(0, 2))).toThrow(/row 1 has 1 tokens, expected 2/);
    expect(() => m.forward(SRC, SRC_LEN, TGT_IN.slice(0, 2))).toThrow(/expected 3 rows, got 2/);
    expect(() =>
      m.forward(SRC, SRC_LEN, [
        [BOS, 9],
        [BOS, 3],
        [BOS, 3],
      ]),
    ).toThrow(ValueError);
    expect(() => m.translate([], {})).toThrow(/empty/);
    expect(() => m.translate([3, 4], { method: 'beam', beamSize: 0 })).toThrow(ValueError);
    expect(() => m.translate([3, 4], { method: 'sample', topP: 0 })).toThrow(ValueError);
    expect(() => m.translate([3, 4], { method: 'nucleus' as 'sample' })).toThrow(ValueError);
  });
});

describe('AttentionDecoder teacher forcing', () => {
  const configs: [CellType, AttentionType, number][] = [
    ['gru', 'additive', 1],
    ['lstm', 'general', 2],
    ['gru', 'none', 2],
  ];
  for (const [cell, attention, numLayers] of configs) {
    it(`without input feeding, the fused path equals stepping (${cell}, ${attention}, ${numLayers} layer(s))`, () => {
      const dec = new AttentionDecoder({
        vocabSize: 7,
        embDim: 3,
        hiddenSize: 4,
        memoryDim: 5,
        numLayers,
        cell,
        attention,
        inputFeeding: false,
        dtype: 'float64',
        generator: new Generator(4),
      });
      const g = new Generator(9);
      const memory = dec.prepareMemory(
        new Tensor(
          Float64Array.from({ length: 2 * 3 * 5 }, () => g.normal()),
          [2, 3, 5],
        ),
        [3, 2],
      );
      const start = dec.zeroState(2);
      start.h = start.h.map(
        (h) =>
          new Tensor(
            Float64Array.from(h.data, () => g.normal()),
            h.shape,
          ),
      );
      const tokens = [
        [BOS, 3, 4, 5],
        [BOS, 6, 6, 2],
      ];
      const fused = dec.forward(tokens, memory, start);
      let st = start;
      const logits: number[] = [];
      const weights: number[][] = [[], []];
      for (let t = 0; t < 4; t++) {
        const r = dec.stepEmbedded(dec.embedding.forward([tokens[0]![t]!, tokens[1]![t]!], [2]), memory, st);
        st = r.state;
        const l = dec.out.forward(r.output);
        for (let b = 0; b < 2; b++) {
          if (r.weights) weights[b]!.push(...r.weights.data.subarray(b * 3, b * 3 + 3));
        }
        logits.push(...l.data);
      }
      // Stepped logits are [T][B][V]; the fused ones [B][T][V].
      const V = 7;
      fused.logits.data.forEach((x, i) => {
        const b = Math.floor(i / (4 * V));
        const t = Math.floor(i / V) % 4;
        expect(x).toBeCloseTo(logits[(t * 2 + b) * V + (i % V)]!, 12);
      });
      fused.state.h.forEach((h, l) => {
        h.data.forEach((x, i) => {
          expect(x).toBeCloseTo(st.h[l]!.data[i]!, 12);
        });
      });
      if (attention === 'none') expect(fused.attention).toBeNull();
      else
        expect(Array.from(fused.attention!.data).map((x) => Number(x.toFixed(12)))).toEqual(
          weights.flat().map((x) => Number(x.toFixed(12))),
        );
    });
  }
});

describe('Seq2Seq gradients', () => {
  const cases: [CellType, AttentionType, Partial<Seq2SeqOptions>][] = [
    ['gru', 'additive', {}],
    ['lstm', 'general', { encoderLayers: 2, decoderLayers: 2 }],
    ['gru', 'dot', { inputFeeding: false }],
    ['lstm', 'none', { bidirectional: false, decoderLayers: 2 }],
  ];
  for (const [cell, attention, extra] of cases) {
    it(`gradchecks a tiny ${cell} / ${attention} model in float64 (${JSON.stringify(extra)})`, () => {
      const m = tiny(cell, attention, extra);
      // Full-length targets: a padIdx decoder input (rightly) gets no embedding gradient, unlike finite differences.
      const r = gradcheck(
        () =>
          m.forward(SRC, SRC_LEN, [
            [BOS, 3, 4],
            [BOS, 5, 3],
            [BOS, 4, 3],
          ]),
        m.parameters(),
      );
      expect(r.ok, JSON.stringify(r)).toBe(true);
    });
  }
});

/** Σ_t log p(y_t) of a translation (eos included when finished) under teacher forcing, and the per-step argmax. */
function teacherForced(m: Seq2Seq, src: number[], out: number[], finished: boolean) {
  return noGrad(() => {
    const tgtIn = [BOS, ...out];
    const { memory, state } = m.encode([src], [src.length]);
    const r = m.decoder.forward([tgtIn], memory, state);
    const lp = logSoftmax(r.logits, -1);
    const V = lp.shape[2]!;
    const next = finished ? [...out, EOS] : out;
    let sum = 0;
    const argmax: number[] = [];
    next.forEach((w, t) => {
      sum += lp.data[t * V + w]!;
      const row = Array.from(lp.data.subarray(t * V, (t + 1) * V));
      argmax.push(row.indexOf(Math.max(...row)));
    });
    return { sum, argmax, attention: r.attention! };
  });
}

/** A tiny float64 model given 20 steps on reversing, so its outputs have structure (varied lengths, eos). */
function halfTrained(): Seq2Seq {
  const g = new Generator(3);
  const m = new Seq2Seq({
    srcVocab: 9,
    tgtVocab: 9,
    embDim: 5,
    encoderHidden: 4,
    decoderHidden: 8,
    cell: 'gru',
    attention: 'additive',
    dropout: 0.1,
    padIdx: PAD,
    bosIdx: BOS,
    eosIdx: EOS,
    dtype: 'float64',
    generator: g,
  });
  const opt = new Adam(m.parameters(), { lr: 0.03 });
  for (let step = 0; step < 20; step++) {
    const seqs = Array.from({ length: 16 }, () => Array.from({ length: 2 + g.randint(4) }, () => 3 + g.randint(6)));
    const S = Math.max(...seqs.map((x) => x.length));
    const pad = (r: number[]) => [...r, ...new Array<number>(S + 1 - r.length).fill(PAD)];
    const logits = m.forward(
      seqs.map((x) => pad(x).slice(0, S)),
      seqs.map((x) => x.length),
      seqs.map((x) => pad([BOS, ...[...x].reverse()])),
    );
    const loss = crossEntropy(
      logits,
      seqs.map((x) => pad([...[...x].reverse(), EOS])),
      { ignoreIndex: PAD },
    );
    opt.zeroGrad();
    loss.backward();
    opt.step();
  }
  return m;
}

describe('Seq2Seq decoding', () => {
  let m: Seq2Seq;
  beforeAll(() => {
    m = halfTrained();
  });
  const sources = [
    [3, 4, 5, 6, 7],
    [8, 3],
    [5, 5, 6, 4],
  ];

  it('produces varied, finished and cut-off outputs (so the checks below mean something)', () => {
    const full = m.translateBatch(sources, { maxLength: 6 });
    expect(full.every((t) => t.finished && t.tokens.length > 0)).toBe(true);
    expect(new Set(full.map((t) => t.tokens.join())).size).toBe(3);
    expect(m.translateBatch(sources, { maxLength: 2 }).some((t) => !t.finished)).toBe(true);
    const beam = m.translateBatch(sources, { method: 'beam', beamSize: 4, maxLength: 6 });
    expect(beam.some((t, i) => t.tokens.join() !== full[i]!.tokens.join())).toBe(true);
  });

  it('greedy decoding agrees with teacher forcing (tokens, log-prob, attention) and runs in eval mode', () => {
    m.train();
    for (const maxLength of [6, 2]) {
      const batch = m.translateBatch(sources, { maxLength });
      expect(m.training).toBe(true);
      batch.forEach((tr, i) => {
        const single = m.translate(sources[i]!, { maxLength });
        expect(single.tokens).toEqual(tr.tokens);
        expect(single.logProb).toBeCloseTo(tr.logProb, 12);
        m.eval();
        const tf = teacherForced(m, sources[i]!, tr.tokens, tr.finished);
        m.train();
        expect(tf.argmax).toEqual(tr.finished ? [...tr.tokens, EOS] : tr.tokens);
        expect(tr.logProb).toBeCloseTo(tf.sum, 10);
        expect(tr.attention!.shape).toEqual([tr.tokens.length + (tr.finished ? 1 : 0), sources[i]!.length]);
        const att = tr.attention!.tolist() as number[][];
        att.forEach((row, t) => {
          expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
          row.forEach((a, s) => {
            expect(a).toBeCloseTo(tf.attention.data[t * sources[i]!.length + s]!, 12);
          });
        });
      });
    }
  });

  it('beam search: beam 1 is greedy, scores match teacher forcing, batches match single sentences', () => {
    const greedy = m.translateBatch(sources, { maxLength: 8 });
    const beam1 = m.translateBatch(sources, { method: 'beam', beamSize: 1, maxLength: 8 });
    expect(beam1.map((t) => t.tokens)).toEqual(greedy.map((t) => t.tokens));
    const beams = m.translateBatch(sources, { method: 'beam', beamSize: 4, maxLength: 8, lengthPenalty: 0.6 });
    beams.forEach((tr, i) => {
      const single = m.translate(sources[i]!, { method: 'beam', beamSize: 4, maxLength: 8, lengthPenalty: 0.6 });
      expect(single.tokens).toEqual(tr.tokens);
      expect(single.score).toBeCloseTo(tr.score, 12);
      m.eval();
      expect(tr.logProb).toBeCloseTo(teacherForced(m, sources[i]!, tr.tokens, tr.finished).sum, 10);
      m.train();
      const len = tr.tokens.length + (tr.finished ? 1 : 0);
      expect(tr.score).toBeCloseTo(tr.logProb / ((5 + len) / 6) ** 0.6, 12);
    });
  });

  it('samples reproducibly from a seed', () => {
    const a = m.translateBatch(sources, {
      method: 'sample',
      generator: new Generator(5),
      maxLength: 8,
      temperature: 1.5,
    });
    const b = m.translateBatch(sources, {
      method: 'sample',
      generator: new Generator(5),
      maxLength: 8,
      temperature: 1.5,
    });
    expect(a.map((t) => t.tokens)).toEqual(b.map((t) => t.tokens));
    const seen = new Set(
      Array.from({ length: 8 }, (_, s) =>
        m
          .translate(sources[0]!, { method: 'sample', generator: new Generator(s), maxLength: 8, temperature: 2 })
          .tokens.join(),
      ),
    );
    expect(seen.size).toBeGreaterThan(1);
  });

  it('the decoder runs alone over any memory (e.g. image regions) from a zero state', () => {
    const dec = new AttentionDecoder({
      vocabSize: 5,
      embDim: 3,
      hiddenSize: 4,
      memoryDim: 6,
      cell: 'lstm',
      attention: 'general',
      dtype: 'float64',
      generator: new Generator(2),
    });
    const memory = dec.prepareMemory(
      new Tensor(
        Float64Array.from({ length: 2 * 3 * 6 }, (_, i) => Math.sin(i)),
        [2, 3, 6],
      ),
    );
    const r = dec.forward(
      [
        [BOS, 3],
        [BOS, 4],
      ],
      memory,
      dec.zeroState(2),
    );
    expect(r.logits.shape).toEqual([2, 2, 5]);
    expect(r.attention!.shape).toEqual([2, 2, 3]);
    expect(() => dec.forward([[BOS, 3]], memory, dec.zeroState(2))).toThrow(ShapeError);
    expect(() => dec.prepareMemory(new Tensor(new Float64Array(12), [2, 1, 6]), [1, 1, 1])).toThrow(ShapeError);
  });
});

describe('Seq2Seq learning', () => {
  it('learns to reverse short random sequences (greedy token accuracy > 0.9)', () => {
    const g = new Generator(0);
    const NSYM = 8;
    const model = new Seq2Seq({
      srcVocab: 3 + NSYM,
      tgtVocab: 3 + NSYM,
      embDim: 16,
      encoderHidden: 32,
      decoderHidden: 32,
      cell: 'gru',
      attention: 'additive',
      dropout: 0,
      padIdx: PAD,
      bosIdx: BOS,
      eosIdx: EOS,
      generator: g,
    });
    const opt = new Adam(model.parameters(), { lr: 0.01 });
    const sample = (B: number) => {
      const seqs = Array.from({ length: B }, () => Array.from({ length: 3 + g.randint(4) }, () => 3 + g.randint(NSYM)));
      const S = Math.max(...seqs.map((s) => s.length));
      const pad = (r: number[]) => [...r, ...new Array<number>(S + 1 - r.length).fill(PAD)];
      return {
        seqs,
        src: seqs.map((s) => pad(s).slice(0, S)),
        tgtIn: seqs.map((s) => pad([BOS, ...[...s].reverse()])),
        tgtOut: seqs.map((s) => pad([...[...s].reverse(), EOS])),
      };
    };
    let first = 0;
    let last = 0;
    for (let step = 0; step < 150; step++) {
      const b = sample(32);
      const loss = crossEntropy(
        model.forward(
          b.src,
          b.seqs.map((s) => s.length),
          b.tgtIn,
        ),
        b.tgtOut,
        { ignoreIndex: PAD },
      );
      opt.zeroGrad();
      loss.backward();
      clipGradNorm(model.parameters(), 1);
      opt.step();
      if (step === 0) first = loss.item();
      last = loss.item();
    }
    expect(last).toBeLessThan(first / 5);
    const test = sample(64).seqs;
    let correct = 0;
    let total = 0;
    model.translateBatch(test, { maxLength: 10 }).forEach((t, i) => {
      const want = [...test[i]!].reverse();
      want.forEach((w, j) => {
        total++;
        if (t.tokens[j] === w) correct++;
      });
      if (t.tokens.length !== want.length) total++;
    });
    expect(correct / total).toBeGreaterThan(0.9);
  });
});
