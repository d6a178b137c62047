// The import graph of a package's TypeScript sources, read with a regular expression over each file (static
// imports, re-exports and dynamic import(), type-only ones included): enough for core's layering and cycle checks
// (architecture.test.ts) and every package's entry-point checks, no dependency needed.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SPECIFIER = new RegExp(
  [
    /(?:^|[\s;}])((?:import|export)\s[^'"`;]*?)from\s*['"]([^'"]+)['"]/.source,
    /import\s*\(\s*['"]([^'"]+)['"]\s*\)/.source,
    /^\s*import\s*['"]([^'"]+)['"]/.source,
  ].join('|'),
  'gm',
);

/** Whether an `import … from` / `export … from` clause brings in types only (erased at run time). */
function typeOnly(clause: string): boolean {
  if (/^(?:import|export)\s+type\s/.test(clause)) return true;
  const names = /\{([^}]*)\}/.exec(clause);
  if (!names || /^import\s+[\w$]+\s*,/.test(clause) || /\*/.test(clause)) return false;
  const parts = names[1]!
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  return parts.length > 0 && parts.every((p) => p.startsWith('type '));
}

/** One import of a module: the imported module and whether only types come through it. */
export interface ImportEdge {
  target: string;
  typeOnly: boolean;
}

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...tsFiles(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** One import statement of a module: what it names and whether only types come through it. */
export interface ModuleImport {
  specifier: string;
  typeOnly: boolean;
}

/** The imports of one module's source text (comments are dropped first: they may hold example imports). */
export function moduleImports(source: string): ModuleImport[] {
  // no string literal in our sources holds a comment opener
  const text = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out: ModuleImport[] = [];
  for (const m of text.matchAll(SPECIFIER)) {
    const specifier = m[2] ?? m[3] ?? m[4];
    if (specifier === undefined) continue;
    out.push({ specifier, typeOnly: m[1] !== undefined && typeOnly(m[1].trim()) });
  }
  return out;
}

/** Module paths relative to `root` (e.g. `nn/lstm.ts`) → the relative modules each one imports. */
export function importEdges(root: string): Map<string, ImportEdge[]> {
  const graph = new Map<string, ImportEdge[]>();
  for (const file of tsFiles(root)) {
    const deps = new Map<string, boolean>();
    for (const { specifier, typeOnly: onlyTypes } of moduleImports(readFileSync(file, 'utf8'))) {
      if (!specifier.startsWith('.')) continue;
      const target = relative(root, resolve(dirname(file), specifier.replace(/\.js$/, '.ts')))
        .split('\\')
        .join('/');
      deps.set(target, (deps.get(target) ?? true) && onlyTypes);
    }
    const edges = [...deps].map(([target, t]) => ({ target, typeOnly: t }));
    graph.set(
      relative(root, file).split('\\').join('/'),
      edges.sort((a, b) => a.target.localeCompare(b.target)),
    );
  }
  return graph;
}

/** The graph as adjacency lists: every import, or only those that remain at run time. */
export function importGraph(edges: Map<string, ImportEdge[]>, which: 'all' | 'runtime'): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [m, es] of edges)
    out.set(
      m,
      es.filter((e) => which === 'all' || !e.typeOnly).map((e) => e.target),
    );
  return out;
}

/** Every elementary cycle's smallest representative found by a depth-first search (each as a list of modules). */
export function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (m: string): void => {
    state.set(m, 'open');
    stack.push(m);
    for (const d of graph.get(m) ?? []) {
      const s = state.get(d);
      if (s === 'open') {
        const cycle = stack.slice(stack.indexOf(d));
        const key = [...cycle].sort().join(' ');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push([...cycle, d]);
        }
      } else if (s === undefined) visit(d);
    }
    stack.pop();
    state.set(m, 'done');
  };
  for (const m of [...graph.keys()].sort()) if (!state.has(m)) visit(m);
  return cycles;
}

/** The top-level folder of a module (`nn/lstm.ts` → `nn`; files directly under src → their own name). */
export function area(module: string): string {
  const i = module.indexOf('/');
  return i < 0 ? module.replace(/\.ts$/, '') : module.slice(0, i);
}
