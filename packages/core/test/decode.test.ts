import { describe, expect, it } from 'vitest';
import { Generator } from '../src/random.js';
import { ValueError } from '../src/errors.js';
import { argmaxRow, greedyDecode, greedyDecodeBatch } from '../src/decode/greedy.js';
import { beamSearch, beamSearchBatch, lengthPenaltyOf } from '../src/decode/beam.js';
import { sampleNext, sampleSequence, sampleSequenceBatch, samplingDistribution } from '../src/decode/sampling.js';
import type { Hypothesis, SelectStateFn, StepFn } from '../src/decode/types.js';

const BOS = 0;
const EOS = 1;

/** One row per hypothesis: which chain it follows and every token it was fed so far. */
interface Row {
  item: number;
  history: number[];
}

/** The fed-token history as one number (base 16), so a row's lineage can be checked from its attention output. */
const encode = (history: number[]): number => history.reduce((a, w) => a * 16 + w + 1, 0);

/**
 * A Markov chain as a decoder: log p(next | last token) from `tables[item][last]`. Each state row keeps
 * every token it was fed; the step reports attention = [tokens fed so far, encode(history)] per row, so
 * `checkLineage` can prove that selectState kept every hypothesis with its own history.
 */
function markov(tables: number[][][]): {
  step: StepFn<Row[]>;
  selectState: SelectStateFn<Row[]>;
  calls: { rows: number }[];
} {
  const calls: { rows: number }[] = [];
  const step: StepFn<Row[]> = (tokens, state) => {
    expect(state.length).toBe(tokens.length);
    calls.push({ rows: tokens.length });
    const V = tables[0]![0]!.length;
    const logProbs = new Float64Array(tokens.length * V);
    const attention = new Float64Array(tokens.length * 2);
    const next = state.map((row, r) => {
      const history = [...row.history, tokens[r]!];
      const probs = tables[row.item]![tokens[r]!]!;
      probs.forEach((p, w) => {
        logProbs[r * V + w] = Math.log(p);
      });
      attention[r * 2] = history.length;
      attention[r * 2 + 1] = encode(history);
      return { item: row.item, history };
    });
    return { logProbs, state: next, attention };
  };
  const selectState: SelectStateFn<Row[]> = (state, indices) => Array.from(indices, (i) => state[i]!);
  return { step, selectState, calls };
}

/** Every attention row of `h` must come from the state row that fed exactly bos + h's tokens so far. */
function checkLineage(h: Hypothesis): void {
  const fed = [BOS, ...h.tokens];
  expect(h.attention!.length).toBe(h.tokens.length + (h.finished ? 1 : 0));
  h.attention!.forEach((a, i) => {
    expect(Array.from(a)).toEqual([i + 1, encode(fed.slice(0, i + 1))]);
  });
}

/** log-probability of `tokens` (+ eos when finished) under a chain, computed independently. */
function pathLogProb(table: number[][], h: Hypothesis): number {
  const path = h.finished ? [...h.tokens, EOS] : h.tokens;
  let prev = BOS;
  let s = 0;
  for (const w of path) {
    s += Math.log(table[prev]![w]!);
    prev = w;
  }
  return s;
}

const rows = (n: number, item = 0): Row[] => Array.from({ length: n }, (_, i) => ({ item: item + i, history: [] }));

// Tokens: 0 bos, 1 eos, 2 a, 3 b, 4 c, 5 d.
// bos → a .6 | b .4;  a → eos .4 | c .3 | d .3;  b → eos .9 | c .1;  c, d → eos.
// Greedy takes a (0.6) then eos (0.4): 0.24. The best sequence is b eos: 0.36.
const TRAP = [
  [0, 0, 0.6, 0.4, 0, 0],
  [0, 1, 0, 0, 0, 0],
  [0, 0.4, 0, 0, 0.3, 0.3],
  [0, 0.9, 0, 0, 0.1, 0],
  [0, 1, 0, 0, 0, 0],
  [0, 1, 0, 0, 0, 0],
];

