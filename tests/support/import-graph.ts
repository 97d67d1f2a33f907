// The project's own import graph, read from the sources: every relative import (type-only ones too,
// since a type import still ties two files' meanings together), resolved to a file of the tree.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SOURCE = /\.(ts|svelte)$/;
const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[^'"`;]*?\sfrom\s+)?['"]([^'"]+)['"]/g;
const DYNAMIC = /import\(\s*['"]([^'"]+)['"]\s*\)/g;

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (SOURCE.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function resolveImport(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.svelte`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

export interface ImportGraph {
  root: string;
  /** file (relative to root) → the files it imports (relative to root); bare packages under `packages`. */
  files: Map<string, { imports: string[]; packages: string[] }>;
}

export function readImportGraph(root: string, folders: string[]): ImportGraph {
  const files = new Map<string, { imports: string[]; packages: string[] }>();
  for (const folder of folders) {
    for (const file of walk(join(root, folder), [])) {
      const text = readFileSync(file, 'utf8');
      const imports = new Set<string>();
      const packages = new Set<string>();
      for (const re of [IMPORT, DYNAMIC]) {
        for (const match of text.matchAll(re)) {
          const spec = match[1]!;
          if (spec.startsWith('.')) {
            const target = resolveImport(file, spec);
            if (target) imports.add(relative(root, target));
          } else packages.add(spec);
        }
      }
      files.set(relative(root, file), { imports: [...imports], packages: [...packages] });
    }
  }
  return { root, files };
}

/** Every import cycle, each as the list of files around it (Tarjan's strongly connected components). */
export function importCycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (file: string): void => {
    index.set(file, next);
    low.set(file, next);
    next++;
    stack.push(file);
    onStack.add(file);
    for (const dep of graph.files.get(file)?.imports ?? []) {
      if (!graph.files.has(dep)) continue;
      if (!index.has(dep)) {
        visit(dep);
        low.set(file, Math.min(low.get(file)!, low.get(dep)!));
      } else if (onStack.has(dep)) low.set(file, Math.min(low.get(file)!, index.get(dep)!));
    }
    if (low.get(file) === index.get(file)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      const selfLoop = graph.files.get(file)?.imports.includes(file);
      if (component.length > 1 || selfLoop) cycles.push(component.sort());
    }
  };
  for (const file of graph.files.keys()) if (!index.has(file)) visit(file);
  return cycles;
}
