import type { Tensor } from '../tensor/tensor.js';
import { allocate, type Storage } from '../tensor/dtype.js';
import { FormatError, ShapeError, ValueError } from '../errors.js';
import { checkHyper, collectParams, type ParamSource } from './params.js';

/** A hyperparameter as saved in a state dict. */
export type HyperValue = number | boolean | number[];

/** Per-parameter optimizer state: the step count and named moment buffers (PyTorch's names, e.g. `exp_avg`). */
export interface ParamState {
  step: number;
  buffers: Record<string, Storage>;
}

/**
 * Everything needed to resume an optimizer exactly: its kind, hyperparameters (including the current lr)
 * and one state entry per parameter in order (null before that parameter's first step).
 */
export interface OptimizerStateDict {
  optimizer: string;
  hyperparameters: Record<string, HyperValue>;
  state: (ParamState | null)[];
}

/**
 * Base of every optimizer: a fixed, ordered list of parameters, a mutable `lr` (schedulers set it),
 * per-parameter state, `step()`, `zeroGrad()` and an exact `stateDict()` / `loadStateDict()`.
 * Parameters whose `grad` is null are skipped by `step()`, as in PyTorch.
 */
export abstract class Optimizer {
  readonly params: Tensor[];
  /** Learning rate; mutable (schedulers write it). */
  lr: number;
  protected state: (ParamState | null)[];

  protected constructor(
    /** The class name, stored in state dicts so a dict is not loaded into the wrong optimizer. */
    readonly kind: string,
    params: ParamSource,
    lr: number,
  ) {
    this.params = collectParams(kind, params);
    this.lr = checkHyper(kind, 'learning rate', lr);
    this.state = this.params.map(() => null);
  }

  /** Apply one update to every parameter that has a gradient. */
  abstract step(): void;

  /** The hyperparameters besides `lr`, by PyTorch name (saved and restored by state dicts). */
  protected abstract hyperparameters(): Record<string, HyperValue>;
  /** Restore hyperparameters already validated by {@link loadStateDict} to have the right types. */
  protected abstract setHyperparameters(h: Record<string, HyperValue>): void;
  /** The buffer names a parameter's state may hold. */
  protected abstract bufferNames(): readonly string[];
  /** The buffers every non-null parameter state must hold. */
  protected abstract requiredBufferNames(): readonly string[];

  /** Drop every parameter's gradient (PyTorch's zero_grad(set_to_none=True)). */
  zeroGrad(): void {
    for (const p of this.params) p.grad = null;
  }

  /** Validate `lr` at the start of a step (it is a public field that schedulers and users write). */
  protected checkLr(): number {
    return checkHyper(this.kind, 'learning rate', this.lr);
  }

  /** The state of parameter `i`, created by `init` on first use. */
  protected stateOf(i: number, init: (p: Tensor) => Record<string, Storage>): ParamState {
    let s = this.state[i];
    if (!s) {
      s = { step: 0, buffers: init(this.params[i]!) };
      this.state[i] = s;
    }
    return s;
  }

  /** A zero (or `fill`) buffer shaped and typed like parameter `p`. */
  protected buffer(p: Tensor, fill = 0): Storage {
    const b = allocate(p.dtype, p.size);
    if (fill !== 0) b.fill(fill);
    return b;
  }

  /** The gradient of `p` as flat storage, or null when it has none; checks its size. */
  protected gradOf(p: Tensor, i: number): Storage | null {
    const g = p.grad;
    if (!g) return null;
    if (g.size !== p.size)
      throw new ShapeError(`${this.kind}: parameter ${i} has ${p.size} elements but its grad has ${g.size}`);
    return g.data;
  }

  /** A deep copy of the optimizer's state. */
  stateDict(): OptimizerStateDict {
    const hyper: Record<string, HyperValue> = { lr: this.lr };
    for (const [k, v] of Object.entries(this.hyperparameters())) hyper[k] = Array.isArray(v) ? [...v] : v;
    return {
      optimizer: this.kind,
      hyperparameters: hyper,
      state: this.state.map((s) =>
        s
          ? { step: s.step, buffers: Object.fromEntries(Object.entries(s.buffers).map(([k, b]) => [k, b.slice()])) }
          : null,
      ),
    };
  }

