import { ValueError } from '@recurrent/core';

/** Line breaks other than \n that mean "new line": CRLF, CR, NEL (U+0085), LINE/PARAGRAPH SEPARATOR. */
const LINE_BREAKS = /\r\n|[\r\u0085\u2028\u2029]/g;
/** C0/C1 control characters except tab and newline. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
/** A lone (unpaired) UTF-16 surrogate. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export interface NormalizeOptions {
  /** Collapse runs of whitespace to one space and trim (default false). */
  collapseWhitespace?: boolean;
}

/**
 * Clean text for a model: Unicode NFC; all line breaks become \n (NEL, U+0085, included: IMDB stores "…" as that
 * byte); other control characters are removed; lone surrogates become U+FFFD. Emoji (with their joiners and
 * variation selectors) and every script pass through unchanged.
 */
export function normalizeText(text: string, options: NormalizeOptions = {}): string {
  if (typeof text !== 'string') throw new ValueError(`normalizeText: expected a string, got ${typeof text}`);
  let s = text.replace(LONE_SURROGATE, '\uFFFD').normalize('NFC').replace(LINE_BREAKS, '\n').replace(CONTROL, '');
  if (options.collapseWhitespace) s = s.replace(/\s+/gu, ' ').trim();
  return s;
}

export interface TruncateResult {
  text: string;
  /** True when text was cut. */
  truncated: boolean;
  /** Length (UTF-16 code units) before cutting. */
  originalLength: number;
}

/**
 * Keep at most maxChars UTF-16 code units, never splitting a surrogate pair; if a whitespace falls within the last
 * 10 % of the kept text, cut there so no half word is left.
 */
export function truncateText(text: string, maxChars: number): TruncateResult {
  if (!Number.isInteger(maxChars) || maxChars < 0)
    throw new ValueError(`truncateText: maxChars must be a non-negative integer, got ${maxChars}`);
  const originalLength = text.length;
  if (originalLength <= maxChars) return { text, truncated: false, originalLength };
  let end = maxChars;
  const c = text.charCodeAt(end - 1);
  if (end > 0 && c >= 0xd800 && c <= 0xdbff) end--;
  const space = text.slice(0, end).search(/\s\S*$/u);
  if (space >= 0 && space >= end * 0.9) end = space;
  return { text: text.slice(0, end), truncated: true, originalLength };
}

export interface PrepareInputOptions extends NormalizeOptions {
  /** Truncate longer text (default 50,000 code units). */
  maxChars?: number;
}

export interface PreparedInput extends TruncateResult {
  /** True when nothing but whitespace is left: callers should show a message instead of running a model. */
  empty: boolean;
}

/** normalizeText then truncateText: the one call a UI makes on what the user typed or pasted. */
export function prepareInput(text: string, options: PrepareInputOptions = {}): PreparedInput {
  const normalized = normalizeText(text, options);
  const result = truncateText(normalized, options.maxChars ?? 50_000);
  return { ...result, originalLength: text.length, empty: result.text.trim().length === 0 };
}
