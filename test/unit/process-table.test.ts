/**
 * The process table without /proc: ps's and lsof's real output, read the way a Mac's would be.
 * Run normally, these compare the ps path with /proc on the same processes; run by
 * scripts/test-no-proc.sh (/proc hidden), they also prove the run-time choice fell on ps.
 */
import { describe, expect, test } from 'vitest';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { lsofListeners, parsePsLine, processTableKind, procfsUsable, psInfo, PS_CLOCK } from '../../src/processes/process-table.js';
import { bootId, parseProcStat, procIdentity } from '../../src/processes/process-records.js';
import { commandLine, processGroupOf, whoHolds } from '../../src/processes/port-owner.js';
import { NO_PROC, PROC } from '../helpers/proc.js';
import { listenOnFreePort } from '../helpers/ports.js';

describe('ps lines', () => {
  test('start time (UTC seconds), group, state and the whole command line', () => {
    expect(parsePsLine('Fri Dec  4 19:33:53 2026  4242 Ss   kubectl port-forward -n istio-system pod/jaeger 15032:16686')).toEqual({
      startTime: Date.UTC(2026, 11, 4, 19, 33, 53) / 1000,
      pgid: 4242,
      state: 'Ss',
      args: 'kubectl port-forward -n istio-system pod/jaeger 15032:16686',
    });
    expect(parsePsLine('Mon Jan 12 03:04:05 2026     1 Z    ')).toMatchObject({ pgid: 1, state: 'Z', args: '' });
  });

  test('anything else is undefined', () => {
    for (const bad of ['', '  PID TTY', 'Fri Foo  4 19:33:53 2026  1 S x', '4242 Ss kubectl']) expect(parsePsLine(bad)).toBeUndefined();
  });
});

describe('on this machine', () => {
  test(NO_PROC ? 'with /proc hidden, the ps way is chosen' : 'with /proc, the /proc way is chosen', () => {
    expect(procfsUsable()).toBe(!NO_PROC);
    expect(processTableKind()).toBe(NO_PROC ? 'ps' : 'proc');
    expect(bootId()).toBe(NO_PROC ? PS_CLOCK : readFileSync(`${PROC}/sys/kernel/random/boot_id`, 'utf8').trim());
  });

  test('ps tells the same as /proc about a child: group, state, command line, start time', async () => {
    const child = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 200));
      const ps = psInfo(child.pid!)!;
      const stat = parseProcStat(readFileSync(`${PROC}/${child.pid}/stat`, 'utf8'))!;
      expect(ps.pgid).toBe(child.pid); // detached: a group of its own
      expect(ps.pgid).toBe(stat.pgid);
      expect(ps.state).toMatch(/^S/);
      expect(ps.args).toBe('sleep 30');
      const btime = Number(/^btime (\d+)$/m.exec(readFileSync(`${PROC}/stat`, 'utf8'))![1]);
      expect(Math.abs(ps.startTime - (btime + stat.startTime / 100))).toBeLessThanOrEqual(1);
      // What the runner records and shows, whichever way it reads them.
      expect(procIdentity(child.pid!)).toEqual(NO_PROC ? { pgid: ps.pgid, startTime: ps.startTime } : stat);
      expect(await commandLine(child.pid!)).toBe('sleep 30');
      expect(await processGroupOf(child.pid!)).toBe(child.pid);
    } finally {
      child.kill('SIGKILL');
    }
  });

  test('a zombie has no identity (it runs nothing any more), and a gone pid none either', async () => {
    const child = spawn('sleep', ['0'], { stdio: 'ignore' });
    const pid = child.pid!;
    // Exited but not reaped while this event loop does not turn: wait synchronously for ps to see Z.
    const end = Date.now() + 5000;
    while (Date.now() < end && !psInfo(pid)?.state.startsWith('Z')) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    expect(psInfo(pid)?.state).toMatch(/^Z/);
    expect(procIdentity(pid)).toBeUndefined();
    await new Promise((r) => child.once('exit', r));
    await new Promise((r) => setTimeout(r, 50));
    expect(psInfo(pid)).toBeUndefined();
  });

  test('lsof names the listener of a port; whoHolds agrees (by /proc, or by lsof and ps)', async () => {
    const { server, port } = await listenOnFreePort();
    try {
      expect(await lsofListeners(port)).toEqual([process.pid]);
      const holder = await whoHolds(port);
      expect(holder?.pid).toBe(process.pid);
      expect(holder?.command).toContain('node');
    } finally {
      await new Promise((r) => server.close(r));
    }
    expect(await lsofListeners(port)).toEqual([]);
  });
});
