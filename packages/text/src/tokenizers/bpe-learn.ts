/**
 * Learning BPE merges with incremental pair counts: after each merge only the words that contain the merged pair
 * are rewritten, and only the counts of pairs touching them change. The best pair comes from a max-heap with lazy
 * deletion (an entry is stale when its count no longer matches the live count).
 *
 * Order of merges (deterministic): the pair with the highest count; ties go to the pair whose (left, right) token
 * strings are smallest in code-unit order.
 */

/** Ids are below 2^26, so a pair packs exactly into one double. */
const KEY_SCALE = 2 ** 26;
export const MAX_BPE_VOCAB = KEY_SCALE;

export function pairKey(a: number, b: number): number {
  return a * KEY_SCALE + b;
}

interface HeapEntry {
  count: number;
  left: number;
  right: number;
}

class PairHeap {
  private readonly items: HeapEntry[] = [];
  constructor(private readonly tokens: readonly string[]) {}

  get size(): number {
    return this.items.length;
  }

  /** a ranks before b. */
  private before(a: HeapEntry, b: HeapEntry): boolean {
    if (a.count !== b.count) return a.count > b.count;
    const la = this.tokens[a.left]!;
    const lb = this.tokens[b.left]!;
    if (la !== lb) return la < lb;
    return this.tokens[a.right]! < this.tokens[b.right]!;
  }

  push(e: HeapEntry): void {
    const items = this.items;
    items.push(e);
    let i = items.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(items[i]!, items[p]!)) break;
      [items[i], items[p]] = [items[p]!, items[i]!];
      i = p;
    }
  }

  pop(): HeapEntry | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && this.before(items[l]!, items[m]!)) m = l;
        if (r < items.length && this.before(items[r]!, items[m]!)) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m]!, items[i]!];
        i = m;
      }
    }
    return top;
  }
}

/** Merge every non-overlapping occurrence of (a, b), left to right. */
export function mergePair(symbols: readonly number[], a: number, b: number, merged: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < symbols.length; i++) {
    if (i + 1 < symbols.length && symbols[i] === a && symbols[i + 1] === b) {
      out.push(merged);
      i++;
    } else out.push(symbols[i]!);
  }
  return out;
}

export interface LearnMergesInput {
  /** Each distinct pre-token as ids of its characters. */
  words: number[][];
  /** How often each word occurs. */
  counts: number[];
  /** The vocabulary so far (grows: merged tokens are appended). */
  tokens: string[];
  tokenIds: Map<string, number>;
  /** Stop after this many merges ... */
  maxMerges: number;
  /** ... or when the vocabulary reaches this size ... */
  maxVocab: number;
  /** ... or when the best pair occurs fewer times than this. */
  minPairCount: number;
}

/** Learn merges in place (tokens/tokenIds grow); returns the merges as [leftId, rightId]. */
export function learnMerges(input: LearnMergesInput): [number, number][] {
  const { words, counts, tokens, tokenIds } = input;
  const pairCounts = new Map<number, number>();
  const pairWords = new Map<number, number[]>();
  for (let w = 0; w < words.length; w++) {
    const s = words[w]!;
    for (let i = 0; i + 1 < s.length; i++) {
      const k = pairKey(s[i]!, s[i + 1]!);
      pairCounts.set(k, (pairCounts.get(k) ?? 0) + counts[w]!);
      const list = pairWords.get(k);
      if (list) {
        if (list[list.length - 1] !== w) list.push(w);
      } else pairWords.set(k, [w]);
    }
  }
  const heap = new PairHeap(tokens);
  for (const [k, count] of pairCounts) heap.push({ count, left: Math.floor(k / KEY_SCALE), right: k % KEY_SCALE });

  const merges: [number, number][] = [];
  const stamp = new Int32Array(words.length).fill(-1);
  while (merges.length < input.maxMerges && tokens.length < input.maxVocab) {
    let best: HeapEntry | undefined;
    while (heap.size > 0) {
      const e = heap.pop()!;
      if (pairCounts.get(pairKey(e.left, e.right)) === e.count) {
        best = e;
        break;
      }
    }
    if (!best || best.count < input.minPairCount) break;
    const { left: a, right: b } = best;
    const text = tokens[a]! + tokens[b]!;
    let id = tokenIds.get(text);
    if (id === undefined) {
      id = tokens.length;
      tokens.push(text);
      tokenIds.set(text, id);
    }
    merges.push([a, b]);

    const key = pairKey(a, b);
    const delta = new Map<number, number>();
    const add = (k: number, d: number): void => {
      delta.set(k, (delta.get(k) ?? 0) + d);
    };
    for (const w of pairWords.get(key) ?? []) {
      if (stamp[w] === merges.length) continue;
      stamp[w] = merges.length;
      const old = words[w]!;
      const next = mergePair(old, a, b, id);
      if (next.length === old.length) continue; // stale entry: the pair left this word in an earlier merge
      const c = counts[w]!;
      for (let i = 0; i + 1 < old.length; i++) add(pairKey(old[i]!, old[i + 1]!), -c);
      for (let i = 0; i + 1 < next.length; i++) {
        const k = pairKey(next[i]!, next[i + 1]!);
        add(k, c);
        if (next[i] === id || next[i + 1] === id) {
          const list = pairWords.get(k);
          if (list) {
            if (list[list.length - 1] !== w) list.push(w);
          } else pairWords.set(k, [w]);
        }
      }
      words[w] = next;
    }
    pairWords.delete(key);
    for (const [k, d] of delta) {
      if (d === 0) continue;
      const count = (pairCounts.get(k) ?? 0) + d;
      if (count <= 0) {
        pairCounts.delete(k);
        pairWords.delete(k);
      } else {
        pairCounts.set(k, count);
        heap.push({ count, left: Math.floor(k / KEY_SCALE), right: k % KEY_SCALE });
      }
    }
  }
  return merges;
}
