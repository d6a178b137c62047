const PTB_ESCAPES: Record<string, string> = {
  '-lrb-': '(',
  '-rrb-': ')',
  '-lsb-': '[',
  '-rsb-': ']',
  '-lcb-': '{',
  '-rcb-': '}',
};

/** Undo the PTB bracket escapes (-lrb- → "(", …) and the escaped slash (\/ → /) of the sentence-level SST files. */
export function unescapePtb(text: string): string {
  return text.replace(/-(?:lrb|rrb|lsb|rsb|lcb|rcb)-/gi, (m) => PTB_ESCAPES[m.toLowerCase()]!).replace(/\\\//g, '/');
}
