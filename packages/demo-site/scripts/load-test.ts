#!/usr/bin/env node
// `pnpm load-test` at the repository root: the one site under load. Starts the built site (what `pnpm start --no-build`
// serves; build first with `pnpm start` or `pnpm build`) on a free loopback port in its own process — or uses a
// running one with --url — then runs 100 concurrent clients for 30 s over a visitor-like mix of requests and prints
// requests, failures, throughput and latency percentiles. Exits 1 when any request failed.
//
//   tsx scripts/load-test.ts [--url http://127.0.0.1:3000] [--clients 100] [--duration 30] [--seed 1]
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { clientAgent } from '../src/load/http';
import { runLoad } from '../src/load/run';
import { formatSummary, summarize } from '../src/load/stats';
import { discoverTargets } from '../src/load/targets';

interface Args {
  url: string | null;
  clients: number;
  seconds: number;
  seed: number;
}

export function parseLoadArgs(argv: readonly string[]): Args {
  const args: Args = { url: null, clients: 100, seconds: 30, seed: 1 };
  for (let i = 0; i < argv.length; i++) {
    const [key, inline] = (argv[i] as string).split('=', 2);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`load-test: ${key} needs a value`);
    if (key === '--url') args.url = value.replace(/\/+$/, '');
    else if (key === '--clients') args.clients = Number(value);
    else if (key === '--duration') args.seconds = Number(value);
    else if (key === '--seed') args.seed = Number(value);
    else throw new Error(`load-test: unknown option ${key} (expected --url, --clients, --duration, --seed)`);
  }
  if (!Number.isInteger(args.clients) || args.clients < 1) throw new Error(`load-test: bad --clients ${args.clients}`);
  if (!(args.seconds > 0)) throw new Error(`load-test: bad --duration ${args.seconds}`);
  return args;
}

/** Serve the built site from a child process on a free port; resolves with its URL once it listens. */
function startSite(): Promise<{ url: string; child: ChildProcess }> {
  const start = fileURLToPath(new URL('../src/start.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', start, '--no-build', '--port', '0'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      const match = /serving (http:\/\/[^\s/]+)\//.exec(out);
      if (match) resolve({ url: match[1] as string, child });
    });
    child.on('exit', (code) => reject(new Error(`load-test: the site exited (${code}) before serving:\n${out}`)));
  });
}

/** CPU seconds used and files open (sockets included) by process `pid`, from /proc (Linux); null elsewhere. */
export function processUsage(pid: number): { cpuSeconds: number; openFiles: number } | null {
  const dir = `/proc/${pid}`;
  if (!existsSync(`${dir}/stat`)) return null;
  // Fields after the command name (which may hold spaces): state is field 3, utime and stime fields 14 and 15.
  const stat = readFileSync(`${dir}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { cpuSeconds: ticks / 100, openFiles: readdirSync(`${dir}/fd`).length };
}

/** Files the server may hold open after the load beyond those it held before (a connection still closing). */
const OPEN_FILES_SLACK = 2;

const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ');

async function main(): Promise<number> {
  const args = parseLoadArgs(process.argv.slice(2));
  const site = args.url ? null : await startSite();
  const url = args.url ?? (site?.url as string);
  const serverPid = site?.child.pid;
  const before = serverPid ? processUsage(serverPid) : null;
  try {
    const agent = clientAgent(args.clients);
    const targets = await discoverTargets(url, agent);
    const modelMb = targets.modelFiles.reduce((s, f) => s + f.bytes.length, 0) / 1e6;
    console.log(
      `load test: ${url} (${site ? 'started here, its own process' : 'given with --url'}), ${args.clients} clients, ` +
        `${args.seconds} s, seed ${args.seed}`,
    );
    console.log(
      `targets    ${targets.pages.length} pages, ${targets.chunks.length} chunks, ` +
        `${targets.manifests.length} manifests, ${targets.modelFiles.length} model files ` +
        `(${modelMb.toFixed(1)} MB), ${targets.missing.length} 404s`,
    );
    console.log(`machine    ${cpus().length} CPUs, load average ${load()} (1 / 5 / 15 min) at the start`);
    const started = performance.now();
    const clientCpu = process.cpuUsage();
    const samples = await runLoad({
      targets,
      agent,
      clients: args.clients,
      durationMs: args.seconds * 1000,
      seed: args.seed,
    });
    const summary = summarize(samples, (performance.now() - started) / 1000);
    agent.destroy();
    console.log(formatSummary(summary));
    const clientCpuUsed = process.cpuUsage(clientCpu);
    const clientCpuSeconds = (clientCpuUsed.user + clientCpuUsed.system) / 1e6;
    console.log(`machine    load average ${load()} at the end; the clients used ${clientCpuSeconds.toFixed(1)} s CPU`);
    let leaked = 0;
    if (serverPid && before) {
      await new Promise((r) => setTimeout(r, 1000)); // let the closed connections go
      const after = processUsage(serverPid);
      if (after) {
        const cpuMs = ((after.cpuSeconds - before.cpuSeconds) * 1000) / Math.max(1, summary.requests);
        leaked = Math.max(0, after.openFiles - before.openFiles - OPEN_FILES_SLACK);
        console.log(
          `server     ${cpuMs.toFixed(2)} ms CPU per request (${(after.cpuSeconds - before.cpuSeconds).toFixed(1)} s ` +
            `in all); open files ${before.openFiles} before, ${after.openFiles} after the clients left`,
        );
      }
    }
    const ok = summary.failures === 0 && leaked === 0;
    if (leaked > 0) console.log(`FAIL: the server kept ${leaked} more files open than before the load (leak)`);
    if (summary.failures > 0) console.log(`FAIL: ${summary.failures} failed requests`);
    if (ok) console.log('PASS: 0 failures, no file left open');
    return ok ? 0 : 1;
  } finally {
    site?.child.kill();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(2);
    },
  );
}
