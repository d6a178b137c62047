import { prepareInput } from '@recurrent/text';
import { describe, expect, it } from 'vitest';
import { boundedHead, keepInBox, pasteInto, PREPARED_CHARS, prepareBounded, READ_CHARS } from '../../lib/input';

const REVIEW = 'A wonderful, moving and beautifully acted film.\r\nI loved it\u0007 — café. ';

describe('preparing a giant paste', () => {
  it('gives prepareInput’s result for texts up to and beyond the bound', () => {
    for (const length of [0, 10, 60_000, PREPARED_CHARS, PREPARED_CHARS + 1, 3 * PREPARED_CHARS]) {
      const text = REVIEW.repeat(Math.ceil(length / REVIEW.length) + 1).slice(0, length);
      expect(prepareBounded(text), `${length} characters`).toEqual(prepareInput(text));
    }
  });

  it('prepares 20 MB in bounded time, saying how long the whole text was', () => {
    const huge = REVIEW.repeat(Math.ceil(20e6 / REVIEW.length));
    const started = performance.now();
    const prepared = prepareBounded(huge);
    const millis = performance.now() - started;
    expect(prepared.originalLength).toBe(huge.length);
    expect(prepared.truncated).toBe(true);
    expect(prepared.text.length).toBeLessThanOrEqual(READ_CHARS);
    expect(prepared.text).toBe(prepareInput(huge.slice(0, PREPARED_CHARS)).text);
    expect(millis, 'preparing 20 MB whole takes seconds').toBeLessThan(1000);
  });

  it('never splits a surrogate pair at the bound, and a head of control characters reads as empty', () => {
    const text = `${'a'.repeat(PREPARED_CHARS - 1)}😀${'b'.repeat(10)}`;
    expect(boundedHead(text)).toBe('a'.repeat(PREPARED_CHARS - 1));
    const controls = `${'\u0007'.repeat(PREPARED_CHARS)}words after the bound`;
    expect(prepareBounded(controls)).toMatchObject({ empty: true, truncated: true });
  });

  it('the review box keeps the head of a giant paste and remembers how long it was', () => {
    expect(keepInBox('short')).toEqual({ text: 'short', originalLength: 5 });
    const huge = 'x'.repeat(3 * PREPARED_CHARS);
    expect(keepInBox(huge)).toEqual({ text: 'x'.repeat(PREPARED_CHARS), originalLength: 3 * PREPARED_CHARS });
    // Pasting over "bad" in "a bad film" keeps what is around the selection.
    expect(pasteInto('a bad film', 'great', 2, 5)).toEqual({ text: 'a great film', originalLength: 12 });
    const pasted = pasteInto('Intro: ', huge, 7, 7);
    expect(pasted.originalLength).toBe(7 + 3 * PREPARED_CHARS);
    expect(pasted.text.startsWith('Intro: xxx')).toBe(true);
    expect(pasted.text.length).toBe(PREPARED_CHARS);
  });
});