  /**
   * Restore a state dict from {@link stateDict} (possibly after JSON or safetensors round trips).
   * Everything is checked first — optimizer kind, parameter count, hyperparameter names and types,
   * buffer names and lengths, step counts — so a bad dict changes nothing. Buffers are copied into the
   * parameters' dtypes.
   */
  loadStateDict(sd: OptimizerStateDict): void {
    const where = `${this.kind}.loadStateDict`;
    if (typeof sd !== 'object' || sd === null) throw new FormatError(`${where}: expected a state dict object`);
    if (sd.optimizer !== this.kind)
      throw new FormatError(`${where}: the state dict is for '${String(sd.optimizer)}', not '${this.kind}'`);
    const own: Record<string, HyperValue> = { lr: this.lr, ...this.hyperparameters() };
    const hyper = sd.hyperparameters ?? {};
    for (const [k, v] of Object.entries(own)) {
      const got = hyper[k];
      const ok = Array.isArray(v)
        ? Array.isArray(got) && got.length === v.length && got.every((x) => typeof x === 'number')
        : typeof got === typeof v;
      if (!ok)
        throw new FormatError(
          `${where}: hyperparameter '${k}' must be ` +
            `${Array.isArray(v) ? `a list of ${v.length} numbers` : `a ${typeof v}`}, got ${JSON.stringify(got)}`,
        );
    }
    for (const k of Object.keys(hyper))
      if (!(k in own)) throw new FormatError(`${where}: unknown hyperparameter '${k}'`);
    if (!Array.isArray(sd.state) || sd.state.length !== this.params.length) {
      throw new FormatError(
        `${where}: state has ${Array.isArray(sd.state) ? sd.state.length : 'no'} entries for ` +
          `${this.params.length} parameters`,
      );
    }
    const allowed = new Set(this.bufferNames());
    sd.state.forEach((s, i) => {
      if (s === null) return;
      if (!Number.isInteger(s.step) || s.step < 0)
        throw new FormatError(`${where}: parameter ${i}: step must be a non-negative integer, got ${s.step}`);
      for (const name of this.requiredBufferNames()) {
        if (!s.buffers?.[name]) throw new FormatError(`${where}: parameter ${i}: missing buffer '${name}'`);
      }
      for (const [name, b] of Object.entries(s.buffers ?? {})) {
        if (!allowed.has(name))
          throw new FormatError(
            `${where}: parameter ${i}: unknown buffer '${name}' (expected ${[...allowed].join(', ')})`,
          );
        if (!b || typeof b.length !== 'number' || b.length !== this.params[i]!.size) {
          throw new ShapeError(
            `${where}: parameter ${i}: buffer '${name}' has ${b?.length} values for ${this.params[i]!.size} ` +
              `parameter elements`,
          );
        }
      }
    });
    const lr = hyper.lr as number;
    checkHyper(this.kind, 'learning rate', lr);
    const rest = { ...hyper };
    delete rest.lr;
    this.setHyperparameters(rest);
    this.lr = lr;
    this.state = sd.state.map((s, i) => {
      if (!s) return null;
      const p = this.params[i]!;
      const buffers: Record<string, Storage> = {};
      for (const [name, b] of Object.entries(s.buffers ?? {})) {
        const copy = allocate(p.dtype, p.size);
        copy.set(b);
        buffers[name] = copy;
      }
      return { step: s.step, buffers };
    });
  }
}

/** PyTorch's lerp: start + w·(end − start), computed from the nearer end for w ≥ 0.5. */
export function lerp(start: number, end: number, w: number): number {
  return w < 0.5 ? start + w * (end - start) : end - (end - start) * (1 - w);
}

/** Check an options object field that must be a boolean. */
export function checkFlag(what: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ValueError(`${what}: ${name} must be true or false, got ${String(value)}`);
  return value;
}
