/**
 * The house plan of src/: which room sits on which floor, and a check that every import points
 * down (or sideways within a room) and that no imports go round in a circle.
 *
 * Run `node scripts/import-layers.mjs` for the floor-to-floor graph; test/unit/import-layers.test.ts
 * fails on any violation. Imports are read with TypeScript's own pre-processor (typescript is a
 * devDependency already), which sees `import type` too: esbuild's metafile drops type-only imports,
 * and madge / dependency-cruiser would be two more dependencies for a 100-line job.
 */
import ts from 'typescript';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Floors, lowest first. A module may import its own room and any room on a lower floor; rooms on
 * one floor do not import each other. A room is a directory of src/ (or a file at its top).
 */
export const LAYERS = [
  // Ground: the one user-error type, the one retry schedule and the message catalog, which every
  // room may use (a kubeconfig error speaks the learner's language too).
  ['user-error', 'retry', 'i18n'],
  // Leaves: names and pure helpers with no knowledge of the app.
  ['kube', 'text', 'package-root', 'state-dir', 'lean-heap'],
  // The trace model (Jaeger/OTLP wire types, trace model, layouts, the Jaeger client).
  ['traces'],
  // The embedded cluster: reached only through src/sandbox/index.ts (see SANDBOX_ENTRY).
  ['sandbox'],
  // The lesson model and its parser.
  ['lesson'],
  // Effects at the edges: the cluster client, the processes kubetutor starts.
  ['cluster', 'processes'],
  // Checks over facts from the cluster, processes and traces.
  ['checks'],
  // What runs beside a lesson: traffic, the classroom.
  ['traffic', 'class'],
  // The lifecycle: engine reducer and session.
  ['engine'],
  // Lesson authoring: lint and self-test.
  ['authoring'],
  // The terminal UI: draws a view, sends intents.
  ['ui'],
  // The commands, and the command line that picks one.
  ['commands'],
  ['cli'],
];

/** The one module of the sandbox the rest of src/ may import. */
export const SANDBOX_ENTRY = 'src/sandbox/index.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, '..');

function sourceFiles(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Every relative import between files of src/, as repository-relative paths. */
export function importEdges(root = ROOT) {
  const edges = [];
  for (const abs of sourceFiles(join(root, 'src'))) {
    const from = relative(root, abs);
    for (const imp of ts.preProcessFile(readFileSync(abs, 'utf8'), true, true).importedFiles) {
      if (!imp.fileName.startsWith('.')) continue;
      const base = resolve(dirname(abs), imp.fileName).replace(/\.(js|jsx|ts|tsx|mjs)$/, '');
      const target = [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((c) => existsSync(c));
      if (target) edges.push({ from, to: relative(root, target) });
    }
  }
  return edges;
}

export const roomOf = (file) => {
  const parts = file.split('/'); // src/<room>/... or src/<file>.ts
  return parts.length > 2 ? parts[1] : parts[1].replace(/\.tsx?$/, '');
};

const floorOf = new Map(LAYERS.flatMap((rooms, i) => rooms.map((r) => [r, i])));

/** Imports that break the plan: up a floor, across one floor, into the sandbox past its entry, or into a room with no floor. */
export function layerViolations(edges) {
  const out = [];
  for (const { from, to } of edges) {
    const a = roomOf(from);
    const b = roomOf(to);
    if (a === b) continue;
    const fa = floorOf.get(a);
    const fb = floorOf.get(b);
    if (fa === undefined || fb === undefined) out.push(`${from} -> ${to}: room "${fa === undefined ? a : b}" has no floor in scripts/import-layers.mjs`);
    else if (fb > fa) out.push(`${from} -> ${to}: ${a} (floor ${fa}) imports ${b} (floor ${fb}), a floor above it`);
    else if (fb === fa) out.push(`${from} -> ${to}: ${a} and ${b} share floor ${fa} and must not import each other`);
    else if (b === 'sandbox' && to !== SANDBOX_ENTRY) out.push(`${from} -> ${to}: outside the sandbox, import only ${SANDBOX_ENTRY}`);
  }
  return out;
}

/** Every import circle among the files (Tarjan's strongly connected components of more than one file, or a file importing itself). */
export function importCircles(edges) {
  const next = new Map();
  for (const { from, to } of edges) {
    if (!next.has(from)) next.set(from, new Set());
    next.get(from).add(to);
  }
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const circles = [];
  let n = 0;
  const visit = (v) => {
    index.set(v, n);
    low.set(v, n++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const scc = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || next.get(v)?.has(v)) circles.push(scc.sort());
    }
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return circles;
}

/** Room-to-room edges with how many imports each carries, lowest floor first. */
export function roomGraph(edges) {
  const counts = new Map();
  for (const { from, to } of edges) {
    const a = roomOf(from);
    const b = roomOf(to);
    if (a === b) continue;
    counts.set(`${a} -> ${b}`, (counts.get(`${a} -> ${b}`) ?? 0) + 1);
  }
  const floor = (k) => floorOf.get(k.split(' -> ')[0]) ?? 99;
  return [...counts].sort((x, y) => floor(x[0]) - floor(y[0]) || x[0].localeCompare(y[0]));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const edges = importEdges();
  LAYERS.forEach((rooms, i) => console.log(`floor ${i}: ${rooms.join(', ')}`));
  console.log('');
  for (const [k, v] of roomGraph(edges)) console.log(`${k} (${v})`);
  const bad = [...layerViolations(edges), ...importCircles(edges).map((c) => `circle: ${c.join(' -> ')}`)];
  if (bad.length) {
    console.log(`\n${bad.length} problem(s):\n${bad.join('\n')}`);
    process.exitCode = 1;
  }
}
