/** Counts of every n-gram of `tokens` for n = 1..maxN, keyed by the words joined with a space. */
export function ngramCounts(tokens: readonly string[], maxN: number): Map<string, number>[] {
  const counts: Map<string, number>[] = [];
  for (let n = 1; n <= maxN; n++) {
    const m = new Map<string, number>();
    for (let i = 0; i + n <= tokens.length; i++) {
      const key = tokens.slice(i, i + n).join(' ');
      m.set(key, (m.get(key) ?? 0) + 1);
    }
    counts.push(m);
  }
  return counts;
}

/**
 * Caption text → tokens as the COCO caption evaluation compares them: lower case, punctuation removed (its PTB
 * tokenizer drops . , ! ? ; : ' " and brackets), split on whitespace.
 */
export function tokenizeCaption(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[.,!?;:"()[\]{}`]|'(?!\w)|(?<!\w)'/g, ' ')
    .split(/\s+/)
    .filter((t) => t !== '');
}
