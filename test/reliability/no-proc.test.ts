/**
 * Without /proc (macOS's situation, made here by hiding /proc in a mount namespace: see
 * test/helpers/no-proc.ts): the built CLI records its processes with ps's start times, finds a
 * port's holder with lsof and ps, stops what a killed run left (and only that: identity is pid
 * AND start time), and runs the whole lesson. The test watches from outside, with /proc.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tmux } from '../helpers/tmux.js';
import { eventually, freePort, stopChild } from '../helpers/sandbox.js';
import { noProcShell, noProcUnavailable } from '../helpers/no-proc.js';
import { psInfo, PS_CLOCK } from '../../src/processes/process-table.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const unavailable = noProcUnavailable();
if (unavailable) console.warn(`no-proc tests skipped: ${unavailable}`);

interface Run { code: number; stdout: string; stderr: string }
/** The built CLI with /proc hidden. */
function cliNoProc(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile('sh', ['-c', noProcShell(`node ${CLI} ${args.map((a) => `'${a}'`).join(' ')}`)], { env: { ...process.env, ...env }, timeout: 120_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) }),
    );
  });
}

const alive = (pid: number) => existsSync(`/proc/${pid}`) && !/\)\s+Z\s/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
const spawned: ChildProcess[] = [];
const terms: Tmux[] = [];
afterAll(async () => {
  for (const t of terms) t.kill();
  await Promise.all(spawned.map(stopChild));
});

describe.skipIf(!!unavailable)('with /proc hidden (as on macOS)', () => {
  test('inside, there is no /proc; ps and lsof still work', async () => {
    const r = await new Promise<Run>((resolve) =>
      execFile('sh', ['-c', noProcShell(`sh -c 'ls -A /proc | wc -l; ps -o pgid= -p $$ | tr -d " "; echo $$'`)], (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr })),
    );
    expect(r.stderr).toBe('');
    const [entries, pgid] = r.stdout.trim().split('\n');
    expect(entries).toBe('0');
    expect(Number(pgid)).toBeGreaterThan(1);
  });

  test('a taken port is named by pid and program (lsof and ps), before anything runs', async () => {
    const port = await freePort();
    const script = join(mkdtempSync(join(tmpdir(), 'kubetutor-holder-')), 'other-program.mjs');
    writeFileSync(script, `import http from 'node:http';\nhttp.createServer((q, s) => s.end('not jaeger')).listen(Number(process.argv[2]), '127.0.0.1', () => console.log('up'));\n`);
    const holder = spawn(process.execPath, [script, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
    spawned.push(holder);
    await new Promise<void>((resolve) => holder.stdout!.on('data', (d) => /up/.test(String(d)) && resolve()));
    const r = await cliNoProc(['test', 'istio-jaeger', '--port', `15032=${port}`], { XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'kubetutor-np-')) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`is taken by pid ${holder.pid} \\(.*other-program\\.mjs ${port}\\)\\. Stop that process, or run again with --port 15032=\\d+`));
  });

  test('kubetutor test runs the whole lesson: forwards supervised, health-checked and stopped', async () => {
    const r = await cliNoProc(['test', 'istio-jaeger', '--port', '15032=auto'], { XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'kubetutor-np-')) });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^istio-jaeger: 5 of 5 steps behave$/m);
    expect(r.code).toBe(0);
  }, 150_000);

  test('records carry ps start times; after a SIGKILL, cleanup stops the leftover and never a recycled pid', async () => {
    const state = mkdtempSync(join(tmpdir(), 'kubetutor-np-state-'));
    const dir = mkdtempSync(join(tmpdir(), 'kubetutor-np-lesson-'));
    const fence = '```';
    writeFileSync(join(dir, 'lesson.md'), ['---', 'id: np', 'title: Without proc', '---', '', '## Start it {#start}', '', 'A sleeper.', '', `${fence}bash {background name=sleeper}`, 'sleep 300', fence, '', `${fence}check`, '- kind: quiz', '  question: Running?', '  options: [yes, no]', '  answer: 0', fence, ''].join('\n'));
    const term = new Tmux(noProcShell(`node ${CLI} start ${join(dir, 'lesson.md')} --trust --sandbox`), { width: 160, height: 40, env: { XDG_STATE_HOME: state, TERM: 'xterm-256color' }, cwd: ROOT });
    terms.push(term);
    // The sleeper's frame has the focus (heavy edge, `›`); its bottom edge tells the process's state.
    await term.waitFor(/┏━ › background command 1 of 1: sleeper[^\n]*\n[^\n]*┃ \$ sleep 300/, 30_000);
    term.keys('Enter');
    await term.waitFor(/\$ sleep 300[^\n]*\n[^\n]*[━─] ● running \(pid \d+\)/);
    const recDir = join(state, 'kubetutor', 'processes');
    const [file] = await eventually(() => (existsSync(recDir) && readdirSync(recDir).length ? readdirSync(recDir) : undefined), 5000, 'a record');
    const rec = JSON.parse(readFileSync(join(recDir, file), 'utf8')) as { pid: number; pgid: number; startTime: number; bootId: string; command: string; owner: { pid: number } };
    // Made the /proc-less way: ps's UTC seconds, and the clock named instead of a boot id.
    expect(rec.bootId).toBe(PS_CLOCK);
    expect(rec.command).toBe('sleep 300');
    expect(rec.startTime).toBe(psInfo(rec.pid)!.startTime);
    expect(Math.abs(rec.startTime - Date.now() / 1000)).toBeLessThan(120);
    expect(rec.pgid).toBe(rec.pid);

    process.kill(rec.owner.pid, 'SIGKILL');
    await eventually(() => !alive(rec.owner.pid), 10_000, 'the runner to die');
    expect(alive(rec.pid)).toBe(true);

    // A stale record whose pid is now another process (its start time differs): never signalled.
    const bystander = spawn('sleep', ['300'], { stdio: 'ignore', detached: true });
    spawned.push(bystander);
    await eventually(() => psInfo(bystander.pid!), 5000, 'the bystander');
    const stale = { ...rec, pid: bystander.pid, pgid: bystander.pid, startTime: psInfo(bystander.pid!)!.startTime - 7, command: 'sleep 300 (recycled pid)' };
    writeFileSync(join(recDir, `${bystander.pid}-${stale.startTime}.json`), JSON.stringify(stale));

    const listed = await cliNoProc(['cleanup'], { XDG_STATE_HOME: state });
    expect(listed.stdout).toMatch(/^1 process from an earlier kubetutor run is still running:$/m);
    expect(listed.stdout).toContain(`pid ${rec.pid} sleep 300`);
    expect(listed.stdout).not.toContain(`pid ${bystander.pid} `);
    const stopped = await cliNoProc(['cleanup', '--yes'], { XDG_STATE_HOME: state });
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain(`stopped pid ${rec.pid} sleep 300`);
    await eventually(() => !alive(rec.pid), 10_000, 'the leftover to stop');
    expect(alive(bystander.pid!)).toBe(true);
  }, 120_000);
});
