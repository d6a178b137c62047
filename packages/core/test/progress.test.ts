import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProgressBar } from '../src/index.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('ProgressBar', () => {
  it('a resumed run (initial steps) estimates the ETA from the steps done since it started', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    const lines: string[] = [];
    const resumed = new ProgressBar({ total: 100, initial: 90, every: 1, write: (t) => lines.push(t) });
    const fresh = new ProgressBar({ total: 100, every: 1, write: (t) => lines.push(t) });
    vi.setSystemTime(new Date('2026-01-01T00:00:10Z'));
    resumed.update(95, { loss: 1.5 });
    fresh.update(95, { loss: 1.5 });
    expect(lines[0]).toMatch(/^95\/100 \[=+> *\] loss 1\.5000 {2}elapsed 10s ETA 10s\n$/); // 5 steps in 10 s, 5 to go
    expect(lines[1]).toMatch(/elapsed 10s ETA 1s\n$/); // 95 steps in 10 s
  });
});
