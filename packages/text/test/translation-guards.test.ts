// The decoding guards together: copying a number with repeated digits must win over the n-gram repeat block, and no
// row is ever left without a possible token (greedy's argmax of an all −∞ row ended a whole evaluation).
import { describe, expect, it } from 'vitest';
import { guardDecoding, type GuardOptions } from '../src/index.js';

const V = 8;
const [BOS, EOS, ONE, WORD] = [1, 2, 3, 6];

function guardedStep(options: Partial<GuardOptions>) {
  const uniform = (tokens: Int32Array) => ({
    logProbs: new Float32Array(tokens.length * V).fill(-Math.log(V)),
    state: 0,
  });
  return guardDecoding(uniform, (s) => s, 0, 1, {
    noRepeatNgram: 2,
    numbers: { digitIds: new Set([3, 4, 5]), sourceNumbers: [[[ONE, ONE, ONE, ONE]]] },
    bos: BOS,
    eos: EOS,
    maxLengths: [20],
    banned: [0, BOS],
    ...options,
  });
}

/** Feed `tokens` after bos and return the last step's row. */
function rowAfter(options: Partial<GuardOptions>, tokens: number[]): Float32Array {
  const g = guardedStep(options);
  let out = g.step(Int32Array.of(BOS), g.initialState);
  for (const t of tokens) out = g.step(Int32Array.of(t), out.state);
  return out.logProbs as Float32Array;
}

describe('translation guards', () => {
  it('lets a source number "1111" be copied although the bigram (1, 1) repeats', () => {
    const row = rowAfter({}, [ONE, ONE, ONE]);
    expect(Number.isFinite(row[ONE])).toBe(true);
    // Inside the number nothing else may follow.
    expect([...row].filter((x) => Number.isFinite(x))).toHaveLength(1);
  });

  it('still blocks a repeated bigram of words', () => {
    const row = rowAfter({ numbers: null }, [WORD, WORD]);
    expect(row[WORD]).toBe(-Infinity);
  });

  it('never leaves a row with no possible token: the sentence may end', () => {
    // The forced digit is banned outright: only eos remains.
    const row = rowAfter({ banned: [0, BOS, ONE] }, [ONE]);
    expect(Number.isFinite(row[EOS])).toBe(true);
  });
});
