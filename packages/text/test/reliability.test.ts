// Issue 17's failure classes through recurrent-text (sst2, charlm, translate): each class once, on the shipped
// models (copied to a temp dir) and tiny data folders.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_SEED } from '@recurrent/core';
import { RUN_LOCK_FILE } from '@recurrent/core/node';
import { captureCli, firstTensorOfDtype, relabelSafetensorsDtype, runAndSignal } from '@recurrent/test-support';
import { runCli } from '../src/cli/main.js';
import { evaluateClassifier, evaluateLanguageModel, loadModelDir } from '../src/node.js';
import { LanguageModel, SentimentClassifier } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const shipped = join(here, '..', 'models');
const root = mkdtempSync(join(tmpdir(), 'recurrent-text-reliability-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const cli = (...argv: string[]) => captureCli((io) => runCli(argv, io));
let dirs = 0;
const freshDir = (): string => join(root, `d${dirs++}`);

/** A copy of a shipped model directory (tests may damage it). */
function shippedCopy(name: string): string {
  const dir = freshDir();
  cpSync(join(shipped, name), dir, { recursive: true });
  return dir;
}

/** A tiny data folder: SST-2 (GLUE train, sentence-level splits), tinyshakespeare, Multi30k de-en. */
function tinyData(options: { sst2Train?: string; shakespeare?: string } = {}): string {
  const dir = freshDir();
  mkdirSync(join(dir, 'sst2', 'glue'), { recursive: true });
  mkdirSync(join(dir, 'sst2', 'sentence-level'), { recursive: true });
  const rows = ['a great film\t1', 'a dull film\t0', 'great fun\t1', 'boring mess\t0'];
  writeFileSync(join(dir, 'sst2', 'glue', 'train.tsv'), options.sst2Train ?? `sentence\tlabel\n${rows.join('\n')}\n`);
  for (const split of ['train', 'dev', 'test'])
    writeFileSync(join(dir, 'sst2', 'sentence-level', `stsa.binary.${split}`), '1 a great film\n0 a dull mess\n');
  mkdirSync(join(dir, 'tinyshakespeare'), { recursive: true });
  writeFileSync(join(dir, 'tinyshakespeare', 'input.txt'), options.shakespeare ?? 'To be or not to be.\n'.repeat(40));
  const plain = join(dir, 'multi30k', 'plain');
  mkdirSync(plain, { recursive: true });
  for (const split of ['train', 'val', 'test_2016_flickr']) {
    writeFileSync(join(plain, `${split}.de`), 'ein mann läuft .\neine frau schläft .\n');
    writeFileSync(join(plain, `${split}.en`), 'a man runs .\na woman sleeps .\n');
  }
  return dir;
}

const TINY_SST2 = ['--epochs', '1', '--batch-size', '2', '--embedding-dim', '4', '--hidden-size', '4', '--no-test'];

describe('recurrent-text: file-system shapes', () => {
  it('a directory where the weights belong, --out that is a file or under one: exit 1 naming the path', async () => {
    const model = shippedCopy('sst2');
    rmSync(join(model, 'model.safetensors'));
    mkdirSync(join(model, 'model.safetensors'));
    const p = await cli('predict', '--model', model, 'a great film');
    expect(p.code).toBe(1);
    expect(p.err).toMatch(new RegExp(`^error: ${model}/model\\.safetensors: is a directory, expected a file`));
    const g = await cli('generate', '--model', join(model, 'config.json'));
    expect(g.code).toBe(1);
    expect(g.err).toBe(
      `error: ${join(model, 'config.json')}: is a file, expected a saved model directory (config.json …)\n`,
    );
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    const data = tinyData();
    for (const out of [file, join(file, 'run')]) {
      const t = await cli('train', 'sst2', '--out', out, '--data-dir', data, ...TINY_SST2);
      expect(t.code, t.err).toBe(1);
      expect(t.err).toMatch(
        new RegExp(`^error: output directory ${out}: (is a file|lies under ${file}, which is a file)`),
      );
    }
  });
});

describe('recurrent-text: trained models are not overwritten silently', () => {
  it('training into a copy of the shipped sst2 model is refused, naming --force and --resume', async () => {
    const model = shippedCopy('sst2');
    const before = readFileSync(join(model, 'model.safetensors'));
    const data = tinyData();
    const t = await cli('train', 'sst2', '--out', model, '--data-dir', data, ...TINY_SST2);
    expect(t.code).toBe(1);
    expect(t.err).toMatch(/already holds a trained model \(config\.json, model\.safetensors\).*--force.*--resume/);
    expect(readFileSync(join(model, 'model.safetensors')).equals(before)).toBe(true); // toEqual is slow on 6.5 MB
    const forced = await cli('train', 'sst2', '--out', model, '--data-dir', data, ...TINY_SST2, '--force');
    expect(forced.code, forced.err).toBe(0);
    expect(JSON.parse(readFileSync(join(model, 'config.json'), 'utf8')).architecture.hiddenSize).toBe(4);
  });
});

describe('recurrent-text: integer-stored weights', () => {
  it('sentiment and language models name the file, tensor, expected and stored dtype', async () => {
    for (const [name, command] of [
      ['sst2', ['predict', 'a great film']],
      ['charlm', ['generate', '--length', '5']],
    ] as const) {
      const model = shippedCopy(name);
      const path = join(model, 'model.safetensors');
      const bytes = new Uint8Array(readFileSync(path));
      const tensor = firstTensorOfDtype(bytes, 'F32');
      writeFileSync(path, relabelSafetensorsDtype(bytes, tensor, 'F32', 'I32'));
      const [cmd, ...rest] = command;
      const r = await cli(cmd, '--model', model, ...rest);
      expect(r.code, r.err).toBe(1);
      expect(r.err).toContain(`error: ${model}/model.safetensors: tensor '${tensor}' is stored as I32, expected F32`);
    }
  });
});

describe('recurrent-text: options that do not apply', () => {
  it('flags and --config keys of another task are errors listing what the task accepts; one seed range', async () => {
    const flag = await cli('train', 'charlm', '--out', freshDir(), '--bidirectional');
    expect(flag.code).toBe(2);
    expect(flag.err).toMatch(/unknown option for 'train': --bidirectional \(train charlm accepts --out, .*--seq-len/);
    const pooling = await cli('train', 'translate', '--out', freshDir(), '--pooling', 'max');
    expect(pooling.err).toMatch(/unknown option for 'train': --pooling \(train translate accepts /);
    const config = join(root, 'lm.json');
    writeFileSync(config, JSON.stringify({ architecture: { pooling: 'max' } }));
    const c = await cli('train', 'charlm', '--out', freshDir(), '--config', config, '--data-dir', tinyData());
    expect(c.code).toBe(1);
    expect(c.err).toMatch(
      /^error: config: unknown key 'architecture\.pooling' for task charlm \(known architecture keys: /,
    );
    const seed = String(MAX_SEED + 1);
    const g = await cli('generate', '--model', join(shipped, 'charlm'), '--seed', seed);
    expect(g.code).toBe(2);
    expect(g.err).toMatch(`--seed must be an integer in [0, ${MAX_SEED}], got ${seed}`);
    const t = await cli('train', 'sst2', '--out', freshDir(), '--seed', seed, '--data-dir', tinyData());
    expect(t.code).toBe(1);
    expect(t.err).toMatch(`config: seed must be an integer in [0, ${MAX_SEED}], got ${seed}`);
  });
});

describe('recurrent-text: degenerate data', () => {
  it('a header-only training file and a corpus too small for one batch are refused; no model is saved', async () => {
    const empty = freshDir();
    const header = await cli(
      'train',
      'sst2',
      '--out',
      empty,
      '--data-dir',
      tinyData({ sst2Train: 'sentence\tlabel\n' }),
    );
    expect(header.code).toBe(1);
    expect(header.err).toMatch(
      /^error: sst2: the training set is empty \(SST-2: 0 GLUE train phrases \(sst2\/glue\/train\.tsv\)/,
    );
    expect(existsSync(join(empty, 'config.json'))).toBe(false);
    // 2,000 characters: one validation window of 100, but 1,800 training characters are less than a 32 × 100 batch.
    const shakespeare = 'To be or not to be.\n'.repeat(100);
    const small = await cli('train', 'charlm', '--out', freshDir(), '--data-dir', tinyData({ shakespeare }));
    expect(small.code).toBe(1);
    expect(small.err).toMatch(
      /^error: charlm: the training data gives 0 steps per epoch \(tinyshakespeare\/input\.txt/,
    );
    const tiny = await cli('train', 'charlm', '--out', freshDir(), '--data-dir', tinyData({ shakespeare: 'To be.\n' }));
    expect(tiny.err).toMatch(/^error: charlm: the validation set is empty \(tinyshakespeare\/input\.txt/);
  });
});

describe('recurrent-text: truncation notices say what was cut', () => {
  it('a single 128 KB word: characters cut, all tokens read (not "truncated to 100 tokens")', async () => {
    const r = await cli('predict', '--model', join(shipped, 'sst2'), '--no-trajectory', 'x'.repeat(128 * 1024));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('(input truncated: 131,072 characters cut to 50,000; all tokens read)');
    const long = await cli('predict', '--model', join(shipped, 'sst2'), '--no-trajectory', 'good '.repeat(150));
    expect(long.out).toContain('(input truncated: 150 tokens, 100 read (the first kept))');
  });
});

describe('recurrent-text: the run lock', () => {
  it('a second train or --resume on a directory whose run is alive is refused, naming its pid', async () => {
    const out = freshDir();
    mkdirSync(out);
    const owner = { pid: process.pid, host: hostname(), started: 'now', command: 'other' };
    writeFileSync(join(out, RUN_LOCK_FILE), JSON.stringify(owner));
    const r = await cli('train', 'sst2', '--out', out, '--data-dir', tinyData(), ...TINY_SST2);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^error: ${out} is in use by another training run: process ${process.pid} on `));
  });
});

describe('recurrent-text: Ctrl-C', () => {
  it('train sst2 sent SIGINT exits 130 with its checkpoint and the resume command', async () => {
    const out = freshDir();
    const data = tinyData();
    const bin = join(here, '..', 'src', 'cli', 'bin.ts');
    const args = ['train', 'sst2', '--out', out, '--data-dir', data, '--epochs', '100000', '--patience', '0'];
    const r = await runAndSignal({
      command: 'node',
      args: ['--conditions=@recurrent/source', '--import', 'tsx', bin, ...args, ...TINY_SST2.slice(2)],
      cwd: join(here, '..', '..', '..'),
      when: /epoch 3 step \d+: train loss/,
      signal: 'SIGINT',
    });
    expect(r.code, r.err).toBe(130);
    expect(r.err).toMatch(
      /SIGINT: training stopped after step (\d+); the checkpoint of step \1 is written; resume with:/,
    );
    expect(r.err).toContain(`\n  recurrent-text train sst2 --out ${out} --data-dir ${data} --resume\n`);
    expect(existsSync(join(out, 'checkpoint.safetensors'))).toBe(true);
    expect(existsSync(join(out, RUN_LOCK_FILE))).toBe(false);
  }, 60_000);
});

describe('recurrent-text: evaluation progress', () => {
  it('classifier, language-model and translation evaluations report their progress to the end', () => {
    const reports = (): { seen: [number, number][]; report: (d: number, n: number) => void } => {
      const seen: [number, number][] = [];
      return { seen, report: (d, n) => seen.push([d, n]) };
    };
    const sentiment = loadModelDir(join(shipped, 'sst2'));
    if (!(sentiment instanceof SentimentClassifier)) throw new Error('sst2 is not a sentiment model');
    const a = reports();
    evaluateClassifier(
      sentiment,
      [
        { text: 'a great film', label: 1 },
        { text: 'dull', label: 0 },
      ],
      a.report,
    );
    expect(a.seen.at(-1)).toEqual([2, 2]);
    const lm = loadModelDir(join(shipped, 'charlm'));
    if (!(lm instanceof LanguageModel)) throw new Error('charlm is not a language model');
    const b = reports();
    const ids = lm.tokenizer.encode('To be, or not to be, that is the question. '.repeat(4));
    evaluateLanguageModel(lm, ids, { batchSize: 2, seqLen: 16, progress: b.report });
    expect(b.seen.length).toBeGreaterThan(1);
    expect(b.seen.at(-1)).toEqual([b.seen.length, b.seen.length]);
    // The translator's evaluation: cli-translate.test.ts (it needs a trained translator).
  });
});
