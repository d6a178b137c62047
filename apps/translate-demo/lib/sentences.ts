// A paragraph → its sentences, so a paragraph is translated sentence by sentence (the models were trained on single
// image descriptions). Pure, unit-tested; rules of thumb, not a full sentence segmenter.

/** Abbreviations after which a period does not end a sentence (lower-cased, without the final period). */
const ABBREVIATIONS = new Set([
  // English
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'st',
  'jr',
  'sr',
  'vs',
  'etc',
  'e.g',
  'i.e',
  'approx',
  // German
  'z.b',
  'bzw',
  'usw',
  'ca',
  'vgl',
  'hr',
  'fr',
  'nr',
  'str',
  'd.h',
  'u.a',
  // French
  'm',
  'mme',
  'mlle',
  'env',
]);

/** A sentence end: . ! ? … (repeated), then closing quotes or brackets, then whitespace. */
const END = /[.!?…]+["'”’»)\]]*(?=\s)/gu;

/** Whether the period ending `before` belongs to an abbreviation, an initial ("J.") or an ordinal ("3." in German). */
function isAbbreviation(before: string): boolean {
  const word = /(\S+)\.$/u.exec(before)?.[1];
  if (word === undefined) return false;
  const bare = word.replace(/^["'“‘«([]+/u, '').toLowerCase();
  if (ABBREVIATIONS.has(bare)) return true;
  if (/^\p{Lu}$/u.test(word.replace(/^["'“‘«([]+/u, ''))) return true; // an initial
  return /^\d{1,2}$/u.test(bare); // "am 3. Mai"
}

/**
 * The sentences of `paragraph`, trimmed, in order, empty ones dropped. A line break always ends a sentence; within
 * a line a sentence ends at . ! ? or … (then closing quotes or brackets) followed by whitespace and a capital letter,
 * a digit or an opening quote — except after a known abbreviation, an initial or a one- or two-digit ordinal.
 */
export function splitSentences(paragraph: string): string[] {
  const sentences: string[] = [];
  for (const line of paragraph.split(/\r?\n|\r|\u2028|\u2029/u)) {
    let start = 0;
    for (const match of line.matchAll(END)) {
      const end = (match.index ?? 0) + match[0].length;
      const rest = line.slice(end).trimStart();
      if (!/^["'“‘«([¿¡]?[\p{Lu}\p{N}]/u.test(rest)) continue;
      if (match[0].startsWith('.') && match[0].length === 1 && isAbbreviation(line.slice(start, end))) continue;
      sentences.push(line.slice(start, end));
      start = end;
    }
    sentences.push(line.slice(start));
  }
  return sentences.map((s) => s.trim()).filter((s) => s !== '');
}