/** A random chain over V tokens where bos is never produced. */
function randomChain(V: number, g: Generator): number[][] {
  return Array.from({ length: V }, () => {
    const w = Array.from({ length: V }, (_, i) => (i === BOS ? 0 : 0.05 + g.random()));
    const z = w.reduce((a, b) => a + b, 0);
    return w.map((x) => x / z);
  });
}

describe('greedy decoding', () => {
  it('follows the most probable transition of a hand-built Markov chain', () => {
    // bos → 2 (.5); 2 → 3 (.7); 3 → 2 (.6) | eos (.4)... greedy loops 2 3 2 3 until maxLength.
    const table = [
      [0, 0.2, 0.5, 0.3],
      [0, 1, 0, 0],
      [0, 0.1, 0.2, 0.7],
      [0, 0.4, 0.6, 0],
    ];
    const { step } = markov([table]);
    const h = greedyDecode({ step, initialState: rows(1), bos: BOS, eos: EOS, maxLength: 5 });
    expect(h.tokens).toEqual([2, 3, 2, 3, 2]);
    expect(h.finished).toBe(false);
    expect(h.logProb).toBeCloseTo(Math.log(0.5 * 0.7 * 0.6 * 0.7 * 0.6), 12);
    expect(h.score).toBe(h.logProb);
    const stop = [...table.slice(0, 3), [0, 0.6, 0.4, 0]];
    const h2 = greedyDecode({ step: markov([stop]).step, initialState: rows(1), bos: BOS, eos: EOS, maxLength: 10 });
    expect(h2).toMatchObject({ tokens: [2, 3], finished: true });
    expect(h2.logProb).toBeCloseTo(Math.log(0.5 * 0.7 * 0.6), 12);
    checkLineage(h2);
  });

  it('decodes a batch like one sequence at a time, dropping finished rows when selectState is given', () => {
    const g = new Generator(11);
    const tables = [randomChain(5, g), randomChain(5, g), randomChain(5, g)];
    const singles = tables.map((_, i) =>
      greedyDecode({ step: markov(tables).step, initialState: rows(1, i), bos: BOS, eos: EOS, maxLength: 8 }),
    );
    const plain = greedyDecodeBatch({
      step: markov(tables).step,
      initialState: rows(3),
      bos: BOS,
      eos: EOS,
      maxLength: 8,
      batchSize: 3,
    });
    const m = markov(tables);
    const compact = greedyDecodeBatch({ ...m, initialState: rows(3), bos: BOS, eos: EOS, maxLength: 8, batchSize: 3 });
    expect(plain).toEqual(singles);
    expect(compact).toEqual(singles);
    if (singles.some((h) => h.tokens.length < 7)) expect(m.calls.some((c) => c.rows < 3)).toBe(true);
  });

  it('argmaxRow takes the first maximum and rejects NaN or impossible rows', () => {
    expect(argmaxRow([1, 3, 3, 2])).toBe(1);
    expect(() => argmaxRow([0, NaN])).toThrow(ValueError);
    expect(() => argmaxRow([-Infinity, -Infinity])).toThrow(ValueError);
  });
});

