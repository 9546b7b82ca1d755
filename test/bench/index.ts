/**
 * `npm run bench`: measures issue 7's targets and prints a table; never
 * fails on a figure (timings belong here, not in `npm test`). Options: USAGE below
 * (`npm run bench -- --help`).
 * It runs the built CLI (dist/cli.js): `npm run build` first.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot } from '../../src/package-root.js';
import type { Figure } from './stats.js';
import ownTmpdir from '../helpers/own-tmpdir.js';

const USAGE = `usage: npm run bench [-- OPTIONS]   (or: node .bench/index.js [OPTIONS])
  --json FILE   also write the figures as JSON (name, value, unit, target, pass)
  --quick       skip the slow ones (the idle minute, the whole lesson run)
  --only NAME   one group: traces, first-frame, unlock, idle, lesson, traffic-rss
  --trials N    repetitions (default 20; the PTY start-up runs at most 10)
  --cli PATH    the CLI to measure (default: this checkout's dist/cli.js)
  --help        this text`;

function options() {
  try {
    const { values } = parseArgs({ options: { json: { type: 'string' }, quick: { type: 'boolean', default: false }, only: { type: 'string' }, trials: { type: 'string' }, cli: { type: 'string' }, help: { type: 'boolean', default: false } } });
    if (values.help) {
      console.log(USAGE);
      process.exit(0);
    }
    const names = groups.map(([name]) => name);
    if (values.only && !names.includes(values.only)) throw new Error(`no group named ${values.only} (there are: ${names.join(', ')})`);
    if (values.trials !== undefined && !(Number(values.trials) >= 1)) throw new Error(`--trials wants a whole number of at least 1, not ${values.trials}`);
    return values;
  } catch (e) {
    // A wrong option is the developer's slip, not a crash: say which, and how it is used.
    console.error(`bench: ${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

const groups: Array<[string, boolean, () => Promise<Figure[]>]> = [
  // In-process figures with V8's defaults first: the unlock group switches this process to the
  // lesson runner's lean heap (as `kubetutor start` does), which the trace viewer does not use.
  ['traces', false, async () => (await import('./traces.js')).bigTraces(cli)],
  ['first-frame', false, async () => (await import('./first-frame.js')).firstFrame(cli, Math.min(trials, 10)).then((r) => r.figures)],
  ['unlock', false, async () => (await import('./unlock.js')).unlockLatency(Math.max(20, trials))],
  ['idle', true, async () => (await import('./idle.js')).idleMinute()],
  ['lesson', true, async () => (await import('./lesson-run.js')).wholeLesson(cli)],
  ['traffic-rss', true, async () => (await import('./traffic-rss.js')).trafficRss(cli)],
];

const values = options();
// --cli PATH measures another build (say, an older commit's) with the same harness.
const cli = values.cli ?? join(packageRoot(), 'dist', 'cli.js');
const trials = Number(values.trials ?? 20);

function table(figures: Figure[]): string {
  const rows = figures.map((f) => [f.pass === null ? ' ' : f.pass ? '✓' : '✗', f.name, `${f.value} ${f.unit}`, f.target ? `${f.target} ${f.unit}` : '', f.detail ?? '']);
  const w = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i < 4 ? c.padEnd(w[i]) : c)).join('  ')).join('\n');
}

async function main() {
  console.log(`kubetutor bench — Node ${process.versions.node}, ${new Date().toISOString()}`);
  const figures: Figure[] = [];
  for (const [name, slow, run] of groups) {
    if (values.only && values.only !== name) continue;
    if (!values.only && slow && values.quick) continue;
    process.stderr.write(`… ${name}\n`);
    const got = await run();
    console.log(table(got));
    figures.push(...got);
  }
  const failed = figures.filter((f) => f.pass === false);
  console.log(`\n${figures.filter((f) => f.pass).length} of ${figures.filter((f) => f.pass !== null).length} targets met${failed.length ? `; missed: ${failed.map((f) => f.name).join(', ')}` : ''}`);
  if (values.json) writeFileSync(values.json, JSON.stringify(figures, null, 2) + '\n');
}

// The sandboxes, sessions and CLIs it starts write their temporary files in a folder of its own,
// removed at the end (a group's in-process sandbox can outlive it until the process exits).
const clean = ownTmpdir();

main().then(
  () => {
    clean();
    process.exit(0);
  },
  (e) => {
    clean();
    console.error(e);
    process.exit(1);
  },
);
