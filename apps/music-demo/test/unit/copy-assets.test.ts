import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rollFromPitchLists, sliceRoll, splitAbcTunes, rollToPitchLists } from '@recurrent/music';
import { abcDefaults, readAbcData, readPianoRollDataset } from '@recurrent/music/node';
import { afterAll, describe, expect, it } from 'vitest';
import type { Manifest, PrimerLibrary } from '../../lib/protocol';

const appDir = fileURLToPath(new URL('../..', import.meta.url));
const target = mkdtempSync(join(tmpdir(), 'music-copy-assets-'));
afterAll(() => rmSync(target, { recursive: true, force: true }));

describe('scripts/copy-assets.ts', () => {
  it('copies the shipped models with their cards, primers from the test splits, and the JSB data', () => {
    const run = spawnSync('pnpm', ['exec', 'tsx', '--conditions=@recurrent/source', 'scripts/copy-assets.ts'], {
      cwd: appDir,
      env: { ...process.env, COPY_ASSETS_TARGET: target },
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(target, 'models', 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.models.map((m) => [m.name, m.family, m.files.length])).toEqual([
      ['jsb', 'roll', 2],
      ['jsb-nade', 'roll', 2],
      ['nottingham', 'roll', 2],
      ['abc', 'folk', 3],
    ]);
    expect(existsSync(join(target, 'models', 'abc', 'tokenizer.json'))).toBe(true);

    const primers = JSON.parse(readFileSync(join(target, 'primers', 'primers.json'), 'utf8')) as PrimerLibrary;
    const jsbTest = readPianoRollDataset('jsb').test;
    expect(primers.roll.jsb?.length).toBe(4);
    for (const p of primers.roll.jsb ?? []) {
      const index = Number(p.id.replace('jsb-test-', ''));
      const piece = jsbTest[index];
      if (!piece) throw new Error(`${p.id}: no such test piece`);
      expect(p.pitches).toEqual(rollToPitchLists(sliceRoll(piece, 0, 16)));
      expect(rollFromPitchLists(p.pitches, p.id).frames).toBe(16);
    }
    expect(primers.roll.nottingham?.every((p) => p.pitches.length === 32)).toBe(true);
    const abcTest = readAbcData(abcDefaults()).test;
    expect(primers.abc.length).toBe(4);
    primers.abc.forEach((p, i) => {
      expect(abcTest[i]?.startsWith(p.abc.trimEnd())).toBe(true);
      expect(splitAbcTunes(p.abc)).toHaveLength(1);
      expect(p.abc).toMatch(/\nK:[^\n]*\n[^\n]+\n$/); // the header, then one line of music
    });
    const copied = readFileSync(join(target, 'data', 'JSB_Chorales.json'), 'utf8');
    expect(JSON.parse(copied)).toHaveProperty('train');
  });
});
