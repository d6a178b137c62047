import type { Tensor } from '../tensor/tensor.js';
import type { ParityCase } from './case.js';
import { RecurrentError } from '../errors.js';

/** What a handler computed for a case: every forward output, the loss, and gradients by the case's names. */
export interface ParityResult {
  outputs: Record<string, unknown>;
  loss?: number;
  grads?: Record<string, Tensor | null>;
}

export type ParityHandler = (c: ParityCase) => ParityResult;

const handlers = new Map<string, ParityHandler>();

/** Register how to build and run cases whose `module` field matches `module` exactly or by prefix (`prefix*`). */
export function registerParityHandler(module: string, handler: ParityHandler): void {
  handlers.set(module, handler);
}

export function handlerFor(module: string): ParityHandler {
  const exact = handlers.get(module);
  if (exact) return exact;
  for (const [key, h] of handlers) if (key.endsWith('*') && module.startsWith(key.slice(0, -1))) return h;
  throw new RecurrentError(`no parity handler for module '${module}' (known: ${[...handlers.keys()].join(', ')})`);
}
