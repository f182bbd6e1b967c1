import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The shape of src/: small files of one job each, and modules that import each other one way only
// (types included), so that any file can be read with what it imports and nothing that imports it.
const SRC = fileURLToPath(new URL('../../src', import.meta.url));
const MAX_LINES = 200;

const files = (readdirSync(SRC, { recursive: true }) as string[]).filter((file) => file.endsWith('.ts')).sort();
const text = new Map(files.map((file) => [file, readFileSync(join(SRC, file), 'utf8')]));

/** The src files a file imports (import, import type, export ... from, import()), by path relative to src/. */
function importsOf(file: string): string[] {
  const source = text.get(file) ?? '';
  const specifiers = [...source.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s*'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/g)].map(
    ([, from, dynamic]) => (from ?? dynamic) as string,
  );
  return specifiers
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => relative(SRC, resolve(dirname(join(SRC, file)), specifier.replace(/\.js$/, '.ts'))));
}

/** Every cycle of the import graph, each as the files along it (Tarjan's strongly connected components). */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (stack.includes(next)) {
        low.set(node, Math.min(low.get(node) as number, index.get(next) as number));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop() as string;
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || graph.get(node)?.includes(node)) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

describe('the source tree', () => {
  const graph = new Map(files.map((file) => [file, importsOf(file)]));

  it('every relative import names a file of src/', () => {
    const missing = [...graph].flatMap(([file, imports]) => imports.filter((target) => !text.has(target)).map((target) => `${file} -> ${target}`));
    expect(missing).toEqual([]);
    // The walk sees the imports: the entry imports the attachment, the loop its steps.
    expect(graph.get('index.ts')).toContain('attach.ts');
    expect(graph.get(join('call', 'run-call.ts'))).toContain(join('call', 'send.ts'));
  });

  it('has no import cycle, type imports included', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it(`has no file over ${MAX_LINES} lines`, () => {
    const lines = (file: string): number => (text.get(file) ?? '').split('\n').length - 1;
    expect(files.filter((file) => lines(file) > MAX_LINES)).toEqual([]);
  });

  it('finds a cycle when there is one (the check can fail)', () => {
    expect(cycles(new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']], ['d.ts', ['a.ts']]]))).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    expect(cycles(new Map([['a.ts', ['a.ts']]]))).toEqual([['a.ts']]);
    expect(cycles(new Map([['a.ts', ['b.ts']], ['b.ts', []]]))).toEqual([]);
  });
});
