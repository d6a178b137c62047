import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../lib/sentences';

describe('splitSentences', () => {
  it('splits at . ! ? … before a capital, a digit or a quote, and at every line break', () => {
    expect(
      splitSentences('Ein Mann läuft. Zwei Hunde spielen! Wo ist die Katze? 3 Kinder lachen…  "Hallo" sagt er.'),
    ).toEqual(['Ein Mann läuft.', 'Zwei Hunde spielen!', 'Wo ist die Katze?', '3 Kinder lachen…', '"Hallo" sagt er.']);
    expect(splitSentences('A dog runs\nA cat sleeps.\r\n\r\nTwo men talk')).toEqual([
      'A dog runs',
      'A cat sleeps.',
      'Two men talk',
    ]);
  });

  it('keeps abbreviations, initials, German ordinals, decimals and lower-case continuations inside a sentence', () => {
    expect(splitSentences('Dr. Smith und Mr. Jones gehen z.B. mit J. Doe am 3. Mai spazieren. Es regnet.')).toEqual([
      'Dr. Smith und Mr. Jones gehen z.B. mit J. Doe am 3. Mai spazieren.',
      'Es regnet.',
    ]);
    expect(splitSentences('It costs 3.50 dollars. then more. Okay')).toEqual([
      'It costs 3.50 dollars. then more.',
      'Okay',
    ]);
    expect(splitSentences('He said "Stop." Then he left.')).toEqual(['He said "Stop."', 'Then he left.']);
  });

  it('drops empty and blank sentences; whitespace-only text has none', () => {
    expect(splitSentences('   \n\t ')).toEqual([]);
    expect(splitSentences('')).toEqual([]);
    expect(splitSentences('  Ein Satz ohne Punkt  ')).toEqual(['Ein Satz ohne Punkt']);
  });
});
