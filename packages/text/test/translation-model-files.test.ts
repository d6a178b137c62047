import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeSafetensors, FormatError, loadModelFromFiles, Tensor } from '@recurrent/core';
import { loadModelDir } from '@recurrent/core/node';
import {
  DEFAULT_TRANSLATOR_ARCHITECTURE,
  stringifyTokenizer,
  Translator,
  translatorFiles,
  WordTokenizer,
} from '../src/index.js';
import { saveTranslatorDir } from '../src/node.js';
import { fixtureTokenizer } from './translation-fixture-tokenizer.js';

const root = mkdtempSync(join(tmpdir(), 'recurrent-translator-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const SMALL = {
  ...DEFAULT_TRANSLATOR_ARCHITECTURE,
  embeddingDim: 8,
  encoderHidden: 6,
  decoderHidden: 10,
  attentionSize: 7,
};

function smallModel(seed = 3): Translator {
  return new Translator(fixtureTokenizer(20), SMALL, { seed });
}

const SENTENCES = ['abc de', 'fgh', 'ab ab ab', ''];

describe('translator model kind', () => {
  it('loads in the browser (loadModelFromFiles) with float32 weights: identical weights and translations', () => {
    const model = smallModel();
    const files = translatorFiles(model, { storage: 'float32', languages: { source: 'de', target: 'en' } });
    const config = JSON.parse(files['config.json'] as string);
    expect(config).toMatchObject({ kind: 'translator', package: '@recurrent/text', tokenizer: 'tokenizer.json' });
    expect(config.weights).toEqual({ file: 'model.safetensors', dtype: 'float32' });
    const loaded = loadModelFromFiles<Translator>(files);
    expect(loaded).toBeInstanceOf(Translator);
    expect(loaded.training).toBe(false);
    const a = model.stateDict();
    const b = loaded.stateDict();
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    for (const k of Object.keys(a)) expect(Array.from(b[k]!.data), k).toEqual(Array.from(a[k]!.data));
    const opts = { method: 'beam' as const, beamSize: 3 };
    expect(loaded.translateBatch(SENTENCES, opts).map((r) => r.text)).toEqual(
      model.translateBatch(SENTENCES, opts).map((r) => r.text),
    );
  });

  it('float16 storage halves the file and loads within float16 rounding; parsed JSON files load too', () => {
    const model = smallModel();
    const f32 = translatorFiles(model, { storage: 'float32' });
    const f16 = translatorFiles(model, { storage: 'float16' });
    // The tensor data (after the 8-byte length and the JSON header) takes exactly half the bytes.
    const dataBytes = (x: string | Uint8Array): number => {
      if (typeof x === 'string') throw new Error('expected bytes');
      return x.byteLength - 8 - Number(new DataView(x.buffer, x.byteOffset).getBigUint64(0, true));
    };
    expect(2 * dataBytes(f16['model.safetensors'])).toBe(dataBytes(f32['model.safetensors']));
    const loaded = loadModelFromFiles<Translator>({
      ...f16,
      'config.json': JSON.parse(f16['config.json'] as string),
      'tokenizer.json': JSON.parse(f16['tokenizer.json'] as string),
    });
    const a = model.stateDict();
    const b = loaded.stateDict();
    for (const k of Object.keys(a)) {
      a[k]!.data.forEach((x, i) => {
        expect(Math.abs(b[k]!.data[i]! - x), k).toBeLessThanOrEqual(Math.abs(x) * 2 ** -11 + 2 ** -25);
      });
    }
  });

  it('saves a directory that core loadModelDir loads (Node)', () => {
    const model = smallModel(5);
    const dir = join(root, 'saved');
    saveTranslatorDir(dir, model, { storage: 'float16', metrics: { note: 1 } });
    const loaded = loadModelDir<Translator>(dir);
    expect(loaded).toBeInstanceOf(Translator);
    expect(loaded.architecture).toEqual(model.architecture);
    expect(JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8'))).toEqual({ note: 1 });
    expect(statSync(join(dir, 'model.safetensors')).size).toBeGreaterThan(0);
    const greedy = { method: 'greedy' as const };
    expect(loaded.translate('abc', greedy).text).toBe(loadModelDir<Translator>(dir).translate('abc', greedy).text);
  });

  it('malformed files are FormatErrors naming the file and the problem', () => {
    const model = smallModel();
    const good = translatorFiles(model, { storage: 'float32' });
    const config = JSON.parse(good['config.json'] as string);
    const withConfig = (patch: Record<string, unknown>) => ({
      ...good,
      'config.json': JSON.stringify({ ...config, ...patch }),
    });
    const cases: [Record<string, string | Uint8Array>, RegExp][] = [
      [
        { 'config.json': good['config.json'], 'model.safetensors': good['model.safetensors'] },
        /tokenizer\.json: missing/,
      ],
      [{ 'config.json': good['config.json'], 'tokenizer.json': good['tokenizer.json'] }, /model\.safetensors: missing/],
      [
        withConfig({ architecture: { ...config.architecture, cell: 'rnn' } }),
        /config\.json.*cell must be one of gru, lstm/,
      ],
      [
        withConfig({ architecture: { ...config.architecture, vocabSize: 21 } }),
        /vocabSize is 21 but tokenizer\.json has 20/,
      ],
      [withConfig({ architecture: { ...config.architecture, wings: 2 } }), /config\.json.*unknown key\(s\) wings/],
      [withConfig({ weights: { file: 'model.safetensors', dtype: 'int8' } }), /weights\.dtype must be one of float32/],
      [{ ...good, 'tokenizer.json': '{"type": "bpe"' }, /tokenizer\.json/],
      [
        { ...good, 'tokenizer.json': stringifyTokenizer(WordTokenizer.fromTexts(['a b c'])) },
        /tokenizer\.json: a translator needs a joint BPE tokenizer, got a word tokenizer/,
      ],
      [{ ...good, 'model.safetensors': new Uint8Array([1, 2, 3]) }, /model\.safetensors/],
      [
        {
          ...good,
          'model.safetensors': translatorFiles(new Translator(fixtureTokenizer(20), { ...SMALL, decoderHidden: 12 }))[
            'model.safetensors'
          ],
        },
        /model\.safetensors.*shape/,
      ],
    ];
    for (const [files, message] of cases) {
      let error: unknown;
      try {
        loadModelFromFiles(files);
      } catch (e) {
        error = e;
      }
      expect(error, String(message)).toBeInstanceOf(FormatError);
      expect((error as Error).message).toMatch(message);
    }
    // A non-finite weight.
    const state = model.stateDict();
    const poisoned = {
      ...state,
      'bridge.bias': new Tensor(
        state['bridge.bias']!.data.map(() => Number.NaN),
        state['bridge.bias']!.shape,
      ),
    };
    const nan = { ...good, 'model.safetensors': encodeSafetensors(poisoned) };
    expect(() => loadModelFromFiles(nan)).toThrow(/model\.safetensors.*bridge\.bias.*non-finite/);
    // A directory: the error names it.
    const dir = join(root, 'broken');
    saveTranslatorDir(dir, model);
    writeFileSync(join(dir, 'model.safetensors'), 'nope');
    expect(() => loadModelDir(dir)).toThrow(FormatError);
    expect(() => loadModelDir(dir)).toThrow(new RegExp(`${dir}/model\\.safetensors`));
  });
});
