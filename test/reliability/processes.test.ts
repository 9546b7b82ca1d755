/**
 * No orphaned processes, whichever way the runner ends; what a killed runner
 * left behind is offered to be stopped by the next one; a taken port is
 * reported with its holder, which is never touched.
 *
 * The built CLI runs in a real terminal (tmux) on a lesson written here, whose
 * background commands are a `sleep 300` and a real `kubectl port-forward` on a
 * free port. Every runner gets a unique KT_TEST_RUN variable, which its
 * children inherit: leftovers are the processes whose /proc/PID/environ holds it.
 */
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tmux } from '../helpers/tmux.js';
import { eventually, freePort, sleep } from '../helpers/sandbox.js';
import { procIdentity } from '../../src/processes/process-records.js';
import { PROC } from '../helpers/proc.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');

/** The processes whose environment holds KT_TEST_RUN=tag (zombies and others' processes are unreadable: skipped). */
function tagged(tag: string): Array<{ pid: number; cmd: string }> {
  const needle = `KT_TEST_RUN=${tag}\0`;
  const out: Array<{ pid: number; cmd: string }> = [];
  for (const e of readdirSync(PROC)) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const env = readFileSync(`${PROC}/${e}/environ`, 'latin1');
      if (!env.startsWith(needle) && !env.includes(`\0${needle}`)) continue;
      out.push({ pid: Number(e), cmd: readFileSync(`${PROC}/${e}/cmdline`, 'utf8').split('\0').join(' ').trim() });
    } catch {
      /* gone, or not ours */
    }
  }
  return out;
}
const isRunner = (p: { cmd: string }) => p.cmd.includes(CLI);
const children = (tag: string) => tagged(tag).filter((p) => !isRunner(p));
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`${PROC}/${pid}/stat`, 'utf8');
    return !/\)\s+Z\s/.test(stat);
  } catch {
    return false;
  }
};

/** A lesson of two steps; step 1 starts a sleeper and a port-forward to the sandbox's Jaeger pod on `port`. */
function writeLesson(port: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubetutor-rel-lesson-'));
  const fence = '```';
  writeFileSync(
    join(dir, 'lesson.md'),
    [
      '---',
      'id: stay-up',
      'title: Processes that stay up',
      '---',
      '',
      '## Start them {#start}',
      '',
      'A sleeper and a forward, both left running in the background.',
      '',
      `${fence}bash {background name=sleeper}`,
      'sleep 300',
      fence,
      '',
      `${fence}bash {background name=jaeger-fwd port=${port}}`,
      `kubectl port-forward --namespace istio-system "$(kubectl get pod --namespace istio-system --selector app=jaeger --output jsonpath='{.items[0].metadata.name}')" ${port}:16686`,
      fence,
      '',
      // Unanswered, so the learner stays on this step (and its commands stay on screen).
      `${fence}check`,
      '- kind: quiz',
      '  question: Are they running?',
      '  options: [yes, no]',
      '  answer: 0',
      fence,
      '',
      '## Stop them {#stop}',
      '',
      'Press x.',
      '',
      `${fence}check`,
      '- kind: process',
      '  name: sleeper',
      '  state: stopped',
      fence,
      '',
    ].join('\n'),
  );
  return join(dir, 'lesson.md');
}

interface Runner {
  tag: string;
  term: Tmux;
  state: string;
  port: number;
}

const terms: Tmux[] = [];
const spawned: ChildProcess[] = [];
afterEach(() => {
  for (const t of terms.splice(0)) t.kill();
});
afterAll(async () => {
  for (const c of spawned) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
});

/** The built CLI on the lesson, in a terminal of its own; `; echo` shows its exit status once it is done. */
function startRunner(opts: { state?: string; args?: string[]; env?: Record<string, string>; port?: number } = {}): Runner {
  const tag = randomBytes(6).toString('hex');
  const state = opts.state ?? mkdtempSync(join(tmpdir(), 'kubetutor-rel-state-'));
  const port = opts.port ?? 0;
  const lesson = writeLesson(port);
  const args = opts.args ?? ['--sandbox'];
  const term = new Tmux(`node ${CLI} start ${lesson} --trust ${args.join(' ')}; echo "runner exit status $?"`, {
    width: 220,
    height: 40,
    env: { XDG_STATE_HOME: state, TERM: 'xterm-256color', KT_TEST_RUN: tag, ...opts.env },
    cwd: ROOT,
  });
  terms.push(term);
  return { tag, term, state, port };
}

