// A bound on the tensor storage a piece of code may allocate: loading a saved model runs under one sized by its
// files, so an architecture in config.json that declares absurd sizes is a clean error before anything is allocated.

interface Budget {
  remaining: number;
  limit: number;
  fail: (requested: number, limit: number) => Error;
}

let active: Budget | null = null;

/** Count `elements` against the active budget (if any); throws the budget's error when it runs out. */
export function chargeAllocation(elements: number): void {
  if (active === null) return;
  active.remaining -= elements;
  if (active.remaining < 0) throw active.fail(active.limit - active.remaining, active.limit);
}

/**
 * Run `fn` allowing at most `elements` tensor elements to be allocated in total (nested budgets replace the outer one
 * for their duration). `fail(requested, limit)` makes the error thrown when the budget is exceeded.
 */
export function withAllocationBudget<T>(
  elements: number,
  fail: (requested: number, limit: number) => Error,
  fn: () => T,
): T {
  const saved = active;
  active = { remaining: elements, limit: elements, fail };
  try {
    return fn();
  } finally {
    active = saved;
  }
}