describe('beam search', () => {
  it('finds the sequence greedy misses; scores are the sums of the step log-probs', () => {
    const greedy = greedyDecode({ step: markov([TRAP]).step, initialState: rows(1), bos: BOS, eos: EOS, maxLength: 5 });
    expect(greedy.tokens).toEqual([2]);
    expect(greedy.logProb).toBeCloseTo(Math.log(0.24), 12);
    const { step, selectState } = markov([TRAP]);
    const best = beamSearch({
      step,
      selectState,
      initialState: rows(1),
      bos: BOS,
      eos: EOS,
      maxLength: 5,
      beamSize: 2,
    });
    expect(best.map((h) => h.tokens)).toEqual([[3], [2]]);
    expect(best[0]!.logProb).toBe(Math.log(0.4) + Math.log(0.9));
    expect(best[1]!.logProb).toBe(Math.log(0.6) + Math.log(0.4));
    expect(best.every((h) => h.finished && h.score === h.logProb)).toBe(true);
    best.forEach(checkLineage);
    // A beam of one is greedy.
    const one = beamSearch({ ...markov([TRAP]), initialState: rows(1), bos: BOS, eos: EOS, maxLength: 5, beamSize: 1 });
    expect(one[0]!.tokens).toEqual(greedy.tokens);
  });

  it('with a wide beam and no early stopping equals exhaustive search on random chains', () => {
    const g = new Generator(3);
    for (let trial = 0; trial < 5; trial++) {
      const V = 4;
      const maxLength = 4;
      const table = randomChain(V, g);
      // Exhaustive: every token sequence over {eos, 2, 3} up to maxLength.
      let bestScore = -Infinity;
      let bestTokens: number[] = [];
      const visit = (prefix: number[], prev: number, s: number): void => {
        if (prefix.length === maxLength) {
          if (s > bestScore) [bestScore, bestTokens] = [s, prefix.filter((w) => w !== EOS)];
          return;
        }
        for (let w = 1; w < V; w++) {
          const sw = s + Math.log(table[prev]![w]!);
          if (w === EOS) {
            if (sw > bestScore) [bestScore, bestTokens] = [sw, [...prefix]];
          } else visit([...prefix, w], w, sw);
        }
      };
      visit([], BOS, 0);
      const hyps = beamSearch({
        ...markov([table]),
        initialState: rows(1),
        bos: BOS,
        eos: EOS,
        maxLength,
        beamSize: 40,
        earlyStopping: false,
      });
      expect(hyps[0]!.tokens).toEqual(bestTokens);
      expect(hyps[0]!.logProb).toBeCloseTo(bestScore, 12);
      for (const h of hyps) expect(h.logProb).toBeCloseTo(pathLogProb(table, h), 12);
      hyps.forEach(checkLineage);
      expect(hyps.length).toBe(1 + 2 + 4 + 8 + 16); // every path: 15 ending in eos, 16 cut at maxLength
      for (let i = 1; i < hyps.length; i++) expect(hyps[i]!.score).toBeLessThanOrEqual(hyps[i - 1]!.score);
    }
  });

  it('length penalty favours the longer hypothesis and divides the log-prob exactly', () => {
    // bos → eos .55 | a .45;  a → b;  b → eos.  Raw: [] (log .55) beats [a, b] (log .45).
    const table = [
      [0, 0.55, 0.45, 0],
      [0, 1, 0, 0],
      [0, 0, 0, 1],
      [0, 1, 0, 0],
    ];
    const run = (lengthPenalty: number, lengthNormalization?: 'gnmt' | 'power') =>
      beamSearch({
        ...markov([table]),
        initialState: rows(1),
        bos: BOS,
        eos: EOS,
        maxLength: 6,
        beamSize: 2,
        lengthPenalty,
        lengthNormalization,
      });
    expect(run(0)[0]!.tokens).toEqual([]);
    const gnmt = run(2);
    expect(gnmt[0]!.tokens).toEqual([2, 3]);
    expect(gnmt[0]!.score).toBe(Math.log(0.45) / ((5 + 3) / 6) ** 2);
    expect(gnmt[1]!.score).toBe(Math.log(0.55));
    const power = run(1, 'power');
    expect(power[0]!.tokens).toEqual([2, 3]);
    expect(power[0]!.score).toBe(Math.log(0.45) / 3);
    expect(lengthPenaltyOf(4, 0.6)).toBeCloseTo((9 / 6) ** 0.6, 15);
    expect(lengthPenaltyOf(4, 0.6, 'power')).toBeCloseTo(4 ** 0.6, 15);
    expect(lengthPenaltyOf(4, 0)).toBe(1);
  });

  it('searches a batch exactly like one sequence at a time and keeps the state to live rows', () => {
    const g = new Generator(5);
    const tables = [randomChain(6, g), TRAP, randomChain(6, g)];
    const opts = { bos: BOS, eos: EOS, maxLength: 7, beamSize: 3, lengthPenalty: 0.6, nBest: 2 };
    const singles = tables.map((_, i) => beamSearch({ ...markov(tables), ...opts, initialState: rows(1, i) }));
    const m = markov(tables);
    const batched = beamSearchBatch({ ...m, ...opts, initialState: rows(3), batchSize: 3 });
    expect(batched).toEqual(singles);
    batched.flat().forEach(checkLineage);
    expect(batched.every((n) => n.length === 2)).toBe(true);
    expect(m.calls[0]!.rows).toBe(3);
    expect(Math.max(...m.calls.map((c) => c.rows))).toBeLessThanOrEqual(9);
  });

  it('ends hypotheses still live at maxLength as unfinished', () => {
    const loop = [
      [0, 0, 0.5, 0.5],
      [0, 1, 0, 0],
      [0, 0, 0.5, 0.5],
      [0, 0, 0.5, 0.5],
    ];
    const hyps = beamSearch({
      ...markov([loop]),
      initialState: rows(1),
      bos: BOS,
      eos: EOS,
      maxLength: 3,
      beamSize: 2,
    });
    expect(hyps).toHaveLength(2);
    for (const h of hyps) {
      expect(h.finished).toBe(false);
      expect(h.tokens).toHaveLength(3);
      expect(h.logProb).toBeCloseTo(3 * Math.log(0.5), 12);
    }
  });
});

