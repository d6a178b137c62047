// What a package entry reaches: every module reachable from it through relative run-time imports, and the external
// specifiers those modules import. Used to prove a browser entry never pulls in Node-only code.
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { moduleImports } from './import-graph.js';

/** One import of an external module (`node:fs`, `@recurrent/core/node`, …) by a module the entry reaches. */
export interface ExternalImport {
  /** The importing module, relative to the package's source folder. */
  module: string;
  specifier: string;
}

/** The modules `entry` reaches through relative run-time imports and the external imports among them. */
export function reachableImports(entry: string): { modules: string[]; external: ExternalImport[] } {
  const root = dirname(entry);
  const seen = new Set<string>();
  const external: ExternalImport[] = [];
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const { specifier, typeOnly } of moduleImports(readFileSync(file, 'utf8'))) {
      if (typeOnly) continue;
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else external.push({ module: relative(root, file).split('\\').join('/'), specifier });
    }
  };
  visit(entry);
  return { modules: [...seen].map((f) => relative(root, f).split('\\').join('/')), external };
}

/**
 * The Node-only imports a browser entry reaches: `node:` built-ins and the `…/node` entries of workspace packages,
 * as "module imports specifier" lines (empty when the entry is browser-safe).
 */
export function nodeOnlyImports(entry: string): string[] {
  return reachableImports(entry)
    .external.filter((i) => i.specifier.startsWith('node:') || /^@recurrent\/[\w-]+\/node$/.test(i.specifier))
    .map((i) => `${i.module} imports ${i.specifier}`);
}