// On the step screen each command sits in its own frame: the focused one has the heavy edge and
// `›`, the frame's bottom edge tells its process's state.
/** The sleeper's frame has the focus and shows its command. */
const SLEEPER_FOCUSED = /┏━ › background command 1 of 2: sleeper[^\n]*\n[^\n]*┃ \$ sleep 300/;
/** The sleeper's frame (the first of the two) says its process runs. */
const SLEEPER_RUNNING = /background command 1 of 2: sleeper[^\n]*\n[^\n]*\$ sleep 300[^\n]*\n[^\n]*[━─] ● running \(pid \d+\)/;
/** The forward's frame says it serves (its health check answered). */
const FORWARD_SERVING = /background command 2 of 2: jaeger-fwd[\s\S]*?[┗└][━─] ● serving on :\d+/;

/** Runs both background commands of step 1 and waits until both are up. */
async function startBackground(r: Runner): Promise<number> {
  await r.term.waitFor(/Step 1 of 2/, 30_000);
  await r.term.waitFor(SLEEPER_FOCUSED);
  r.term.keys('Enter');
  await r.term.waitFor(SLEEPER_RUNNING);
  r.term.keys('Down');
  r.term.keys('Enter');
  await r.term.waitFor(FORWARD_SERVING, 30_000);
  const kids = children(r.tag);
  expect(kids.some((k) => k.cmd === 'sleep 300')).toBe(true);
  expect(kids.some((k) => /^kubectl port-forward/.test(k.cmd))).toBe(true);
  return kids.length;
}

const records = (r: Runner) => (existsSync(join(r.state, 'kubetutor', 'processes')) ? readdirSync(join(r.state, 'kubetutor', 'processes')) : []);
const runnerPid = (r: Runner) => tagged(r.tag).find(isRunner)?.pid;

/** Waits for the runner to exit; returns the children left the moment it was gone, then waits for none. */
async function leftoversAfterExit(r: Runner, pid: number): Promise<number> {
  await eventually(() => !alive(pid), 30_000, `runner ${pid} to exit`);
  const atExit = children(r.tag);
  await eventually(() => children(r.tag).length === 0, 5_000, `no leftovers (left: ${JSON.stringify(children(r.tag))})`).catch(() => undefined);
  expect(children(r.tag), 'processes left running after the runner exited').toEqual([]);
  return atExit.length;
}

const figures: Record<string, number | string> = {};
afterAll(() => {
  if (Object.keys(figures).length) console.log(`leftover processes per exit path:\n${Object.entries(figures).map(([k, v]) => `  ${k.padEnd(34)} ${v}`).join('\n')}`);
});

describe('every exit path leaves zero children', () => {
  const paths: Array<[string, (r: Runner, pid: number) => void]> = [
    ['q', (r) => r.term.keys('q')],
    ['Ctrl-C (key)', (r) => r.term.keys('C-c')],
    ['SIGINT', (_r, pid) => process.kill(pid, 'SIGINT')],
    ['SIGTERM', (_r, pid) => process.kill(pid, 'SIGTERM')],
    [
      'SIGHUP (tmux kill-server)',
      (r) => {
        r.term.kill(); // the terminal closes under the runner
        terms.splice(terms.indexOf(r.term), 1);
      },
    ],
  ];
  test.each(paths)('%s', async (name, quit) => {
    const r = startRunner({ port: await freePort() });
    const before = await startBackground(r);
    const pid = runnerPid(r)!;
    expect(pid).toBeGreaterThan(0);
    quit(r, pid);
    const left = await leftoversAfterExit(r, pid);
    figures[name] = `${left} (of ${before} started)`;
    if (name !== 'SIGHUP (tmux kill-server)') {
      const screen = await r.term.waitFor(/runner exit status \d+/);
      expect(screen).not.toMatch(/^\s+at /m);
    }
    // Their records went with them: the next start finds nothing to offer.
    expect(records(r)).toEqual([]);
    // Ending is not an error: nothing was logged as one.
    expect(existsSync(join(r.state, 'kubetutor', 'errors.log'))).toBe(false);
  }, 90_000);

  test.each([
    ['uncaught exception', 'crash-on-usr2'],
    ['unhandled rejection', 'reject-on-usr2'],
  ])('an %s stops every process group, prints one line, logs the stack', async (name, fault) => {
    const r = startRunner({ port: await freePort(), env: { KUBETUTOR_FAULT: fault } });
    const before = await startBackground(r);
    const pid = runnerPid(r)!;
    expect(alive(pid)).toBe(true);
    process.kill(pid, 'SIGUSR2'); // fires the fault
    const left = await leftoversAfterExit(r, pid);
    figures[`${name} (KUBETUTOR_FAULT)`] = `${left} (of ${before} started)`;
    const screen = await r.term.waitFor(/runner exit status \d+/);
    expect(screen).toMatch(/runner exit status 70/);
    expect(screen).toMatch(new RegExp(`kubetutor: internal error: injected fault \\(KUBETUTOR_FAULT=${fault}\\)\\. Stopped the 2 processes it had started\\. Details: \\S+errors\\.log`));
    expect(screen).not.toMatch(/^\s+at /m); // no stack for the learner…
    const log = readFileSync(join(r.state, 'kubetutor', 'errors.log'), 'utf8');
    expect(log).toMatch(/Error: injected fault/);
    expect(log).toMatch(/^\s+at /m); // …it is in the log
    expect(records(r)).toEqual([]);
  }, 90_000);
});

