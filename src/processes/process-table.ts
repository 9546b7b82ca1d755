/**
 * What the runner asks about other processes — start time, process group,
 * state, command line, who listens on a port — answered where there is no
 * /proc (macOS, BSDs, a container with /proc hidden) by the system's own
 * tools: `ps -o lstart=,pgid=,stat=,args=` and `lsof -nP -iTCP:PORT
 * -sTCP:LISTEN`. Which way is chosen at run time (see `procfsUsable`); the
 * /proc readers themselves stay in process-records.ts and port-owner.ts.
 *
 * No maintained library does this: ps-list and find-process shell out to the
 * same tools but drop the start time, which is what identifies a process here.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** /proc is there to read (`procRoot/self` exists: the real /proc, or a test's fake one). */
export function procfsUsable(procRoot = '/proc'): boolean {
  return existsSync(`${procRoot}/self`);
}

/** How this machine is asked about processes: /proc, ps (and lsof), or not at all. */
export function processTableKind(procRoot = '/proc'): 'proc' | 'ps' | 'none' {
  if (procfsUsable(procRoot)) return 'proc';
  return psWorks() ? 'ps' : 'none';
}

/**
 * The clock `ps` start times are counted on, kept where /proc records keep the boot id:
 * wall-clock seconds (UTC), meaningful across reboots, so no boot id is needed.
 */
export const PS_CLOCK = 'ps-lstart-utc';

export interface PsInfo {
  /** Start time, seconds since the epoch (lstart has whole seconds). */
  startTime: number;
  pgid: number;
  /** ps's STAT column: `S`, `Ss`, `R+`, `Z` … */
  state: string;
  /** The command line, arguments joined by spaces. */
  args: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * One line of `ps -o lstart=,pgid=,stat=,args=` run with LC_ALL=C TZ=UTC
 * (`Fri Dec  4 19:33:53 2026  4242 Ss   kubectl port-forward …`). Pure.
 */
export function parsePsLine(line: string): PsInfo | undefined {
  const m = line.match(/^\s*[A-Z][a-z]{2} ([A-Z][a-z]{2}) +(\d{1,2}) (\d\d):(\d\d):(\d\d) (\d{4})\s+(\d+)\s+(\S+)(?:\s(.*))?$/);
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[1]);
  if (month < 0) return undefined;
  const startTime = Date.UTC(Number(m[6]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])) / 1000;
  return { startTime, pgid: Number(m[7]), state: m[8], args: (m[9] ?? '').trim() };
}

let psChecked: boolean | undefined;
function psWorks(): boolean {
  return (psChecked ??= psInfo(process.pid) !== undefined);
}

/** `ps` about one process, synchronously (a record must be written before anything else can happen); undefined when it is gone or ps cannot tell. */
export function psInfo(pid: number): PsInfo | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  let out: string;
  try {
    out = execFileSync('ps', ['-o', 'lstart=,pgid=,stat=,args=', '-p', String(pid)], { encoding: 'utf8', env: psEnv(), stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 });
  } catch {
    return undefined; // no such process (ps exits 1), or no ps
  }
  const line = out.split('\n').find((l) => l.trim());
  return line ? parsePsLine(line) : undefined;
}

/** The pids listening on local TCP `port`, from lsof; empty when none, or without lsof. */
export function lsofListeners(port: number): Promise<number[]> {
  return new Promise((resolve) => {
    execFile('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-t'], { encoding: 'utf8', env: psEnv(), timeout: 5000 }, (_err, stdout) => {
      // lsof exits 1 when nothing matches; its output is the answer either way.
      resolve([...new Set(String(stdout ?? '').split('\n').map((l) => Number(l.trim())).filter((n) => Number.isInteger(n) && n > 0))].sort((a, b) => a - b));
    });
  });
}

function psEnv(): NodeJS.ProcessEnv {
  // English month names and UTC, whatever the learner's locale and zone.
  return { ...process.env, LC_ALL: 'C', LANG: 'C', TZ: 'UTC' };
}
