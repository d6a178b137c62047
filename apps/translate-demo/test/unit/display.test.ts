import { describe, expect, it } from 'vitest';
import { alignmentShade, formatMs, paragraphTimings, percent, probabilityShade } from '../../lib/display';
import type { SentenceTranslation } from '../../lib/protocol';

describe('display', () => {
  it('formats times and probabilities', () => {
    expect(formatMs(0.84)).toBe('0.8 ms');
    expect(formatMs(42.4)).toBe('42 ms');
    expect(formatMs(1250)).toBe('1.25 s');
    expect(formatMs(Number.NaN)).toBe('—');
    expect(percent(0.974)).toBe('97 %');
    expect(percent(0.004)).toBe('< 1 %');
    expect(percent(0)).toBe('0 %');
  });

  it('shades doubt and alignment in proportion, clamped', () => {
    expect(probabilityShade(1)).toBe('rgba(234, 88, 12, 0.000)');
    expect(probabilityShade(0)).toBe('rgba(234, 88, 12, 0.450)');
    expect(probabilityShade(0.5)).toBe('rgba(234, 88, 12, 0.225)');
    expect(alignmentShade(2)).toBe('inset 0 -0.5em 0 rgba(51, 85, 214, 0.650)');
    expect(alignmentShade(-1)).toBe('inset 0 -0.5em 0 rgba(51, 85, 214, 0.000)');
  });

  it('sums the timings of the sentences the model ran, not the cached ones, and names the decoding', () => {
    const sentence = (encodeMs: number, decodeMs: number, cached: boolean) =>
      ({ timings: { encodeMs, decodeMs, totalMs: encodeMs + decodeMs + 1 }, cached }) as SentenceTranslation;
    const beam = { method: 'beam', beamSize: 5, alpha: 0.6 } as const;
    expect(paragraphTimings([sentence(2, 30, false), sentence(3, 40, false)], 80, beam)).toBe(
      '2 sentences · encoder 5.0 ms · search 70 ms · model 77 ms · in the worker 80 ms (beam 5, α 0.6)',
    );
    expect(paragraphTimings([sentence(2, 30, false), sentence(9, 90, true)], 40, { ...beam, method: 'greedy' })).toBe(
      '2 sentences · encoder 2.0 ms · search 30 ms · model 33 ms · in the worker 40 ms' +
        ' (greedy; unchanged sentences from the cache)',
    );
    expect(paragraphTimings([sentence(1, 1, false)], 3, beam)).toMatch(/^1 sentence · /);
  });
});
