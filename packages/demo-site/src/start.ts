#!/usr/bin/env node
// `pnpm start` at the repository root: build every app under apps/ (turbo, cached), write the landing page from
// what was built, serve it all from one port.
//
//   tsx src/start.ts [--no-build] [--port 3000] [--host 127.0.0.1]      (PORT, HOST and SERVE_LOG=1 env work too)
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findDemos, mountsOf } from './apps';
import { buildAllApps } from './build';
import { writeLanding } from './landing';
import { serveSite } from './server';

interface Args {
  build: boolean;
  port: number;
  host: string;
}

export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Args {
  const args: Args = { build: true, port: Number(env.PORT ?? 3000), host: env.HOST ?? '127.0.0.1' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--no-build') {
      args.build = false;
      continue;
    }
    const [key, inline] = arg.split('=', 2);
    const value = inline ?? argv[++i];
    if (key === '--port') args.port = Number(value);
    else if (key === '--host' && value) args.host = value;
    else throw new Error(`demo-site: unknown option ${arg} (expected --no-build, --port N, --host H)`);
  }
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) {
    throw new Error(`demo-site: bad port ${JSON.stringify(env.PORT ?? args.port)} (expected 0 … 65535)`);
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  if (args.build) buildAllApps();
  const { built, unbuilt } = findDemos();
  for (const d of unbuilt) console.warn(`demo-site: ${d.dir} has no out/index.html (not built); it is not served`);
  const landingDir = fileURLToPath(new URL('../out', import.meta.url));
  writeLanding(landingDir, built);
  const { url } = await serveSite({
    root: landingDir,
    mounts: mountsOf(built),
    port: args.port,
    host: args.host,
    log: !!process.env.SERVE_LOG,
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`demo-site: ready in ${seconds} s, serving ${url}/`);
  for (const d of built) console.log(`  ${d.title.padEnd(28)} ${url}${d.path}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
