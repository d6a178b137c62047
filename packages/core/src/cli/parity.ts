#!/usr/bin/env node
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { runCase, DEFAULT_TOLERANCES, type CaseReport } from '../parity/runner.js';
import type { DType } from '../tensor/dtype.js';
import { findReferenceDir } from '../io/paths.js';

const USAGE = `usage: parity [DIR] [--dtype float32|float64|both] [--quiet]
Runs every PyTorch reference case (*.json, format of shared/reference/pytorch) in DIR, in float64 and
float32 by default, and prints one line per case and a final "N passed, M failed".`;

function main(argv: string[]): number {
  let dir: string | undefined;
  let dtypes: DType[] = ['float64', 'float32'];
  let quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h') {
      console.log(USAGE);
      return 0;
    } else if (a === '--dtype') {
      const v = argv[++i];
      if (v === 'both') dtypes = ['float64', 'float32'];
      else if (v === 'float32' || v === 'float64') dtypes = [v];
      else {
        console.error(`--dtype must be float32, float64 or both, got ${v}`);
        return 2;
      }
    } else if (a === '--quiet') quiet = true;
    else if (a.startsWith('-')) {
      console.error(`unknown option ${a}\n${USAGE}`);
      return 2;
    } else dir = a;
  }
  const ref = findReferenceDir();
  // pnpm runs scripts in the package folder; resolve a relative DIR against where the user typed the command.
  const base = process.env.INIT_CWD ?? process.cwd();
  const target = dir ? resolve(base, dir) : ref ? join(ref, 'pytorch') : '';
  let files: string[];
  try {
    files = statSync(target).isDirectory()
      ? readdirSync(target)
          .filter((f) => f.endsWith('.json'))
          .sort()
          .map((f) => join(target, f))
      : [target];
  } catch {
    console.error(`parity: cannot read ${target || '(no directory given and no shared/reference found)'}\n${USAGE}`);
    return 2;
  }
  if (files.length === 0) {
    console.error(`parity: no *.json cases in ${target}`);
    return 2;
  }
  let passed = 0;
  let failed = 0;
  for (const file of files) {
    const name = basename(file, '.json');
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      console.log(`FAIL ${name}: cannot parse JSON: ${(e as Error).message}`);
      failed++;
      continue;
    }
    const reports: CaseReport[] = dtypes.map((d) => runCase(name, json, d));
    const ok = reports.every((r) => r.passed);
    const detail = reports
      .map(
        (r) =>
          `${r.dtype} max rel err out ${r.maxOutputError.toExponential(1)} grad ${r.maxGradError.toExponential(1)}`,
      )
      .join(' | ');
    console.log(`${ok ? 'PASS' : 'FAIL'} ${name.padEnd(36)} ${detail}`);
    if (!ok || !quiet) {
      for (const r of reports) for (const f of r.failures) if (!r.passed) console.log(`     ${r.dtype}: ${f}`);
    }
    if (ok) passed++;
    else failed++;
  }
  const tol = dtypes
    .map((d) => `${d} ≤ ${DEFAULT_TOLERANCES[d].outputs} out / ${DEFAULT_TOLERANCES[d].grads} grad`)
    .join(', ');
  console.log(`tolerances: ${tol}`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
