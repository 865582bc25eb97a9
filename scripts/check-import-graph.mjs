// Checks the import graph of src/ (and bench/): no import cycles, and no arrow from the engine
// (src/detect) up to a face. Every import counts, `import type` and dynamic `import()` included:
// a type-only cycle still ties two files together for a reader and for the next refactor.
// There are no exceptions. Run: node scripts/check-import-graph.mjs
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');

/** The engine may import shared code and other rooms, never the faces built on it. */
const layerRules = [
  {
    from: 'src/detect/',
    forbidden: ['src/report/', 'src/analyze/', 'src/gateway/', 'src/cli/', 'src/evaluate/'],
    why: 'src/detect is the engine: faces import it, it imports no face',
  },
];

function sourceFiles(directory) {
  const found = [];
  for (const name of readdirSync(directory)) {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) found.push(...sourceFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) found.push(path);
  }
  return found;
}

/** `./x.js` → `./x.ts`, or `./x` → `./x/index.ts`; undefined for packages and node builtins. */
function resolveImport(fromFile, specifier) {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(fromFile), specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
}

const files = ['src', 'bench']
  .map((directory) => join(root, directory))
  .filter((directory) => existsSync(directory))
  .flatMap(sourceFiles)
  .sort();
const graph = new Map();
for (const file of files) {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const targets = new Set();
  for (const { fileName } of importedFiles) {
    const target = resolveImport(file, fileName);
    if (target) targets.add(relative(root, target));
  }
  graph.set(relative(root, file), [...targets].sort());
}

// Tarjan's strongly connected components: every component of more than one file is a cycle.
function stronglyConnected(nodes) {
  let index = 0;
  const indices = new Map();
  const lowLinks = new Map();
  const stack = [];
  const onStack = new Set();
  const components = [];
  const visit = (node) => {
    indices.set(node, index);
    lowLinks.set(node, index);
    index += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of nodes.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        lowLinks.set(node, Math.min(lowLinks.get(node), lowLinks.get(next)));
      } else if (onStack.has(next)) {
        lowLinks.set(node, Math.min(lowLinks.get(node), indices.get(next)));
      }
    }
    if (lowLinks.get(node) === indices.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (nodes.get(node) ?? []).includes(node)) {
        components.push(component.sort());
      }
    }
  };
  for (const node of nodes.keys()) if (!indices.has(node)) visit(node);
  return components;
}

const problems = [];
const key = (members) => [...members].sort().join(' ↔ ');
for (const component of stronglyConnected(graph)) {
  problems.push(`import cycle: ${key(component)}`);
}

for (const [from, targets] of graph) {
  for (const rule of layerRules) {
    if (!from.startsWith(rule.from)) continue;
    for (const to of targets) {
      if (rule.forbidden.some((prefix) => to.startsWith(prefix))) {
        problems.push(`${from} → ${to}: ${rule.why}`);
      }
    }
  }
}

const edges = [...graph.values()].reduce((sum, targets) => sum + targets.length, 0);
if (problems.length > 0) {
  console.error(`import graph (${graph.size} files, ${edges} imports):`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log(
  `import graph: ${graph.size} files, ${edges} imports, no cycles, no engine→face imports`,
);
