/** Base class for every error Recurrent throws on purpose, so callers can tell ours from bugs. */
export class RecurrentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A tensor had the wrong shape; the message shows what was expected and what was got. */
export class ShapeError extends RecurrentError {}

/** A value was out of range or of the wrong kind (bad option, bad index, NaN where a number was needed). */
export class ValueError extends RecurrentError {}

/** A file (safetensors, vocabulary, checkpoint) was malformed, truncated or inconsistent. */
export class FormatError extends RecurrentError {}

/** Longest preview of an untrusted value inside an error message (`describeValue`). */
export const VALUE_PREVIEW_CHARS = 80;

/**
 * A value as JSON for an error message, cut to `maxChars` (a hostile file's 1 MB string or 10,000-deep nesting must
 * not become the message): `[0,4,"AAAA…` (… 10003 characters). Never throws.
 */
export function describeValue(value: unknown, maxChars = VALUE_PREVIEW_CHARS): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Array.isArray(value) ? '[…]' : typeof value === 'object' && value !== null ? '{…}' : String(value);
  }
  return shortText(text, maxChars);
}

/** Text cut to `maxChars` for an error message (a tensor name from a hostile file): `AAAA… (10000 characters)`. */
export function shortText(text: string, maxChars = VALUE_PREVIEW_CHARS): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars)}… (${text.length} characters)`;
}
