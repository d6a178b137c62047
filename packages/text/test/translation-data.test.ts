import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatError, ValueError } from '@recurrent/core';
import { findDataDir } from '@recurrent/core/node';
import { DatasetNotFoundError, MULTI30K_LINES, readMulti30k, readMulti30kSentences } from '../src/node.js';

const found = findDataDir();
const multi30k = found && existsSync(join(found, 'multi30k')) ? found : null;
if (!multi30k)
  console.warn(
    '[@recurrent/text] skipping the Multi30k tests: no multi30k data folder ' +
      '(set RECURRENT_DATA or place shared/data beside the checkout)',
  );

describe('Multi30k readers', () => {
  it.skipIf(!multi30k)('reads line-aligned de-en and en-fr pairs of every split with the documented counts', () => {
    const val = readMulti30k('val', 'de-en');
    expect(val.length).toBe(1014);
    expect(val[0]).toEqual({
      source: 'Eine Gruppe von Männern lädt Baumwolle auf einen Lastwagen',
      target: 'A group of men are loading cotton onto a truck',
    });
    const test = readMulti30k('test_2016_flickr', 'en-fr');
    expect(test.length).toBe(MULTI30K_LINES.test_2016_flickr);
    expect(test[0]!.source).toBe(readMulti30kSentences('test_2016_flickr', 'en')[0]);
    expect(test[0]!.target).toMatch(/^Un homme/);
    expect(readMulti30kSentences('train', 'fr').length).toBe(29_000);
  });

  it('rejects unknown pairs and splits, a missing folder, a short file and an empty line', () => {
    expect(() => readMulti30k('val', 'fr-de' as never)).toThrow(ValueError);
    expect(() => readMulti30k('test_2017_flickr' as never, 'de-en')).toThrow(
      /split must be one of train, val, test_2016_flickr/,
    );
    expect(() => readMulti30k('val', 'de-en', { dataDir: '/nonexistent/data' })).toThrow(DatasetNotFoundError);
    const dir = mkdtempSync(join(tmpdir(), 'multi30k-'));
    mkdirSync(join(dir, 'multi30k', 'plain'), { recursive: true });
    writeFileSync(join(dir, 'multi30k', 'plain', 'val.de'), 'Ein Hund.\nZwei Katzen.\n');
    writeFileSync(join(dir, 'multi30k', 'plain', 'val.en'), 'A dog.\n\n');
    expect(() => readMulti30k('val', 'de-en', { dataDir: dir })).toThrow(/2 lines, expected 1014/);
    expect(() => readMulti30k('val', 'de-en', { dataDir: dir, checkLineCount: false })).toThrow(FormatError);
    expect(() => readMulti30k('val', 'de-en', { dataDir: dir, checkLineCount: false })).toThrow(
      /val.en: line 2 is empty/,
    );
  });
});
