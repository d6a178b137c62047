// Core's module structure (ARCHITECTURE.md, "Layering"): no import cycles, and each folder imports only the folders
// below it. Reads the TypeScript sources' import statements (@recurrent/test-support's import-graph.ts).
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { area, findCycles, importEdges, importGraph } from '@recurrent/test-support';

const SRC = fileURLToPath(new URL('../src', import.meta.url));
const edges = importEdges(SRC);

/**
 * The folders (or top-level files) each area may import besides itself. Entry points (index, internal, node, cli)
 * and the parity runner sit on top and may import anything.
 */
const ALLOWED: Record<string, readonly string[]> = {
  errors: [],
  random: ['errors'],
  // a tensor's gradFn is an autograd Node and Tensor.backward() runs the engine; nodes hold tensors
  tensor: ['errors', 'random', 'autograd'],
  autograd: ['errors', 'random', 'tensor'],
  kernels: ['errors', 'tensor'],
  ops: ['errors', 'random', 'tensor', 'autograd', 'kernels'],
  losses: ['errors', 'tensor', 'autograd', 'kernels'],
  optim: ['errors', 'tensor'],
  // decoding algorithms are generic over a step function: they know no model, op or kernel
  decode: ['errors', 'random'],
  nn: ['errors', 'random', 'tensor', 'autograd', 'ops', 'losses', 'decode'],
  // diagnostics sit on top of nn: the gradient experiments build, train and probe whole models
  diagnostics: ['errors', 'random', 'tensor', 'autograd', 'ops', 'losses', 'optim', 'nn'],
  io: ['errors', 'tensor', 'nn'],
  // the training runner drives models, optimizers and checkpoints; the registries name kinds and tasks on top of it
  training: ['errors', 'random', 'tensor', 'autograd', 'nn', 'optim', 'io', 'progress'],
  // loading a model: files read through io, allocations bounded through tensor (allocation budget), progress
  registry: ['errors', 'io', 'training', 'progress', 'tensor'],
  progress: [],
};
const TOP = new Set(['index', 'internal', 'node', 'cli', 'parity']);

/** Modules that import each other's types only (erased at run time): Tensor ↔ Node / the engine. */
const TYPE_CYCLE = new Set(['tensor/tensor.ts', 'autograd/node.ts', 'autograd/engine.ts']);

describe('core import graph', () => {
  it('reads every module and finds imports', () => {
    expect(edges.size).toBeGreaterThan(100);
    expect(edges.get('nn/lstm.ts')?.map((e) => e.target)).toContain('nn/recurrent.ts');
    for (const [m, es] of edges) {
      for (const e of es) expect(edges.has(e.target), `${m} imports missing ${e.target}`).toBe(true);
    }
  });

  it('has no import cycle at run time', () => {
    expect(findCycles(importGraph(edges, 'runtime')).map((c) => c.join(' → '))).toEqual([]);
  });

  it('has no import cycle even counting type-only imports, except Tensor ↔ Node / engine', () => {
    const cycles = findCycles(importGraph(edges, 'all')).filter((c) => !c.every((m) => TYPE_CYCLE.has(m)));
    expect(cycles.map((c) => c.join(' → '))).toEqual([]);
  });

  it('finds a cycle when there is one (the check itself)', () => {
    const g = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(findCycles(g)).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
  });
});

describe('core layering', () => {
  it('every area imports only the areas below it (kernels → ops → nn, decode below nn)', () => {
    const bad: string[] = [];
    for (const [m, es] of edges) {
      const from = area(m);
      if (TOP.has(from)) continue;
      const allowed = ALLOWED[from];
      if (!allowed) {
        bad.push(`${m}: area '${from}' is not in ALLOWED (add it, with the areas it may import)`);
        continue;
      }
      for (const e of es) {
        const to = area(e.target);
        if (to === from || allowed.includes(to)) continue;
        bad.push(`${m} imports ${e.target} (${from} may import ${allowed.join(', ') || 'nothing'})`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('outside ops/recurrent, the fused recurrent op is reached only through ops/recurrent/index.ts', () => {
    const bad: string[] = [];
    for (const [m, es] of edges) {
      if (m.startsWith('ops/recurrent/')) continue;
      for (const e of es) {
        if (e.target.startsWith('ops/recurrent/') && e.target !== 'ops/recurrent/index.ts')
          bad.push(`${m} imports ${e.target}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('the package entry exports no kernel internals (only the backend switch and wasmSimdSupported)', () => {
    const fromKernels = (edges.get('index.ts') ?? []).map((e) => e.target).filter((t) => t.startsWith('kernels/'));
    expect(fromKernels.sort()).toEqual(['kernels/backend.ts', 'kernels/wasm/loader.ts']);
  });
});