describe('after a SIGKILL of the runner', () => {
  let sandbox: ChildProcess | undefined;
  afterAll(async () => {
    if (sandbox && sandbox.exitCode === null) {
      sandbox.kill('SIGTERM');
      await new Promise((r) => sandbox!.once('exit', r));
    }
  });

  test('what it left running is offered to the next start, stopped with y; a recycled pid is never touched', async () => {
    // A sandbox of its own process, as a real cluster would be: the forward outlives the runner too.
    const dir = mkdtempSync(join(tmpdir(), 'kubetutor-rel-sb-'));
    const kubeconfig = join(dir, 'kubeconfig');
    sandbox = spawn('node', [CLI, 'sandbox', '--scenario', 'ready', '--kubeconfig-out', kubeconfig], { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, XDG_STATE_HOME: dir } });
    spawned.push(sandbox);
    await new Promise<void>((resolve) => sandbox!.stdout!.on('data', (d) => /kubeconfig: /.test(String(d)) && resolve()));
    const state = mkdtempSync(join(tmpdir(), 'kubetutor-rel-state-'));
    const first = startRunner({ state, port: await freePort(), args: ['--kubeconfig', kubeconfig, '--yes'] });
    await startBackground(first);
    const pid = runnerPid(first)!;
    process.kill(pid, 'SIGKILL');
    await eventually(() => !alive(pid), 10_000, 'the runner to die');
    await sleep(500);
    const orphans = children(first.tag);
    figures['SIGKILL (before the next start)'] = orphans.length;
    expect(orphans.map((o) => o.cmd).sort()).toEqual([expect.stringMatching(/^kubectl port-forward /), 'sleep 300']);

    // An unrelated process of ours whose pid a stale record names, with another start time:
    // the pid was recycled. It must be neither offered nor signalled, and its record is dropped.
    const bystander = spawn('sleep', ['300'], { stdio: 'ignore', detached: true });
    spawned.push(bystander);
    // Its start time as the runner records it (from /proc, or from ps where there is none).
    const id = procIdentity(bystander.pid!)!;
    const recDir = join(state, 'kubetutor', 'processes');
    const records = readdirSync(recDir);
    expect(records).toHaveLength(2);
    const template = JSON.parse(readFileSync(join(recDir, records[0]), 'utf8')) as Record<string, unknown>;
    const fake = join(recDir, `${bystander.pid}-${id.startTime - 7}.json`);
    writeFileSync(fake, JSON.stringify({ ...template, pid: bystander.pid, pgid: bystander.pid, startTime: id.startTime - 7, name: 'recycled', command: 'sleep 300 (recycled pid)' }));

    // `kubetutor cleanup` (no --yes) lists them and touches nothing.
    const listed = await cli(['cleanup'], { XDG_STATE_HOME: state });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^2 processes from an earlier kubetutor run are still running:$/m);
    expect(listed.stdout).toMatch(/Stop them with: kubetutor cleanup --yes/);
    expect(listed.stdout).not.toContain(`pid ${bystander.pid} `);
    expect(children(first.tag)).toHaveLength(2);

    // --plain prints them and how to stop them.
    const plain = await plainStart(state, kubeconfig);
    expect(plain).toMatch(/2 processes from an earlier kubetutor run are still running:\n {2}pid \d+ (sleep 300|kubectl port-forward)/);
    expect(plain).toMatch(/Stop them with: kubetutor cleanup --yes/);
    expect(children(first.tag)).toHaveLength(2);

    // The next start (any lesson) asks before the lesson starts.
    const second = startRunner({ state, port: await freePort(), args: ['--kubeconfig', kubeconfig, '--yes'] });
    const prompt = await second.term.waitFor(/Stop them\? y\/n/, 30_000);
    expect(prompt).toMatch(/2 processes from an earlier kubetutor run are still running:/);
    for (const o of orphans) expect(prompt).toContain(`pid ${o.pid} ${o.cmd.slice(0, 20)}`);
    expect(prompt).not.toContain(`pid ${bystander.pid} `);
    expect(prompt).not.toMatch(/Step 1 of 2/);
    second.term.keys('y');
    await second.term.waitFor(/stopped 2 processes from an earlier run/, 15_000);
    await second.term.waitFor(/Step 1 of 2/);
    figures['SIGKILL (after y at the next start)'] = children(first.tag).length;
    expect(children(first.tag)).toEqual([]);
    expect(alive(bystander.pid!), 'the process behind the recycled pid was signalled').toBe(true);
    expect(existsSync(fake), 'the stale record is dropped').toBe(false);
    expect(readdirSync(recDir)).toEqual([]);
    bystander.kill('SIGTERM');
    second.term.keys('q');
    await second.term.waitFor(/runner exit status 0/);

    // Nothing left: cleanup says so.
    const none = await cli(['cleanup', '--yes'], { XDG_STATE_HOME: state });
    expect(none.stdout).toBe('No processes from earlier kubetutor runs are running.\n');
  }, 150_000);

  test('kubetutor cleanup --yes stops them (after a SIGKILL)', async () => {
    const state = mkdtempSync(join(tmpdir(), 'kubetutor-rel-state-'));
    const r = startRunner({ state, port: await freePort() });
    await r.term.waitFor(/Step 1 of 2/, 30_000);
    await r.term.waitFor(SLEEPER_FOCUSED);
    r.term.keys('Enter');
    await r.term.waitFor(SLEEPER_RUNNING);
    const pid = runnerPid(r)!;
    // While its runner lives, a process is not left over: another kubetutor must not offer it.
    expect((await cli(['cleanup'], { XDG_STATE_HOME: state })).stdout).toMatch(/^No processes/);
    process.kill(pid, 'SIGKILL');
    await eventually(() => !alive(pid), 10_000, 'the runner to die');
    expect(children(r.tag).map((c) => c.cmd)).toEqual(['sleep 300']);
    const out = await cli(['cleanup', '--yes'], { XDG_STATE_HOME: state });
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^1 process from an earlier kubetutor run is still running:\n {2}pid \d+ sleep 300 {3}\(lesson stay-up, sandbox-ready, since /);
    expect(out.stdout).toMatch(/^stopped pid \d+ sleep 300$/m);
    expect(children(r.tag)).toEqual([]);
  }, 90_000);
});

