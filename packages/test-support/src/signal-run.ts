// Run a command in a child process and send it a signal once its standard error shows a given line: the Ctrl-C tests
// of every package's CLI (training must stop at a step, write its checkpoint and print the resume command).
import { spawn } from 'node:child_process';

export interface SignalledRun {
  /** Exit code (null when the signal killed it). */
  code: number | null;
  /** Whether the signal was sent (the pattern appeared before the process ended). */
  sent: boolean;
  out: string;
  err: string;
}

/**
 * Spawn `command args` in `cwd`; when its standard error matches `when`, send `signal`. Resolves when it exits.
 * `node` as command means this Node binary.
 */
export function runAndSignal(options: {
  command: string;
  args: readonly string[];
  cwd: string;
  when: RegExp;
  signal: NodeJS.Signals;
}): Promise<SignalledRun> {
  const command = options.command === 'node' ? process.execPath : options.command;
  const child = spawn(command, [...options.args], { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let sent = false;
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, sent, out, err }));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (!sent && options.when.test(err)) {
        sent = true;
        child.kill(options.signal);
      }
    });
  });
}
