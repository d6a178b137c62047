/** One benchmark implementation living in its own child process: `run()` measures one repetition. */
export interface Runner {
  /** One repetition; returns the workload's metric in its unit. */
  run(): Promise<number> | number;
  /** What the output should say about this implementation's setup (weights used, checks made), once. */
  notes?: string[];
}

export interface RunnerOptions {
  quick: boolean;
}

export type RunnerFactory = (options: RunnerOptions) => Promise<Runner>;

/** Shapes shared by all implementations, from the issue. */
export const W1 = { vocab: 65, emb: 64, hidden: 256, batch: 32, seq: 64, lr: 2e-3, clip: 1 } as const;
export const W2 = { chars: 500 } as const;
/** Translation decoding (the training step W3 reads its shapes from `train translate`'s defaults). */
export const W7 = { beamSize: 5, alpha: 0.6, batch: 100 } as const;
export const W4_SHAPES = {
  W4a: { M: 2048, K: 256, N: 1024 },
  W4b: { M: 32, K: 320, N: 1024 },
} as const;
export type W4Id = keyof typeof W4_SHAPES;
