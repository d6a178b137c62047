// Mutations of text lines: control characters, other scripts, lone surrogates, direction marks, huge lines.
import type { FuzzRandom } from './random.js';

/** Pieces of text a tokenizer or decoder may not expect. */
export const HOSTILE_TEXT: readonly string[] = [
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\r',
  '\t',
  '\v\f',
  '\u0085',
  '\u2028\u2029',
  '\ufeff',
  '\ufffd',
  '\ud800',
  '\udfff',
  '\u200b\u200c\u200d',
  '\u202e\u202d\u2066',
  'e\u0301\u0301\u0301\u0301',
  'مرحبا بالعالم',
  'שלום',
  '日本語のテキスト',
  '中文文本',
  '한국어',
  'हिन्दी',
  'ภาษาไทย',
  'Ελληνικά',
  'кириллица',
  '👩‍👩‍👧‍👦🏳️‍🌈',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  '1e309',
  '<unk> <pad> <bos> <eos>',
  '@@ ▁ </w>',
  ' ',
  '',
];

/** One line of hostile text: a valid line with inserted pieces, a line of only pieces, or a huge line. */
export function mutateLine(random: FuzzRandom, valid: string): string {
  const op = random.int(6);
  if (op === 0) return Array.from({ length: random.between(1, 6) }, () => random.pick(HOSTILE_TEXT)).join('');
  if (op === 1) {
    const unit = random.chance(0.5) ? valid || 'a' : random.pick(HOSTILE_TEXT) || 'x';
    return unit.repeat(Math.ceil(random.pick([1e4, 1e5, 1e6]) / unit.length));
  }
  if (op === 2)
    return Array.from({ length: random.between(1, 40) }, () => String.fromCharCode(random.int(0x10000))).join('');
  let out = valid;
  for (let i = random.between(1, 4); i > 0; i--) {
    const at = random.int(out.length + 1);
    out = out.slice(0, at) + random.pick(HOSTILE_TEXT) + out.slice(at);
  }
  return out;
}
