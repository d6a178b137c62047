// Node-only: Ctrl-C (SIGINT) and SIGTERM during a training run stop it at the next step instead of killing it, so the
// runner can write that step's checkpoint and the CLI can print the resume command.

/** Watches SIGINT and SIGTERM while installed. */
export interface InterruptWatch {
  /** The signal received ('SIGINT', 'SIGTERM'), or null. */
  interrupted(): string | null;
  /** Remove the handlers (the default behaviour — exit — returns). */
  dispose(): void;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** Exit code of a process stopped by Ctrl-C (128 + SIGINT), as shells report it. */
export const INTERRUPTED_EXIT_CODE = 130;

/**
 * Install handlers: the first signal is recorded (and `notice` tells the user the run stops after the current step);
 * a second one exits at once with code 130.
 */
export function watchInterrupts(notice: (signal: string) => void): InterruptWatch {
  let received: string | null = null;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (received !== null) process.exit(INTERRUPTED_EXIT_CODE);
    received = signal;
    notice(signal);
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  return {
    interrupted: () => received,
    dispose: () => {
      for (const s of SIGNALS) process.off(s, onSignal);
    },
  };
}