describe('sampling', () => {
  const logits = [1, 3, 2, 5, 4];

  it('top-k keeps exactly the k largest logits', () => {
    const p = samplingDistribution(logits, { topK: 2 });
    expect(Array.from(p, (x) => x > 0)).toEqual([false, false, false, true, true]);
    expect(p[3]).toBeCloseTo(Math.exp(5) / (Math.exp(5) + Math.exp(4)), 14);
    expect(Array.from(samplingDistribution([2, 2, 2, 1], { topK: 2 }), (x) => x > 0)).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect(samplingDistribution(logits, { topK: 99 })).toEqual(samplingDistribution(logits));
  });

  it('top-p keeps the smallest most-probable set reaching p (after top-k)', () => {
    const probs = [0.1, 0.4, 0.2, 0.3];
    const lg = probs.map(Math.log);
    const kept = (o: object) => Array.from(samplingDistribution(lg, o), (x) => x > 0);
    expect(kept({ topP: 0.3 })).toEqual([false, true, false, false]);
    expect(kept({ topP: 0.6 })).toEqual([false, true, false, true]);
    expect(kept({ topP: 0.7 })).toEqual([false, true, false, true]);
    expect(kept({ topP: 0.71 })).toEqual([false, true, true, true]);
    expect(kept({ topP: 1 })).toEqual([true, true, true, true]);
    // After top-3 the mass is .4/.9, .3/.9, .2/.9: 0.5 needs two tokens.
    expect(kept({ topK: 3, topP: 0.5 })).toEqual([false, true, false, true]);
    const p = samplingDistribution(lg, { topP: 0.6 });
    expect(p[1]).toBeCloseTo(0.4 / 0.7, 14);
    expect(p[3]).toBeCloseTo(0.3 / 0.7, 14);
  });

  it('temperature scales the logits and → 0 gives argmax', () => {
    const p = samplingDistribution(logits, { temperature: 2 });
    const z = logits.reduce((a, x) => a + Math.exp(x / 2), 0);
    p.forEach((x, i) => {
      expect(x).toBeCloseTo(Math.exp(logits[i]! / 2) / z, 14);
    });
    expect(Array.from(samplingDistribution(logits, { temperature: 1e-6 }))).toEqual([0, 0, 0, 1, 0]);
    const g = new Generator(0);
    for (let i = 0; i < 50; i++) expect(sampleNext([0.3, 0.1, 0.35, 0.2], { temperature: 1e-4, generator: g })).toBe(2);
  });

  it('draws with the right frequencies and repeats exactly under the same seed', () => {
    const g = new Generator(42);
    const lg = [0.1, 0.2, 0.7].map(Math.log);
    const counts = [0, 0, 0];
    for (let i = 0; i < 20000; i++) counts[sampleNext(lg, { generator: g })]!++;
    expect(counts[0]! / 20000).toBeCloseTo(0.1, 1);
    expect(counts[2]! / 20000).toBeCloseTo(0.7, 1);
    const draw = (seed: number) => {
      const gen = new Generator(seed);
      return Array.from({ length: 30 }, () => sampleNext(logits, { generator: gen, topK: 4 }));
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    expect(new Set(draw(7))).not.toContain(0);
  });

  it('samples sequences whose logProb is the model probability, reproducibly', () => {
    const g = new Generator(9);
    const table = randomChain(6, g);
    const run = (seed: number) =>
      sampleSequence({
        ...markov([table]),
        initialState: rows(1),
        bos: BOS,
        eos: EOS,
        maxLength: 12,
        generator: new Generator(seed),
        temperature: 0.8,
      });
    const h = run(1);
    expect(run(1)).toEqual(h);
    expect(h.logProb).toBeCloseTo(pathLogProb(table, h), 12);
    const seqs = new Set([1, 2, 3, 4, 5, 6].map((s) => run(s).tokens.join(',')));
    expect(seqs.size).toBeGreaterThan(1);
    const batch = sampleSequenceBatch({
      ...markov([table, table]),
      initialState: rows(2),
      batchSize: 2,
      bos: BOS,
      eos: EOS,
      maxLength: 12,
      generator: new Generator(1),
    });
    expect(batch).toHaveLength(2);
    for (const b of batch) expect(b.logProb).toBeCloseTo(pathLogProb(table, b), 12);
  });
});

describe('option validation', () => {
  const { step, selectState } = markov([TRAP]);
  const base = { step, selectState, initialState: rows(1), bos: BOS, eos: EOS, maxLength: 5 };
  it('throws ValueError on bad options', () => {
    for (const topP of [0, -0.1, 1.5, NaN]) expect(() => samplingDistribution([1, 2], { topP })).toThrow(ValueError);
    for (const temperature of [0, -1, NaN, Infinity])
      expect(() => sampleNext([1, 2], { temperature })).toThrow(ValueError);
    for (const topK of [-1, 1.5]) expect(() => sampleNext([1, 2], { topK })).toThrow(ValueError);
    expect(() => sampleSequence({ ...base, topP: 2 })).toThrow(ValueError);
    for (const beamSize of [0, -2, 1.5]) expect(() => beamSearch({ ...base, beamSize })).toThrow(ValueError);
    expect(() => beamSearch({ ...base, beamSize: 2, nBest: 3 })).toThrow(/nBest/);
    expect(() => beamSearch({ ...base, beamSize: 2, lengthPenalty: NaN })).toThrow(ValueError);
    expect(() => greedyDecode({ ...base, maxLength: 0 })).toThrow(ValueError);
    expect(() => greedyDecode({ ...base, eos: 99 })).toThrow(/outside the vocabulary/);
    expect(() => greedyDecode({ ...base, step: () => ({ logProbs: new Float64Array(0), state: [] }) })).toThrow(
      /rows \* V/,
    );
    expect(() => sampleNext([NaN, 1])).toThrow(ValueError);
    expect(() => sampleNext([-Infinity, -Infinity])).toThrow(ValueError);
  });
});
