// The load test's report: requests, failures, throughput and latency percentiles, overall and by kind.
import type { RequestKind, Sample } from './run';

/** The p-th percentile (0–100) of `sorted` by nearest rank; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

export interface Latency {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface Summary {
  requests: number;
  failures: number;
  /** Up to ten failure messages, most frequent first, with their counts. */
  failureExamples: { message: string; count: number }[];
  seconds: number;
  requestsPerSecond: number;
  megabytes: number;
  megabytesPerSecond: number;
  latency: Latency;
  byKind: Partial<Record<RequestKind, { requests: number; failures: number; latency: Latency }>>;
}

function latencyOf(samples: readonly Sample[]): Latency {
  const sorted = samples.map((s) => s.millis).sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

export function summarize(samples: readonly Sample[], seconds: number): Summary {
  const failed = samples.filter((s) => s.failure !== null);
  const counts = new Map<string, number>();
  for (const s of failed) counts.set(s.failure as string, (counts.get(s.failure as string) ?? 0) + 1);
  const megabytes = samples.reduce((sum, s) => sum + s.bytes, 0) / 1e6;
  const byKind: Summary['byKind'] = {};
  for (const kind of new Set(samples.map((s) => s.kind))) {
    const of = samples.filter((s) => s.kind === kind);
    byKind[kind] = { requests: of.length, failures: of.filter((s) => s.failure).length, latency: latencyOf(of) };
  }
  return {
    requests: samples.length,
    failures: failed.length,
    failureExamples: [...counts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([message, count]) => ({ message, count })),
    seconds,
    requestsPerSecond: samples.length / seconds,
    megabytes,
    megabytesPerSecond: megabytes / seconds,
    latency: latencyOf(samples),
    byKind,
  };
}

const ms = (x: number) => `${x < 10 ? x.toFixed(1) : Math.round(x)} ms`;
const latencyText = (l: Latency) => `p50 ${ms(l.p50)} · p95 ${ms(l.p95)} · p99 ${ms(l.p99)} · max ${ms(l.max)}`;

/** The printed report. */
export function formatSummary(s: Summary): string {
  const lines = [
    `requests   ${s.requests} in ${s.seconds.toFixed(1)} s (${s.requestsPerSecond.toFixed(0)}/s), ` +
      `${s.megabytes.toFixed(0)} MB received (${s.megabytesPerSecond.toFixed(1)} MB/s)`,
    `failures   ${s.failures}`,
    `latency    ${latencyText(s.latency)}`,
    ...Object.entries(s.byKind).map(
      ([kind, k]) =>
        `  ${kind.padEnd(12)} ${String(k.requests).padStart(7)} req, ${k.failures} failed, ${latencyText(k.latency)}`,
    ),
  ];
  for (const f of s.failureExamples) lines.push(`  FAILED ×${f.count}: ${f.message}`);
  return lines.join('\n');
}
