import type { Tensor } from '../tensor/tensor.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { ShapeError, shortText, ValueError } from '../errors.js';

export type StateDict = Record<string, Tensor>;

export interface LoadStateDictOptions {
  /** Require exactly the module's keys (default true), like PyTorch's strict loading. */
  strict?: boolean;
}

/**
 * Base class of every layer, PyTorch-style: registered parameters, buffers and submodules give
 * `parameters()`, `namedParameters()` and `stateDict()` with PyTorch's dotted names.
 * Each subclass defines its own typed `forward(...)`.
 */
export class Module {
  training = true;
  private readonly params = new Map<string, Tensor | null>();
  private readonly buffers = new Map<string, Tensor>();
  private readonly children = new Map<string, Module>();

  /** Register a trainable tensor under `name` (requiresGrad is switched on). */
  protected registerParameter(name: string, value: Tensor): Tensor {
    value.requiresGrad = true;
    this.params.set(name, value);
    return value;
  }

  /** Register a non-trainable tensor that is saved in the state dict (running statistics and the like). */
  protected registerBuffer(name: string, value: Tensor): Tensor {
    this.buffers.set(name, value);
    return value;
  }

  protected registerModule<M extends Module>(name: string, module: M): M {
    this.children.set(name, module);
    return module;
  }

  *namedModules(prefix = ''): Generator<[string, Module]> {
    yield [prefix, this];
    for (const [name, child] of this.children) yield* child.namedModules(prefix ? `${prefix}.${name}` : name);
  }

  *namedParameters(prefix = ''): Generator<[string, Tensor]> {
    for (const [name, p] of this.params) if (p) yield [prefix ? `${prefix}.${name}` : name, p];
    for (const [name, child] of this.children) yield* child.namedParameters(prefix ? `${prefix}.${name}` : name);
  }

  parameters(): Tensor[] {
    return Array.from(this.namedParameters(), ([, p]) => p);
  }

  *namedBuffers(prefix = ''): Generator<[string, Tensor]> {
    for (const [name, b] of this.buffers) yield [prefix ? `${prefix}.${name}` : name, b];
    for (const [name, child] of this.children) yield* child.namedBuffers(prefix ? `${prefix}.${name}` : name);
  }

  /** Number of trainable values. */
  numParameters(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }

  /** Parameters and buffers by PyTorch-style name. The tensors are the live ones; copy before mutating. */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [name, p] of this.namedParameters()) out[name] = p;
    for (const [name, b] of this.namedBuffers()) out[name] = b;
    return out;
  }

  /**
   * Copy values from `state` into this module's tensors (dtype converted as needed). Everything is
   * validated first — missing or unexpected names, shape mismatches — so a bad dict changes nothing.
   */
  loadStateDict(state: StateDict, options: LoadStateDictOptions = {}): void {
    const strict = options.strict ?? true;
    const own = this.stateDict();
    const problems: string[] = [];
    for (const [name, t] of Object.entries(own)) {
      const src = state[name];
      if (!src) {
        if (strict) problems.push(`missing key '${shortText(name)}'`);
        continue;
      }
      if (!shapesEqual(src.shape, t.shape)) {
        problems.push(`'${shortText(name)}': expected shape ${formatShape(t.shape)}, got ${formatShape(src.shape)}`);
      }
      for (let i = 0; i < src.size; i++) {
        if (!Number.isFinite(src.data[i]!)) {
          problems.push(`'${shortText(name)}': contains a non-finite value at element ${i}`);
          break;
        }
      }
    }
    if (strict)
      for (const name of Object.keys(state)) if (!(name in own)) problems.push(`unexpected key '${shortText(name)}'`);
    if (problems.length > 0) {
      const err = problems.some((p) => p.includes('expected shape')) ? ShapeError : ValueError;
      throw new err(
        `loadStateDict: ${problems.length} problem(s): ` +
          `${problems.slice(0, 10).join('; ')}${problems.length > 10 ? '; …' : ''}`,
      );
    }
    for (const [name, t] of Object.entries(own)) {
      const src = state[name];
      if (src) t.data.set(src.data);
    }
  }

  train(mode = true): this {
    for (const [, m] of this.namedModules()) m.training = mode;
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }
}
