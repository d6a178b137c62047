// A giant paste (megabytes of text) must not stall the page or the worker: the models read at most the first
// 50,000 characters (prepareInput), but preparing — Unicode normalisation, line breaks, control characters — the
// whole text first takes seconds at 20 MB, on every keystroke. Only a bounded head of it is ever prepared.
import { prepareInput, type PreparedInput } from '@recurrent/text';

/** Characters prepareInput keeps (its default). */
export const READ_CHARS = 50_000;
/** Raw characters prepared at most: four times what is read, so normalisation has ample text to shrink. */
export const PREPARED_CHARS = 4 * READ_CHARS;

/** The first PREPARED_CHARS characters of `text` (never splitting a surrogate pair): all that is ever prepared. */
export function boundedHead(text: string): string {
  if (text.length <= PREPARED_CHARS) return text;
  const c = text.charCodeAt(PREPARED_CHARS - 1);
  return text.slice(0, c >= 0xd800 && c <= 0xdbff ? PREPARED_CHARS - 1 : PREPARED_CHARS);
}

/**
 * prepareInput(text) for a text of any length in time bounded by PREPARED_CHARS: the same result whenever the
 * first PREPARED_CHARS characters still hold READ_CHARS after normalisation (any text but one that is mostly control
 * characters, which then reads its bounded head); `truncated` and `originalLength` describe the whole text.
 */
export function prepareBounded(text: string): PreparedInput {
  if (text.length <= PREPARED_CHARS) return prepareInput(text);
  return { ...prepareInput(boundedHead(text)), truncated: true, originalLength: text.length };
}

/** A text put in the review box: at most PREPARED_CHARS of it are kept, with the length it had. */
export interface BoxText {
  text: string;
  /** Characters of what was pasted or typed, before the box kept only its head. */
  originalLength: number;
}

/**
 * What the review box keeps of `value`: a giant paste is cut to its first PREPARED_CHARS characters (a textarea
 * holding megabytes takes seconds per keystroke to lay out), remembering how long it was for the notice.
 */
export function keepInBox(value: string): BoxText {
  return { text: boundedHead(value), originalLength: value.length };
}

/**
 * The box's value after pasting `pasted` over the selection [start, end) of `value` — computed by the page instead
 * of the browser when the paste is giant, so the megabytes never enter the textarea.
 */
export function pasteInto(value: string, pasted: string, start: number, end: number): BoxText {
  return keepInBox(value.slice(0, start) + pasted + value.slice(end));
}
