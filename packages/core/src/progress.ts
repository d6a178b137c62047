export interface ProgressOptions {
  total: number;
  /** Where to write; defaults to process.stderr in Node, console.log elsewhere. */
  write?: (text: string) => void;
  /** Redraw in place with carriage returns (a terminal); otherwise print a line every `every` steps. */
  inPlace?: boolean;
  every?: number;
  width?: number;
  label?: string;
  /** Steps already done before this bar started (a resumed run): the rate and ETA count only the steps after it. */
  initial?: number;
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(sec).padStart(2, '0')}s` : `${sec}s`;
}

function defaultWrite(): { write: (t: string) => void; tty: boolean } {
  const proc = (globalThis as { process?: { stderr?: { write(t: string): unknown; isTTY?: boolean } } }).process;
  if (proc?.stderr) return { write: (t) => void proc.stderr!.write(t), tty: !!proc.stderr.isTTY };
  return { write: (t) => console.log(t.replace(/\r|\n$/g, '')), tty: false };
}

/** A training progress bar: step count, bar, named metrics, rate and ETA. */
export class ProgressBar {
  private readonly total: number;
  private readonly write: (text: string) => void;
  private readonly inPlace: boolean;
  private readonly every: number;
  private readonly width: number;
  private readonly label: string;
  private readonly initial: number;
  private readonly started = Date.now();
  private lastLine = '';

  constructor(options: ProgressOptions) {
    const fallback = defaultWrite();
    this.total = options.total;
    this.write = options.write ?? fallback.write;
    this.inPlace = options.inPlace ?? (options.write ? false : fallback.tty);
    this.every = options.every ?? Math.max(1, Math.round(options.total / 20));
    this.width = options.width ?? 24;
    this.label = options.label ?? '';
    this.initial = options.initial ?? 0;
  }

  /** Report that `step` steps are done, with metrics such as {loss: 1.23, 'tok/s': 4100}. */
  update(step: number, metrics: Record<string, number | string> = {}): void {
    if (!this.inPlace && step % this.every !== 0 && step !== this.total) return;
    const frac = this.total > 0 ? Math.min(1, step / this.total) : 1;
    const filled = Math.round(frac * this.width);
    const bar = '='.repeat(Math.max(0, filled - 1)) + (filled > 0 ? '>' : '') + ' '.repeat(this.width - filled);
    const elapsed = (Date.now() - this.started) / 1000;
    const done = step - this.initial;
    const eta = done > 0 ? (elapsed / done) * (this.total - step) : Number.NaN;
    const parts = Object.entries(metrics).map(([k, v]) => `${k} ${typeof v === 'number' ? formatNumber(v) : v}`);
    const line =
      `${this.label ? `${this.label} ` : ''}${step}/${this.total} [${bar}] ${parts.join('  ')}  ` +
      `elapsed ${formatDuration(elapsed)} ETA ${formatDuration(eta)}`;
    this.lastLine = line;
    this.write(this.inPlace ? `\r${line}\x1b[K` : `${line}\n`);
  }

  /** Print a message on its own line without breaking the bar. */
  log(message: string): void {
    this.write(this.inPlace ? `\r\x1b[K${message}\n${this.lastLine}` : `${message}\n`);
  }

  done(): void {
    if (this.inPlace) this.write('\n');
  }
}

function formatNumber(v: number): string {
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(4);
}

/** Told after each chunk of a long computation (an evaluation) how far it is: `done` of `total` units. */
export type ReportProgress = (done: number, total: number) => void;

export interface ProgressLinesOptions {
  /** Starts every line, e.g. "sst2 validation". */
  label: string;
  /** Receives each line (with its newline), e.g. standard error. */
  write: (line: string) => void;
  /** What is counted: "sentences", "batches" … (default "done"). */
  unit?: string;
  /** Quiet for this many seconds, so a short computation prints nothing (default 5). */
  afterSeconds?: number;
  /** At most one line per this many seconds (default 5). */
  everySeconds?: number;
  /** Clock in milliseconds (tests). */
  now?: () => number;
}

/**
 * A ReportProgress printing a line (`label: 120/400 sentences (30 %), elapsed 6s, ETA 14s`) at most every few seconds,
 * and only once the computation has run for a few seconds — long evaluations say they are alive, short ones stay quiet.
 */
export function progressLines(options: ProgressLinesOptions): ReportProgress {
  const now = options.now ?? Date.now;
  const after = (options.afterSeconds ?? 5) * 1000;
  const every = (options.everySeconds ?? 5) * 1000;
  const unit = options.unit ?? 'done';
  const started = now();
  let last = Number.NEGATIVE_INFINITY;
  return (done, total) => {
    const t = now();
    if (t - started < after || t - last < every) return;
    last = t;
    const elapsed = (t - started) / 1000;
    const share = total > 0 ? ` (${Math.floor((100 * done) / total)} %)` : '';
    const eta = done > 0 && total >= done ? `, ETA ${formatDuration((elapsed / done) * (total - done))}` : '';
    options.write(`${options.label}: ${done}/${total} ${unit}${share}, elapsed ${formatDuration(elapsed)}${eta}\n`);
  };
}
