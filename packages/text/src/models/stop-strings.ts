import { ValueError } from '@recurrent/core';
import type { Tokenizer } from '../tokenizers/tokenizer.js';

/** The `stop` option as a list: undefined → none; every entry a non-empty string, else a ValueError naming `stop`. */
export function checkStopStrings(stop: unknown): string[] {
  if (stop === undefined) return [];
  const list = typeof stop === 'string' ? [stop] : stop;
  if (!Array.isArray(list))
    throw new ValueError(`generate: stop must be a string or an array of strings, got ${describe(stop)}`);
  return list.map((s, i) => {
    const where = typeof stop === 'string' ? 'stop' : `stop[${i}]`;
    if (typeof s !== 'string') throw new ValueError(`generate: ${where} must be a string, got ${describe(s)}`);
    if (s.length === 0) throw new ValueError(`generate: ${where} is an empty string (it would match before any token)`);
    return s;
  });
}

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}

/**
 * Watches generated tokens for stop strings. The text searched is what the model has read and written, as the
 * tokenizer decodes it: the prefix ids followed by the generated ids (a word tokenizer puts a space between them as
 * between any two words). A match counts only when it ends in generated text, so a stop string may span the
 * prefix's end but one that lies wholly in the prefix never fires.
 *
 * Each token costs a decode of a short window (enough tokens to hold the longest stop string), not of the whole
 * text. This relies on what every tokenizer here does: decoding ids a ++ b gives decode(a), a separator (a space
 * for words, nothing for characters and BPE pieces) and decode(b).
 */
export class StopStringMatcher {
  private readonly ids: number[];
  private readonly longest: number;

  constructor(
    private readonly tokenizer: Tokenizer,
    private readonly stops: readonly string[],
    prefixIds: readonly number[],
  ) {
    if (stops.length === 0) throw new ValueError('StopStringMatcher: no stop strings');
    this.ids = [...prefixIds];
    this.longest = Math.max(...stops.map((s) => s.length));
  }

  /** Add a generated id; returns the stop string a match of which ends in the text it added, or null. */
  push(id: number): string | null {
    const ids = this.ids;
    ids.push(id);
    const n = ids.length;
    // Grow the window until the text before the new token holds `longest` characters (so a match can start there
    // and the separator before the new token is in the window) or the window is every id.
    let w = Math.min(n, this.longest + 1);
    let before = this.tokenizer.decode(ids.slice(n - w, n - 1));
    while (before.length < this.longest && w < n) {
      w = Math.min(n, w * 2);
      before = this.tokenizer.decode(ids.slice(n - w, n - 1));
    }
    const after = this.tokenizer.decode(ids.slice(n - w));
    const added = after.length - before.length;
    if (added <= 0) return null;
    const firstNew = after.length - added;
    let best: { stop: string; end: number } | null = null;
    for (const stop of this.stops) {
      const at = after.indexOf(stop, Math.max(0, firstNew - stop.length + 1));
      if (at < 0) continue;
      const end = at + stop.length;
      if (best === null || end < best.end) best = { stop, end };
    }
    return best?.stop ?? null;
  }
}
