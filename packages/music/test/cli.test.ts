import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MidiParser from 'midi-parser-js';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/node.js';
import { midiToNoteSequence } from '../src/index.js';
import { captureCli } from '@recurrent/test-support';
import { writeTinyMusicData } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'recurrent-music-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const cli = (...argv: string[]) => captureCli((io) => runCli(argv, io));

/** A tiny data folder in the shared/data layout (helpers.ts). */
const fakeData = (): string => writeTinyMusicData(join(root, 'data'));

describe('recurrent-music CLI', () => {
  it('usage errors exit with code 2 and say what is wrong', async () => {
    expect((await cli()).code).toBe(2);
    const cases: [string[], RegExp][] = [
      [['fly'], /unknown command 'fly'/],
      [['train', 'cifar', '--out', 'x'], /unknown task 'cifar' \(expected one of abc, jsb, nottingham/],
      [['train', 'jsb'], /needs --out/],
      [['train', 'jsb', '--out', 'x', '--wings', '2'], /unknown option for 'train': --wings/],
      [['eval', '--json'], /eval needs --model <dir>/],
      [['eval', 'jsb', '--json'], /eval needs --model/],
      [['generate', '--out', 'x.mid'], /generate needs --model/],
      [['generate', '--model', 'x'], /generate needs --out/],
      [['generate', '--model', 'x', '--out', 'x.wav'], /expected a \.mid file name/],
      [['generate', '--model', 'x', '--out', 'x.mid', '--steps', '0'], /--steps must be at least 1/],
    ];
    for (const [argv, pattern] of cases) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err, argv.join(' ')).toMatch(pattern);
    }
  });

  it('help lists every task', async () => {
    const help = await cli('help');
    expect(help.code).toBe(0);
    for (const task of ['abc', 'jsb', 'nottingham', 'musedata', 'piano-midi', 'jsb-nade'])
      expect(help.out).toMatch(new RegExp(`^  ${task} +\\S`, 'm'));
    expect(help.out).toMatch(/generate --model <dir> --out <file\.mid> \[--primer <file\.mid\|file\.abc>\]/);
  });

  it('train jsb → eval --json → generate a .mid (MIDI and ABC primers) → bad primers, tiny data', async () => {
    const data = fakeData();
    const out = join(root, 'jsb');
    const tiny = ['--data-dir', data, '--epochs', '2', '--batch-size', '2', '--hidden-size', '8', '--lr', '0.02'];
    const t = await cli('train', 'jsb', '--out', out, ...tiny);
    expect(t.code, t.err).toBe(0);
    expect(t.out).toMatch(/jsb test: \d+\.\d{4} nats per frame over 11 frames/);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.test).toMatchObject({ split: 'test', frames: 11 });
    expect(metrics.samples.statistics.pieces).toBe(16);
    expect(metrics.command).toContain('recurrent-music train jsb --out');

    const e = await cli('eval', '--model', out, '--json', '--data-dir', data);
    expect(e.code, e.err).toBe(0);
    const result = JSON.parse(e.out);
    expect(result).toMatchObject({ split: 'test', frames: 11, dataset: 'jsb', kind: 'piano-roll-rnn' });
    expect(result.nll_per_frame).toBeCloseTo(metrics.test.nll_per_frame, 10);
    const v = await cli('eval', 'jsb', '--model', out, '--split', 'valid', '--json', '--data-dir', data);
    expect(JSON.parse(v.out)).toMatchObject({ split: 'valid', frames: 7 });
    expect((await cli('eval', '--model', out, '--split', 'dev', '--data-dir', data)).err).toMatch(/--split must be/);

    const mid = join(root, 'out', 'sample.mid');
    const g = await cli('generate', '--model', out, '--out', mid, '--steps', '16', '--seed', '3');
    expect(g.code, g.err).toBe(0);
    expect(g.out).toMatch(/0 primer frames \+ 16 generated/);
    const bytes = new Uint8Array(readFileSync(mid));
    expect(() => MidiParser.parse(bytes)).not.toThrow();
    const seq = midiToNoteSequence(bytes);
    expect(seq.notes.length).toBeGreaterThan(0);
    const again = join(root, 'out', 'again.mid');
    await cli('generate', '--model', out, '--out', again, '--steps', '16', '--seed', '3');
    expect(readFileSync(again).equals(readFileSync(mid))).toBe(true);

    const primed = join(root, 'out', 'primed.mid');
    const p = await cli('generate', '--model', out, '--out', primed, '--primer', mid, '--steps', '4');
    expect(p.code, p.err).toBe(0);
    expect(p.out).toMatch(/16 primer frames \+ 4 generated/);
    const abc = join(root, 'primer.abc');
    writeFileSync(abc, 'X:1\nT:Primer\nM:4/4\nL:1/4\nK:C\nCEGc|\n');
    const pa = await cli('generate', '--model', out, '--out', primed, '--primer', abc, '--steps', '4');
    expect(pa.code, pa.err).toBe(0);
    expect(pa.out).toMatch(/4 primer frames \+ 4 generated/);

    const badMidi = join(root, 'bad.mid');
    writeFileSync(badMidi, 'this is not a MIDI file');
    const bm = await cli('generate', '--model', out, '--out', primed, '--primer', badMidi);
    expect(bm.code).toBe(1);
    expect(bm.err).toMatch(/bad\.mid/);
    const badAbc = join(root, 'bad.abc');
    writeFileSync(badAbc, 'X:1\nK:C\nhello world\n');
    const ba = await cli('generate', '--model', out, '--out', primed, '--primer', badAbc);
    expect(ba.code).toBe(1);
    expect(ba.err).toMatch(/bad\.abc: ABC error/);
    const none = await cli('generate', '--model', out, '--out', primed, '--primer', join(root, 'none.mid'));
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/none\.mid: no such file/);
    const txt = await cli('generate', '--model', out, '--out', primed, '--primer', join(root, 'x.txt'));
    expect(txt.err).toMatch(/expected a \.mid, \.midi or \.abc file/);
    const missing = await cli('eval', '--model', join(root, 'nothing'));
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/nothing: no such model directory/);
    const noModel = await cli('generate', '--model', join(root, 'nothing'), '--out', primed);
    expect(noModel.code).toBe(1);
  });

  it('train abc → eval --json reports nats/char and the playable share → generate prints the ABC', async () => {
    const data = fakeData();
    const out = join(root, 'abc');
    const tiny = ['--data-dir', data, '--epochs', '1', '--batch-size', '2', '--seq-len', '16', '--hidden-size', '8'];
    const t = await cli('train', 'abc', '--out', out, ...tiny, '--embedding-dim', '4', '--no-test');
    expect(t.code, t.err).toBe(0);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ kind: 'language-model', package: '@recurrent/text' });
    expect(config.training.config.task).toBe('abc');
    const e = await cli('eval', '--model', out, '--json', '--count', '2', '--data-dir', data);
    expect(e.code, e.err).toBe(0);
    const r = JSON.parse(e.out);
    expect(r).toMatchObject({ split: 'test', generated: 2, temperature: 1 });
    expect(r.nats_per_char).toBeGreaterThan(0);
    expect(r.valid_nats_per_char).toBeGreaterThan(0);
    expect(r.playable_share).toBeGreaterThanOrEqual(0);
    // A primer that is a whole tune: the continuation may or may not play, but the ABC text is printed first.
    const abc = join(root, 'tune.abc');
    writeFileSync(abc, 'X:1\nT:Primer\nM:4/4\nL:1/8\nK:D Major\n|:dAFA DFAd|fdcd FAdf|\n');
    const mid = join(root, 'folk.mid');
    const g = await cli('generate', '--model', out, '--out', mid, '--primer', abc, '--steps', '20');
    expect(g.out.startsWith('X:1\nT:Primer\n')).toBe(true);
    if (g.code === 0) expect(existsSync(mid)).toBe(true);
    else expect(g.err).toMatch(/generated tune/);
    const wrong = await cli('eval', 'jsb', '--model', out, '--data-dir', data);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toMatch(/holds the folk \(ABC\) model/);
  });
});
