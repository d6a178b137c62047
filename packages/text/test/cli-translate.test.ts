import { afterAll, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSafetensors } from '@recurrent/core';
import { loadModelDir, runTraining } from '@recurrent/core/node';
import { runCli } from '../src/cli/main.js';
import {
  defaultTranslateConfig,
  evaluateTranslator,
  inputLines,
  saveTranslatorDir,
  TrainingInterrupted,
  translationData,
  translationTask,
  type TranslateTrainConfig,
} from '../src/node.js';
import { Translator } from '../src/index.js';
import { captureCli } from '@recurrent/test-support';

const root = mkdtempSync(join(tmpdir(), 'recurrent-text-translate-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const cli = (stdin: string | undefined, ...argv: string[]) =>
  captureCli((io) => runCli(argv, io), stdin === undefined ? {} : { stdin });

const SUBJECTS: [string, string][] = [
  ['ein mann', 'a man'],
  ['eine frau', 'a woman'],
  ['ein hund', 'a dog'],
  ['zwei kinder', 'two children'],
];
const VERBS: [string, string][] = [
  ['läuft', 'runs'],
  ['schläft', 'sleeps'],
  ['spielt', 'plays'],
  ['isst', 'eats'],
];

/** A tiny Multi30k folder (de, en) in the shared/data layout: 16 train pairs, 4 val, 4 test. */
function fakeMulti30k(): string {
  const dir = join(root, 'data');
  const plain = join(dir, 'multi30k', 'plain');
  mkdirSync(plain, { recursive: true });
  const pairs = SUBJECTS.flatMap(([sd, se]) =>
    VERBS.map(([vd, ve]): [string, string] => [`${sd} ${vd} .`, `${se} ${ve} .`]),
  );
  const write = (split: string, items: [string, string][]): void => {
    writeFileSync(join(plain, `${split}.de`), `${items.map((p) => p[0]).join('\n')}\n`);
    writeFileSync(join(plain, `${split}.en`), `${items.map((p) => p[1]).join('\n')}\n`);
  };
  write('train', pairs);
  write('val', [pairs[0]!, pairs[5]!, pairs[10]!, pairs[15]!]);
  write('test_2016_flickr', [pairs[1]!, pairs[6]!, pairs[11]!, pairs[12]!]);
  return dir;
}

const data = fakeMulti30k();

const TINY = {
  pair: 'de-en',
  vocabSize: 48,
  checkLineCounts: false,
  batchSize: 4,
  epochs: 2,
  lr: 0.01,
  validBatchSize: 2,
  checkpointEvery: 3,
  weightStorage: 'float32',
  architecture: { embeddingDim: 8, encoderHidden: 8, decoderHidden: 12, attentionSize: 8, dropout: 0.2 },
};

describe('train translate / translate / eval translate', () => {
  const model = join(root, 'model');
  const configPath = join(root, 'tiny.json');
  writeFileSync(configPath, JSON.stringify(TINY));

  it('trains a tiny model: joint BPE saved, validation BLEU per epoch, a translator directory', async () => {
    const t = await cli(
      undefined,
      'train',
      'translate',
      '--out',
      model,
      '--config',
      configPath,
      '--data-dir',
      data,
      '--no-test',
    );
    expect(t.code, t.err).toBe(0);
    expect(t.err).toMatch(/joint BPE: \d+ tokens learned on 32 sentences/);
    expect(t.err).toMatch(/epoch 2 step 8: train loss [\d.]+, valid bleu [\d.]+/);
    expect(t.out).toMatch(/best validation \{"bleu":/);
    for (const f of ['config.json', 'model.safetensors', 'tokenizer.json', 'metrics.json', 'checkpoint.safetensors'])
      expect(existsSync(join(model, f)), f).toBe(true);
    const config = JSON.parse(readFileSync(join(model, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ kind: 'translator', languages: { source: 'de', target: 'en' } });
    expect(config.training.command).toContain('recurrent-text train translate --out');
    expect(config.training.config.pair).toBe('de-en');
    const metrics = JSON.parse(readFileSync(join(model, 'metrics.json'), 'utf8'));
    // The saved model's record: validations up to its (best) epoch; both epochs were validated (the log above).
    expect([1, 2]).toContain(metrics.best.epoch);
    expect(metrics.history).toHaveLength(metrics.best.epoch);
    expect(Object.keys(metrics.valid).sort()).toEqual(['bleu', 'bleuCased13a', 'chrf', 'loss']);
    const bleus = metrics.history.map((h: { metrics: { bleu: number } }) => h.metrics.bleu);
    expect(metrics.best.metrics.bleu).toBe(Math.max(...bleus));
    // A finished run resumes as a no-op.
    const again = await cli(
      undefined,
      'train',
      'translate',
      '--out',
      model,
      '--data-dir',
      data,
      '--resume',
      '--no-test',
    );
    expect(again.code, again.err).toBe(0);
  });

  it('translate: one line out per line in, in order, empty lines kept; --json; timings on stderr only', async () => {
    const input = 'ein mann läuft .\n\neine frau schläft .\nzwei kinder spielen .\n';
    const r = await cli(input, 'translate', '--model', model, '--greedy');
    expect(r.code, r.err).toBe(0);
    const lines = r.out.split('\n');
    expect(lines).toHaveLength(5); // four lines and the final newline
    expect(lines[1]).toBe('');
    expect(lines[4]).toBe('');
    expect(r.err).toMatch(/translated 4 lines in [\d.]+ s .*greedy/);
    // Same translations one line at a time (batching does not change them).
    for (const [i, line] of inputLines(input).entries()) {
      const one = await cli(`${line}\n`, 'translate', '--model', model, '--greedy');
      expect(one.out).toBe(`${lines[i]}\n`);
    }
    const beam = await cli(input, 'translate', '--model', model, '--beam', '3', '--alpha', '1', '--json');
    expect(beam.code, beam.err).toBe(0);
    const records = beam.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.map((x) => x.line)).toEqual([1, 2, 3, 4]);
    expect(records[1]).toMatchObject({ text: '', tokens: [], attention: [] });
    for (const rec of [records[0], records[2], records[3]]) {
      expect(rec.tokens.length + 1).toBe(rec.attention.length);
      expect(rec.tokenProbabilities).toHaveLength(rec.attention.length);
      for (const row of rec.attention) expect(row.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 5);
      expect(rec.nBest.length).toBeGreaterThanOrEqual(1);
      expect(rec.nBest.length).toBeLessThanOrEqual(3);
      expect(rec.nBest[0].text).toBe(rec.text);
      expect(typeof rec.timings.totalMs).toBe('number');
    }
  });

  it('bad lines (2,000 words, control characters, other script, only controls) get a line each', async () => {
    const huge = Array.from({ length: 2000 }, (_, i) => (i % 2 ? 'mann' : 'läuft')).join(' ');
    const input = [huge, 'ein\u0007 hund\u0000 läuft .', '这是一个测试', '\u0001\u0002', 'ein hund isst .'].join('\n');
    const r = await cli(input, 'translate', '--model', model, '--greedy');
    expect(r.code, r.err).toBe(0);
    const lines = r.out.split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[3]).toBe(''); // nothing left after removing the control characters
    expect(r.err).toMatch(/line 1: source truncated: [\d,]+ subwords, 400 read \(the first kept\)/);
    expect(r.err).toMatch(/line 3: characters unknown to the model \(left as <unk>\): 这/);
    expect(r.err).not.toMatch(/error/);
  });

  it('a line that throws gets an error on stderr and an empty line; the others are translated', async () => {
    const original = Translator.prototype.translateBatch;
    const spy = vi.spyOn(Translator.prototype, 'translateBatch').mockImplementation(function (
      this: Translator,
      texts,
      options,
    ) {
      if (texts.some((t) => t.includes('BOOM'))) throw new Error('simulated failure');
      return original.call(this, texts, options);
    });
    const single = Translator.prototype.translate;
    const spyOne = vi.spyOn(Translator.prototype, 'translate').mockImplementation(function (
      this: Translator,
      text,
      options,
    ) {
      if (text.includes('BOOM')) throw new Error('simulated failure');
      return single.call(this, text, options);
    });
    try {
      const input = 'ein mann läuft .\nBOOM\neine frau isst .\n';
      const plain = await cli(input, 'translate', '--model', model, '--greedy');
      expect(plain.code, plain.err).toBe(0);
      const lines = plain.out.split('\n');
      expect(lines).toHaveLength(4);
      expect(lines[1]).toBe('');
      expect(lines[0]!.length).toBeGreaterThan(0);
      expect(plain.err).toMatch(/line 2: error: simulated failure/);
      expect(plain.err).toMatch(/translated 3 lines .*; 1 failed/);
      const json = await cli(input, 'translate', '--model', model, '--greedy', '--json');
      const records = json.out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(records[1]).toEqual({ line: 2, error: 'simulated failure' });
      expect(records[2].line).toBe(3);
    } finally {
      spy.mockRestore();
      spyOne.mockRestore();
    }
  });

  it('eval translate: anchor BLEU, cased 13a BLEU, chrF, time; --write stores them by split/decoding', async () => {
    const e = await cli(
      undefined,
      'eval',
      'translate',
      '--model',
      model,
      '--data-dir',
      data,
      '--split',
      'val',
      '--write',
    );
    expect(e.code, e.err).toBe(0);
    expect(e.out).toMatch(/Multi30k de-en val, 4 of 4 sentences, beam 5, α 0.6/);
    expect(e.out).toMatch(/BLEU \(lowercased, \\w\+\|\[\^\\w\\s\] tokens\)\s+[\d.]+/);
    expect(e.out).toMatch(/BLEU \(cased, 13a\)\s+[\d.]+/);
    expect(e.out).toMatch(/chrF2\s+[\d.]+/);
    expect(e.out).toMatch(/time\s+[\d.]+ s/);
    const g = await cli(undefined, 'eval', 'translate', '--model', model, '--data-dir', data, '--greedy', '--write');
    expect(g.code, g.err).toBe(0);
    expect(g.out).toMatch(/test_2016_flickr, 4 of 4 sentences, greedy/);
    const metrics = JSON.parse(readFileSync(join(model, 'metrics.json'), 'utf8'));
    expect(Object.keys(metrics.val.beam5).sort()).toEqual(
      ['bleu', 'bleuCased13a', 'brevityPenalty', 'chrf', 'decoding', 'seconds', 'sentences'].sort(),
    );
    expect(metrics.test_2016_flickr.greedy.sentences).toBe(4);
    expect(metrics.history.length).toBeGreaterThan(0); // the training record is kept
    expect(metrics.history).toHaveLength(metrics.best.epoch);
  });

  it('evaluateTranslator reports its progress (sentences done of all) after every batch', () => {
    const translator = loadModelDir(model);
    if (!(translator instanceof Translator)) throw new Error('not a translator');
    const pairs = translationData({ ...defaultTranslateConfig(), ...TINY } as TranslateTrainConfig, {
      dataDir: data,
    }).valid;
    const seen: [number, number][] = [];
    evaluateTranslator(translator, pairs, { method: 'greedy', batchSize: 3, progress: (d, n) => seen.push([d, n]) });
    expect(seen).toEqual([
      [3, 4],
      [4, 4],
    ]);
  });

  it('eval translate without training info: the pair comes from "languages", else an error says so', async () => {
    const trained = loadModelDir<Translator>(model);
    const named = join(root, 'named');
    saveTranslatorDir(named, trained, { languages: { source: 'de', target: 'en' } });
    // The de side was read (languages) and, with no training config, the documented line counts are checked.
    const counted = await cli(undefined, 'eval', 'translate', '--model', named, '--data-dir', data, '--split', 'val');
    expect(counted.code).toBe(1);
    expect(counted.err).toMatch(/multi30k\/plain\/val\.de: 4 lines, expected 1014/);
    const anonymous = join(root, 'anonymous');
    saveTranslatorDir(anonymous, trained);
    const bad = await cli(undefined, 'eval', 'translate', '--model', anonymous, '--data-dir', data);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/anonymous\/config\.json: training\.config\.pair or languages must name a Multi30k pair/);
  });

  it('bad arguments and inputs: exit codes and messages', async () => {
    const cases: [string[], string | undefined, number, RegExp][] = [
      [['translate'], '', 2, /translate needs --model <dir>/],
      [['translate', '--model', model, 'ein', 'mann'], '', 2, /reads sentences from standard input/],
      [['translate', '--model', model], undefined, 2, /reads sentences from standard input/],
      [['translate', '--model', model, '--beam', '0'], '', 2, /--beam/],
      [['translate', '--model', model, '--greedy', '--beam', '3'], '', 2, /do not combine it with --beam/],
      [['translate', '--model', model, '--wings', '2'], '', 2, /unknown option for 'translate': --wings/],
      [['translate', '--model', join(root, 'nope')], 'x\n', 1, /nope\/config\.json: missing/],
      [['eval', 'translate', '--model', model, '--data-dir', data, '--split', 'dev'], undefined, 2, /--split must be/],
      [['train', 'translate', '--out', join(root, 'x'), '--pair', 'xx-yy'], undefined, 1, /pair must be one of/],
      [['train', 'translate', '--out', join(root, 'x'), '--label-smoothing', '1'], undefined, 1, /labelSmoothing/],
      [['train', 'translate', '--out', join(root, 'x'), '--cell', 'rnn'], undefined, 1, /cell must be one of/],
    ];
    for (const [argv, stdin, code, message] of cases) {
      const r = await cli(stdin, ...argv);
      expect(r.code, argv.join(' ')).toBe(code);
      expect(r.err, argv.join(' ')).toMatch(message);
    }
  });

  it('a killed run resumes to bit-identical weights, history and model (dropout, warmup-cosine)', () => {
    const config = {
      ...defaultTranslateConfig(),
      ...TINY,
      lrSchedule: 'warmup-cosine',
      warmupSteps: 2,
      architecture: { ...defaultTranslateConfig().architecture, ...TINY.architecture },
    } as TranslateTrainConfig;
    const quiet = { log: () => {}, progress: null };
    const load = (c: TranslateTrainConfig) => translationData(c, { dataDir: data });
    const straight = join(root, 'straight');
    const r1 = runTraining(translationTask, config, load, { outDir: straight, ...quiet });
    expect(r1.trainer.step).toBe(8);
    const weights = (dir: string) => {
      const t = decodeSafetensors(readFileSync(join(dir, 'checkpoint.safetensors'))).tensors;
      return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, Array.from(v.data)]));
    };
    for (const stopAt of [3, 6]) {
      const killed = join(root, `killed-${stopAt}`);
      expect(() =>
        runTraining(translationTask, config, load, { outDir: killed, ...quiet, stopAfterStep: stopAt }),
      ).toThrow(TrainingInterrupted);
      const r2 = runTraining(translationTask, config, load, { outDir: killed, ...quiet, resume: true });
      expect(r2.trainer.step).toBe(8);
      expect(r2.trainer.history.map((h) => h.metrics)).toEqual(r1.trainer.history.map((h) => h.metrics));
      expect(weights(killed)).toEqual(weights(straight));
      for (const f of ['model.safetensors', 'tokenizer.json'])
        expect(readFileSync(join(killed, f)), f).toEqual(readFileSync(join(straight, f)));
    }
  });
});
