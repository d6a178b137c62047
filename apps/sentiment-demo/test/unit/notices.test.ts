import { describe, expect, it } from 'vitest';
import {
  categorizeUnknown,
  EMPTY_SENTIMENT_MESSAGE,
  listSome,
  prefixNotices,
  sentimentNotices,
} from '../../lib/notices';
import type { SentimentResponse } from '../../lib/protocol';

function response(overrides: Partial<SentimentResponse> = {}): SentimentResponse {
  return {
    probability: 0.9,
    label: 'positive',
    tokens: ['a', 'fine', 'film'],
    trajectory: [],
    unknown: [],
    unknownIds: 0,
    tokenCount: 3,
    tokensTruncated: false,
    maxTokens: 400,
    truncation: 'head',
    originalLength: 11,
    charsTruncated: false,
    millis: 1,
    ...overrides,
  };
}

describe('categorizeUnknown', () => {
  it('tells emoji, other scripts and unseen words apart', () => {
    expect(categorizeUnknown('😍')).toBe('emoji');
    expect(categorizeUnknown('🇫🇷')).toBe('emoji');
    expect(categorizeUnknown('фильм')).toBe('script');
    expect(categorizeUnknown('映画')).toBe('script');
    expect(categorizeUnknown('رائع')).toBe('script');
    expect(categorizeUnknown('flibbertigibbet')).toBe('word');
    expect(categorizeUnknown('café')).toBe('word');
    expect(categorizeUnknown('§')).toBe('word');
  });
});

describe('listSome', () => {
  it('quotes, joins with "and" and counts the rest', () => {
    expect(listSome(['a'])).toBe('“a”');
    expect(listSome(['a', 'b', 'c'])).toBe('“a”, “b” and “c”');
    expect(listSome(['a', 'b', 'c', 'd'], 2)).toBe('“a”, “b” and 2 more');
  });
});

describe('sentimentNotices', () => {
  it('says there is nothing to classify for empty text', () => {
    expect(sentimentNotices(null, true)).toEqual([{ kind: 'empty', level: 'info', message: EMPTY_SENTIMENT_MESSAGE }]);
    expect(sentimentNotices(null, false)).toEqual([]);
  });

  it('is silent for an ordinary review', () => {
    expect(sentimentNotices(response(), false)).toEqual([]);
  });

  it('warns about character and token truncation with the numbers', () => {
    const notices = sentimentNotices(
      response({
        charsTruncated: true,
        originalLength: 60_000,
        tokensTruncated: true,
        tokenCount: 9_876,
        maxTokens: 400,
        truncation: 'head-tail',
      }),
      false,
    );
    expect(notices.map((n) => n.kind)).toEqual(['truncated', 'tokens-truncated']);
    expect(notices[0]!.message).toContain('60,000 characters; only the first 50,000 were read');
    expect(notices[1]!.message).toContain(
      'at most 400 tokens and this text has 9,876: its first and last halves were kept',
    );
    expect(notices.every((n) => n.level === 'warning')).toBe(true);
  });

  it('groups unknown tokens into emoji, other scripts and unseen words', () => {
    const notices = sentimentNotices(
      response({
        unknown: ['😍', 'фильм', 'zorblaxed', '🍿', 'snorf'],
        unknownIds: 5,
        tokens: ['i', '😍', 'фильм', 'zorblaxed', '🍿', 'snorf'],
      }),
      false,
    );
    const byKind = Object.fromEntries(notices.map((n) => [n.kind, n.message]));
    expect(Object.keys(byKind)).toEqual(['emoji', 'script', 'unknown']);
    expect(byKind.emoji).toBe("Emoji are not in the model's vocabulary: 😍 and 🍿 (read as unknown tokens).");
    expect(byKind.script).toContain('“фильм”');
    expect(byKind.unknown).toContain('2 words the model never saw in training: “zorblaxed” and “snorf”');
  });

  it('warns when every token is unknown', () => {
    const notices = sentimentNotices(response({ tokens: ['映画'], unknown: ['映画'], unknownIds: 1 }), false);
    expect(notices.map((n) => n.kind)).toEqual(['script', 'all-unknown']);
  });
});

describe('prefixNotices', () => {
  const info = { unknown: [], droppedUnknown: false, contextTruncated: false, contextChars: 400 };

  it('explains the empty prefix', () => {
    expect(prefixNotices('  ', null, 'character').map((n) => n.kind)).toEqual(['empty']);
    expect(prefixNotices('to be', info, 'character')).toEqual([]);
  });

  it('reports a cut context and dropped characters', () => {
    const notices = prefixNotices(
      'x'.repeat(900),
      { ...info, contextTruncated: true, unknown: ['😀', 'ж'], droppedUnknown: true },
      'character',
    );
    expect(notices.map((n) => n.kind)).toEqual(['context', 'emoji', 'script']);
    expect(notices[0]!.message).toContain('last 400 characters');
    expect(notices[1]!.message).toContain('(left out)');
  });
});
