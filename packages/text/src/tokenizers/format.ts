import { describeValue, FormatError, ValueError } from '@recurrent/core';

/** Name and version written into every saved tokenizer, checked on load. */
export const TOKENIZER_FORMAT = 'recurrent-tokenizer';
export const TOKENIZER_FORMAT_VERSION = 1;

export type TokenizerType = 'char' | 'word' | 'bpe';

/** Fields common to every saved tokenizer. */
export interface TokenizerJSONBase {
  format: typeof TOKENIZER_FORMAT;
  version: number;
  type: TokenizerType;
  tokens: string[];
}

/** Check the common header of a parsed tokenizer file and that it is of the expected type. */
export function checkHeader(json: unknown, type: TokenizerType): Record<string, unknown> {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new FormatError(
      `tokenizer JSON must be an object, got ` +
        `${json === null ? 'null' : Array.isArray(json) ? 'an array' : typeof json}`,
    );
  }
  const o = json as Record<string, unknown>;
  if (o.format !== TOKENIZER_FORMAT)
    throw new FormatError(
      `not a Recurrent tokenizer file: "format" is ${describeValue(o.format)}, expected "${TOKENIZER_FORMAT}"`,
    );
  if (o.version !== TOKENIZER_FORMAT_VERSION) {
    throw new FormatError(
      `unsupported tokenizer format version ${describeValue(o.version)} (this build reads version ` +
        `${TOKENIZER_FORMAT_VERSION})`,
    );
  }
  if (o.type !== type) throw new FormatError(`tokenizer "type" is ${describeValue(o.type)}, expected "${type}"`);
  stringArray(o, 'tokens');
  return o;
}

/** A required array-of-strings field. */
export function stringArray(o: Record<string, unknown>, key: string): string[] {
  const v = o[key];
  if (!Array.isArray(v)) throw new FormatError(`tokenizer field "${key}" must be an array of strings`);
  for (let i = 0; i < v.length; i++) {
    if (typeof v[i] !== 'string')
      throw new FormatError(`tokenizer field "${key}"[${i}] must be a string, got ${describeValue(v[i])}`);
  }
  return v as string[];
}

/** A required boolean field. */
export function booleanField(o: Record<string, unknown>, key: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean')
    throw new FormatError(`tokenizer field "${key}" must be true or false, got ${describeValue(v)}`);
  return v;
}

/** A required field that must be one of the given strings. */
export function enumField<T extends string>(o: Record<string, unknown>, key: string, allowed: readonly T[]): T {
  const v = o[key];
  if (typeof v !== 'string' || !allowed.includes(v as T)) {
    throw new FormatError(
      `tokenizer field "${key}" must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, got ${describeValue(v)}`,
    );
  }
  return v as T;
}

/** Check a vocabulary starts with the given special tokens, in order (ValueError; loaders rethrow a FormatError). */
export function checkSpecials(tokens: readonly string[], specials: readonly string[]): void {
  for (let i = 0; i < specials.length; i++) {
    if (tokens[i] !== specials[i]) {
      throw new ValueError(
        `tokenizer vocabulary must start with ${specials.join(', ')}; id ${i} is ${describeValue(tokens[i])}`,
      );
    }
  }
}
