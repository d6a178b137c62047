import { describe, expect, it } from 'vitest';
import { alignmentShade, formatMs, percent, probabilityShade } from '../../lib/display';

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
});
