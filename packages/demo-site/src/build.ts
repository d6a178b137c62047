// Builds every app under apps/ (and what they depend on) through turbo, so an unchanged app is restored from
// turbo's cache instead of rebuilt, and apps build two at a time.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './apps';

/** `turbo run build --filter=./apps/*` at the repository root, its output shown; throws when a build fails. */
export function buildAllApps(): void {
  const r = spawnSync(
    'pnpm',
    ['exec', 'turbo', 'run', 'build', '--filter=./apps/*', '--concurrency=2', '--output-logs=new-only'],
    {
      cwd: REPO_ROOT,
      stdio: 'inherit',
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    },
  );
  if (r.status !== 0) throw new Error(`demo-site: building the apps failed (turbo exit ${r.status ?? r.signal})`);
}

/** Build one app with its own `build` script (for tests), its output written to `<logDir>/<label>.log`. */
export function buildApp(appDir: string, logDir: string, label: string): void {
  const started = Date.now();
  const r = spawnSync('pnpm', ['run', 'build'], {
    cwd: appDir,
    encoding: 'utf8',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const log = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  mkdirSync(logDir, { recursive: true });
  writeFileSync(join(logDir, `${label}.log`), log);
  if (r.status !== 0) {
    const tail = log.split('\n').slice(-40).join('\n');
    throw new Error(`build of ${appDir} failed (exit ${r.status ?? r.signal}); last output:\n${tail}`);
  }
  console.log(`e2e setup: ${label} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
