let enabled = true;

export function isGradEnabled(): boolean {
  return enabled;
}

/** Run `fn` without recording operations for autograd (torch.no_grad). */
export function noGrad<T>(fn: () => T): T {
  const prev = enabled;
  enabled = false;
  try {
    return fn();
  } finally {
    enabled = prev;
  }
}

/** Run `fn` with recording switched on even inside noGrad (torch.enable_grad). */
export function enableGrad<T>(fn: () => T): T {
  const prev = enabled;
  enabled = true;
  try {
    return fn();
  } finally {
    enabled = prev;
  }
}