describe('a port already in use', () => {
  let holder: net.Server | undefined;
  afterAll(() => holder?.close());

  test('is reported with its holder (pid and program) and a free port; m moves the forward; the holder lives on', async () => {
    const port = await freePort();
    holder = net.createServer((s) => s.end('held\n'));
    await new Promise<void>((r) => holder!.listen(port, '127.0.0.1', () => r()));
    const r = startRunner({ port });
    await r.term.waitFor(/Step 1 of 2/, 30_000);
    await r.term.waitFor(SLEEPER_FOCUSED);
    r.term.keys('Down');
    r.term.keys('Enter');
    const screen = await r.term.waitFor(/port \d+ is taken by[\s\S]*press m to move it there\)/, 20_000);
    // The notice is word-wrapped to the pane: its lines read as one sentence again.
    const rows = screen.split('\n');
    const at = rows.findIndex((l) => /is taken by/.test(l));
    const end = rows.findIndex((l, i) => i >= at && /press m to move it there\)/.test(l));
    const line = rows.slice(at, end + 1).map((l) => l.replace(/^.*│/, '').trim()).join(' ');
    const m = line.match(/port (\d+) is taken by pid (\d+) \((.+?)\); stop that process, or run this forward on (\d+) instead \(press m to move it there\)/);
    expect(m, line).not.toBeNull();
    expect(Number(m![1])).toBe(port);
    expect(Number(m![2])).toBe(process.pid);
    expect(m![3]).toMatch(/node/);
    const offered = Number(m![4]);
    expect(offered).not.toBe(port);
    console.log(`port in use: ${line.trim()}`);
    r.term.keys('m');
    await r.term.waitFor(new RegExp(`jaeger-fwd now forwards localhost:${offered}`), 20_000);
    await r.term.waitFor(FORWARD_SERVING, 30_000);
    // The holder was never touched: it still answers on its port.
    const answer = await new Promise<string>((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1');
      let text = '';
      s.on('data', (d) => (text += d));
      s.on('end', () => resolve(text));
      s.on('error', reject);
    });
    expect(answer).toBe('held\n');
    expect(holder.listening).toBe(true);
    const pid = runnerPid(r)!;
    r.term.keys('q');
    await leftoversAfterExit(r, pid);
  }, 90_000);
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
function cli(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile('node', [CLI, ...args], { env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** `start --plain` until it has shown the lesson's first step, then SIGTERM; its output. */
async function plainStart(state: string, kubeconfig: string): Promise<string> {
  const child = spawn('node', [CLI, 'start', writeLesson(await freePort()), '--plain', '--trust', '--kubeconfig', kubeconfig, '--yes'], { env: { ...process.env, XDG_STATE_HOME: state }, stdio: ['ignore', 'pipe', 'pipe'] });
  spawned.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  await eventually(() => /== Step 1 of 2/.test(out), 30_000, `the plain lesson (got: ${out}; stderr: ${err})`);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return out;
}
