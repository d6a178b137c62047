// What the pages tell the user about their input: every kind of "bad" input gets a visible, specific message.
import type { Notice as KitNotice } from '@recurrent/demo-kit';
import type { LanguageModelInputInfo, SentimentResponse } from './protocol';

export type NoticeKind =
  | 'empty'
  | 'truncated'
  | 'tokens-truncated'
  | 'emoji'
  | 'script'
  | 'unknown'
  | 'all-unknown'
  | 'context';

/** A notice of these pages (shown by the kit's <Notices>). */
export interface Notice extends KitNotice {
  kind: NoticeKind;
}

const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;
const LETTER = /\p{L}/u;
const LATIN_OR_COMMON = /^[\p{Script=Latin}\p{Script=Common}\p{Script=Inherited}]*$/u;

export type UnknownCategory = 'emoji' | 'script' | 'word';

/**
 * Sort an unknown token into emoji, text in a non-Latin script, or an (English-looking) word never seen in training.
 */
export function categorizeUnknown(token: string): UnknownCategory {
  if (EMOJI.test(token)) return 'emoji';
  if (LETTER.test(token) && !LATIN_OR_COMMON.test(token)) return 'script';
  return 'word';
}

const number = (n: number) => n.toLocaleString('en-US');

/** "a, b, c and 4 more" (quoted with the given quotes). */
export function listSome(items: readonly string[], max = 6, quote = (s: string) => `“${s}”`): string {
  const shown = items.slice(0, max).map(quote);
  const rest = items.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${number(rest)} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
}

function unknownNotices(unknown: readonly string[], unit: 'word' | 'character', effect: string): Notice[] {
  const groups: Record<UnknownCategory, string[]> = { emoji: [], script: [], word: [] };
  for (const u of unknown) groups[categorizeUnknown(u)].push(u);
  const notices: Notice[] = [];
  if (groups.emoji.length > 0) {
    notices.push({
      kind: 'emoji',
      level: 'info',
      message: `Emoji are not in the model's vocabulary: ${listSome(groups.emoji, 8, (s) => s)} (${effect}).`,
    });
  }
  if (groups.script.length > 0) {
    notices.push({
      kind: 'script',
      level: 'info',
      message: `Text in other scripts is unknown to this English-only model: ${listSome(groups.script)} (${effect}).`,
    });
  }
  if (groups.word.length > 0) {
    const n = groups.word.length;
    const noun = unit === 'word' ? (n === 1 ? 'word' : 'words') : n === 1 ? 'character' : 'characters';
    notices.push({
      kind: 'unknown',
      level: 'info',
      message: `${number(n)} ${noun} the model never saw in training: ${listSome(groups.word)} (${effect}).`,
    });
  }
  return notices;
}

/** True when the text has nothing but whitespace: the sentiment page shows this message instead of a verdict. */
export const EMPTY_SENTIMENT_MESSAGE = 'Nothing to classify yet: type or paste a review, or click an example.';

/** Notices for a classified text (or the empty-text notice when there is no result). */
export function sentimentNotices(result: SentimentResponse | null, empty: boolean): Notice[] {
  if (empty || !result) return empty ? [{ kind: 'empty', level: 'info', message: EMPTY_SENTIMENT_MESSAGE }] : [];
  const notices: Notice[] = [];
  if (result.charsTruncated) {
    notices.push({
      kind: 'truncated',
      level: 'warning',
      message: `Your text has ${number(result.originalLength)} characters; only the first 50,000 were read.`,
    });
  }
  if (result.tokensTruncated) {
    const how = result.truncation === 'head-tail' ? 'its first and last halves were kept' : 'the rest was cut';
    notices.push({
      kind: 'tokens-truncated',
      level: 'warning',
      message:
        `The model reads at most ${number(result.maxTokens)} tokens and this text has ` +
        `${number(result.tokenCount)}: ${how}.`,
    });
  }
  notices.push(...unknownNotices(result.unknown, 'word', 'read as unknown tokens'));
  if (result.tokens.length > 0 && result.unknownIds === result.tokens.length) {
    notices.push({
      kind: 'all-unknown',
      level: 'warning',
      message:
        'None of these tokens is known to the model, so the verdict below reflects only its bias, not your text.',
    });
  }
  return notices;
}

/** Notices for a next-word prefix. */
export function prefixNotices(
  prefix: string,
  info: LanguageModelInputInfo | null,
  unit: 'word' | 'character',
): Notice[] {
  const notices: Notice[] = [];
  if (prefix.trim().length === 0) {
    notices.push({
      kind: 'empty',
      level: 'info',
      message: 'Empty prefix: these are the model’s guesses for the start of a text. Type something to condition them.',
    });
  }
  if (!info) return notices;
  if (info.contextTruncated) {
    notices.push({
      kind: 'context',
      level: 'info',
      message:
        `Long prefix: only its last ${number(info.contextChars)} characters are used as context, so the ` +
        `predictions stay instant.`,
    });
  }
  notices.push(...unknownNotices(info.unknown, unit, info.droppedUnknown ? 'left out' : 'read as unknown tokens'));
  return notices;
}
