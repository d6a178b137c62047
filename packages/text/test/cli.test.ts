import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../src/cli/main.js';
import { parseArgs, UsageError } from '../src/cli/args.js';
import { captureCli } from '@recurrent/test-support';

const root = mkdtempSync(join(tmpdir(), 'recurrent-text-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  return cliWithInput(undefined, ...argv);
}

/** Run the CLI with `stdin` as standard input (undefined: no input at all). */
const cliWithInput = (stdin: string | undefined, ...argv: string[]) =>
  captureCli((io) => runCli(argv, io), stdin === undefined ? {} : { stdin });

/** A tiny SST-2 folder in the shared/data layout. */
function fakeData(): string {
  const dir = join(root, 'data');
  const pos = [
    'a great film',
    'wonderful acting',
    'great , moving story',
    'a wonderful film',
    'moving and great',
    'truly wonderful',
  ];
  const neg = [
    'a terrible film',
    'boring acting',
    'dull , boring story',
    'a terrible mess',
    'boring and dull',
    'truly terrible',
  ];
  mkdirSync(join(dir, 'sst2', 'glue'), { recursive: true });
  mkdirSync(join(dir, 'sst2', 'sentence-level'), { recursive: true });
  writeFileSync(
    join(dir, 'sst2', 'glue', 'train.tsv'),
    `sentence\tlabel\n${[...pos.map((t) => `${t} \t1`), ...neg.map((t) => `${t} \t0`)].join('\n')}\n`,
  );
  const lines = (items: [string, number][]): string => `${items.map(([t, l]) => `${l} ${t}`).join('\n')}\n`;
  writeFileSync(
    join(dir, 'sst2', 'sentence-level', 'stsa.binary.train'),
    lines([...pos.map((t): [string, number] => [t, 1]), ...neg.map((t): [string, number] => [t, 0])]),
  );
  writeFileSync(
    join(dir, 'sst2', 'sentence-level', 'stsa.binary.dev'),
    lines([
      ['great story', 1],
      ['terrible story', 0],
    ]),
  );
  writeFileSync(
    join(dir, 'sst2', 'sentence-level', 'stsa.binary.test'),
    lines([
      ['a great story', 1],
      ['a boring film', 0],
      ['wonderful', 1],
      ['dull mess', 0],
    ]),
  );
  return dir;
}

describe('recurrent-text CLI', () => {
  it('argument errors exit with code 2 and a clear message', async () => {
    expect((await cli()).code).toBe(2);
    expect((await cli('help')).code).toBe(0);
    const cases: [string[], RegExp][] = [
      [['fly'], /unknown command 'fly'/],
      [['train'], /missing <task>/],
      [['train', 'cifar', '--out', 'x'], /unknown task 'cifar'/],
      [['train', 'sst2'], /needs --out/],
      [['train', 'sst2', '--out', 'x', '--epochs', 'many'], /--epochs must be a number/],
      [['train', 'sst2', '--out', 'x', '--wings', '2'], /unknown option for 'train': --wings/],
      [
        ['train', 'sst2', '--out', 'x', '--resume', '--epochs', '2'],
        /--resume continues with the checkpoint's own config/,
      ],
      [['train', 'sst2', '--out', 'x', '--config', join(root, 'nope.json')], /no such file/],
      [['train', 'sst2', '--out'], /--out needs a value/],
      [['predict', '--model', 'x'], /needs at least one text/],
      [['tasks', 'sst2'], /tasks takes no arguments/],
      [['train', 'charlm', '--out', 'x', '--pooling', 'max'], /unknown option for 'train': --pooling/],
      [['eval', 'imdb', '--model', 'x', '--limit', '2'], /unknown option for 'eval': --limit/],
      [['generate', '--model', 'x', 'hello'], /no positional arguments/],
      [['generate', '--model', 'x', '--top-p', '2'], /--top-p must be at most 1/],
      [['generate', '--model', 'x', '--stop', ''], /--stop needs a non-empty text/],
      [['eval', 'sst2'], /needs --model/],
    ];
    for (const [argv, pattern] of cases) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err, argv.join(' ')).toMatch(pattern);
    }
    expect(() => parseArgs(['--a', '1', '--a', '2'], new Set())).toThrow(UsageError);
  });

  it('help and tasks list the registered tasks, one line each', async () => {
    const tasks = await cli('tasks');
    expect(tasks.code).toBe(0);
    const lines = tasks.out.trim().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(['sst2', 'imdb', 'charlm', 'wordlm', 'translate']);
    for (const line of lines) expect(line).toMatch(/^\w+\s+\S.{20,}$/);
    const help = await cli('help');
    for (const line of lines) expect(help.out).toContain(line);
    expect(help.out).toMatch(/recurrent-text predict --model <dir>/);
  });

  it('a bad RECURRENT_THREADS is a usage error naming the value', async () => {
    const before = process.env.RECURRENT_THREADS;
    process.env.RECURRENT_THREADS = 'two';
    try {
      const r = await cli('predict', '--model', 'nowhere', 'text');
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/RECURRENT_THREADS must be a positive integer, got "two"/);
    } finally {
      if (before === undefined) delete process.env.RECURRENT_THREADS;
      else process.env.RECURRENT_THREADS = before;
    }
  });

  it('config errors from a --config file name the key', async () => {
    const path = join(root, 'bad.json');
    writeFileSync(path, JSON.stringify({ epochs: 'two' }));
    const r = await cli('train', 'sst2', '--out', join(root, 'bad'), '--config', path, '--data-dir', fakeData());
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/'epochs' must be a number/);
  });

  it('train → predict → eval (with lexicon baselines) → resume of a finished run, on a tiny data folder', async () => {
    const data = fakeData();
    const out = join(root, 'sst2-model');
    const args = [
      '--data-dir',
      data,
      '--epochs',
      '2',
      '--batch-size',
      '4',
      '--embedding-dim',
      '8',
      '--hidden-size',
      '6',
      '--pooling',
      'max',
      '--lr',
      '0.01',
    ];
    const t = await cli('train', 'sst2', '--out', out, ...args);
    expect(t.code, t.err).toBe(0);
    expect(t.out).toMatch(/test accuracy \d+\.\d % on 4/);
    expect(t.err).toMatch(/epoch 2 step 6: train loss/);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(config.training.command).toContain('recurrent-text train sst2 --out');
    expect(config.package).toBe('@recurrent/text');
    const trainMetrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    const accuracies = trainMetrics.history.map((h: { metrics: { accuracy: number } }) => h.metrics.accuracy);
    expect(trainMetrics.best.metrics.accuracy).toBe(Math.max(...accuracies));
    expect(trainMetrics.valid).toEqual(trainMetrics.best.metrics);
    expect(trainMetrics.parameters).toBeGreaterThan(100);
    expect(trainMetrics.command).toBe(config.training.command);
    expect(config.architecture.hiddenSize).toBe(6);
    const p = await cli('predict', '--model', out, '--json', 'a great film', 'zebra');
    expect(p.code).toBe(0);
    const [first, second] = p.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(first.trajectory).toHaveLength(3);
    expect(second.unknown).toEqual(['zebra']);
    const piped = await cliWithInput('a great film\n\nzebra\n', 'predict', '--model', out, '--json');
    expect(piped.code, piped.err).toBe(0);
    expect(piped.out).toBe(p.out); // the same two texts, one per line on stdin (blank lines skipped)
    const empty = await cliWithInput('\n', 'predict', '--model', out);
    expect(empty.code).toBe(2);
    expect(empty.err).toMatch(/texts on standard input/);
    const e = await cli('eval', 'sst2', '--model', out, '--data-dir', data, '--write');
    expect(e.code, e.err).toBe(0);
    expect(e.out).toMatch(/AFINN \(npm sentiment 5\.0\.2, score > 0\)\s+\d+\.\d %/);
    expect(e.out).toMatch(/VADER \(npm vader-sentiment 1\.1\.3, compound ≥ 0\)\s+\d+\.\d %/);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.baselines.afinn.accuracy).toBe(1); // every test sentence carries an AFINN word of the right sign
    expect(metrics.test.count).toBe(4);
    const again = await cli('train', 'sst2', '--out', out, '--data-dir', data);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already holds a training run/);
    const resumed = await cli('train', 'sst2', '--out', out, '--data-dir', data, '--resume', '--no-test');
    expect(resumed.code, resumed.err).toBe(0);
    const wrong = await cli('generate', '--model', out);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toMatch(/holds a sentiment model/);
    const missing = await cli('predict', '--model', join(root, 'nothing'), 'hi');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/nothing\/config\.json: missing \(.*nothing: no such model directory\)/);
  });
});

describe('recurrent-text generate --stop', () => {
  it('ends the shipped character model’s text at the first match, the same seed’s text up to there', async () => {
    const model = join(fileURLToPath(new URL('..', import.meta.url)), 'models', 'charlm');
    const args = ['generate', '--model', model, '--prefix', 'ROMEO:', '--length', '120', '--seed', '3'];
    const free = await cli(...args);
    expect(free.code, free.err).toBe(0);
    const stop = free.out.slice(40, 43);
    const withStop = await cli(...args, '--stop', stop);
    expect(withStop.code, withStop.err).toBe(0);
    // the printed text is the prefix and the continuation, so a match may span the prefix's end
    const end = free.out.indexOf(stop, 'ROMEO:'.length - stop.length + 1) + stop.length;
    expect(withStop.out).toBe(`${free.out.slice(0, end)}\n`);
    expect(end).toBeLessThanOrEqual(43);
  });
});
