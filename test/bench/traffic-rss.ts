/**
 * Memory of a busy sandbox: the lesson open in `kubetutor start` (a real PTY,
 * the embedded sandbox in the same process), then `kubetutor traffic -n 10000
 * -c 8` against that sandbox, as a workshop room does. Every request becomes
 * a stored trace (the store keeps 10,000). The figure is the runner's
 * resident memory once the traffic is done (VmRSS), with its peak beside it.
 */
import { readdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { spawnPty } from './pty.js';
import { round, type Figure } from './stats.js';

const REQUESTS = 10_000;

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

function sandboxKubeconfig(pid: number): string | undefined {
  const name = readdirSync(tmpdir()).find((f) => f.startsWith(`kubetutor-sandbox-${pid}-`) && f.endsWith('.kubeconfig'));
  return name ? join(tmpdir(), name) : undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function trafficRss(cli: string): Promise<Figure[]> {
  const state = mkdtempSync(join(tmpdir(), 'kubetutor-bench-'));
  const run = spawnPty([process.execPath, cli, 'start', 'istio-jaeger', '--sandbox'], { env: { ...process.env, XDG_STATE_HOME: state, CI: '' } });
  try {
    // The step screen is up (on the ready scenario it opens at step 2: step 1 already passes).
    await run.waitFor(/Step \d+ of \d+/, 60_000);
    let pid: number | undefined;
    let kubeconfig: string | undefined;
    for (let i = 0; i < 100 && !kubeconfig; i++) {
      pid ??= run.programPid();
      if (pid) kubeconfig = sandboxKubeconfig(pid);
      if (!kubeconfig) await sleep(100);
    }
    if (!pid || !kubeconfig) throw new Error('the runner wrote no sandbox kubeconfig');
    await sleep(3000); // let start-up settle: first checks, watches
    const before = statusKb(pid, 'VmRSS');
    const t0 = performance.now();
    const traffic = await new Promise<{ code: number; out: string }>((resolve) => {
      execFile(process.execPath, [cli, 'traffic', '-n', String(REQUESTS), '-c', '8'], { env: { ...process.env, KUBECONFIG: kubeconfig, GATEWAY_URL: '', XDG_STATE_HOME: state, CI: 'true' }, maxBuffer: 16 * 1024 * 1024, timeout: 600_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? 1 : 0, out: `${stdout}${stderr}` }),
      );
    });
    const seconds = (performance.now() - t0) / 1000;
    await sleep(2000);
    const after = statusKb(pid, 'VmRSS');
    const peak = statusKb(pid, 'VmHWM');
    const ok = traffic.code === 0 && /200/.test(traffic.out);
    const mb = (kb: number) => round(kb / 1024, 0);
    return [
      {
        name: 'RSS after 10k requests',
        value: mb(after),
        unit: 'MB',
        target: '<= 200',
        pass: ok && after / 1024 <= 200,
        detail: `${ok ? '' : 'THE TRAFFIC RUN FAILED; '}lesson open in kubetutor start on the sandbox: ${mb(before)} MB before, peak ${mb(peak)} MB; kubetutor traffic -n ${REQUESTS} -c 8 took ${round(seconds, 0)} s`,
      },
    ];
  } finally {
    run.write('q');
    await Promise.race([run.exited, sleep(5000)]);
    run.kill();
    rmSync(state, { recursive: true, force: true });
  }
}
