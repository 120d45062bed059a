import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const SRC = resolve(import.meta.dirname, '../src');

/** Root files every folder may import: the shared kernel (errors, the route config, settings, the Deps type). */
const KERNEL = new Set(['errors.ts', 'http.ts', 'config.ts', 'deps.ts']);

/** Every .ts file under src/ except tests. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && e.name !== 'test-support.ts' ? [path] : [];
  });
}

/** The relative files a file imports or re-exports at run time (`import type` and `export type` are erased, so left out). */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const targets: string[] = [];
  for (const node of source.statements) {
    let spec: ts.Expression | undefined;
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const typeOnly = clause?.isTypeOnly || (clause && !clause.name && clause.namedBindings && ts.isNamedImports(clause.namedBindings)
        && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly));
      if (!typeOnly) spec = node.moduleSpecifier;
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly) {
      spec = node.moduleSpecifier;
    }
    if (spec && ts.isStringLiteral(spec) && spec.text.startsWith('.')) targets.push(resolve(dirname(file), spec.text));
  }
  return targets;
}

/** The node a file belongs to: its top folder under src/ (`messages`), or the root file itself (`errors.ts`). */
function nodeOf(file: string): string {
  return relative(SRC, file).split('/')[0];
}

/** Node → nodes it imports at run time, with one file-level example per edge. */
function graph(): { edges: Map<string, Map<string, string>>; rootViolations: string[] } {
  const edges = new Map<string, Map<string, string>>();
  const rootViolations: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = nodeOf(file);
    for (const target of runtimeImports(file)) {
      if (!target.startsWith(SRC + '/')) continue;
      const to = nodeOf(target);
      if (to === from) continue;
      const fromRoot = from.endsWith('.ts');
      if (!fromRoot && to.endsWith('.ts') && !KERNEL.has(to)) rootViolations.push(`${relative(SRC, file)} imports the wiring file ${to}`);
      if (!edges.has(from)) edges.set(from, new Map());
      if (!edges.get(from)!.has(to)) edges.get(from)!.set(to, `${relative(SRC, file)} → ${relative(SRC, target)}`);
    }
  }
  return { edges, rootViolations };
}

/** The strongly connected components with more than one node (Tarjan): each is a knot of mutual imports. */
function cycles(edges: Map<string, Map<string, string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next); low.set(v, next); next++;
    stack.push(v); onStack.add(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do { w = stack.pop()!; onStack.delete(w); component.push(w); } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return found;
}

const { edges, rootViolations } = graph();
const knots = cycles(edges);
/** Each knot with the imports that tie it (one example file per edge inside it). */
const report = knots.map((knot) => [
  `cycle between ${knot.join(', ')}:`,
  ...knot.flatMap((a) => knot.filter((b) => edges.get(a)?.has(b)).map((b) => `  ${edges.get(a)!.get(b)}`)),
].join('\n'));
test('no import cycle between the folders of src/, and no folder imports a wiring file at src/ root', () => {
  assert.deepEqual(rootViolations, []);
  assert.deepEqual(report, []);
});
