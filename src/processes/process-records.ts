/**
 * A record, on disk, of every process the runner starts, so that
 * processes outliving a runner that was killed outright (SIGKILL, OOM) can be
 * found and stopped by the next one. One small JSON file per process under
 * `$XDG_STATE_HOME/kubetutor/processes/`: several runners may write at once.
 *
 * A process is recognised by its pid *and* its start time (field 22 of
 * /proc/PID/stat, with the boot it counts from; without /proc, as on macOS,
 * `ps -o lstart=` in UTC seconds): a recycled pid never matches, and nothing
 * is ever matched by name. Where neither can be read nothing is recorded, so
 * nothing is ever signalled.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateDir } from '../state-dir.js';
import { procfsUsable, psInfo, PS_CLOCK } from './process-table.js';
import { sleep } from '../retry.js';
import { t } from '../i18n/index.js';

/** `$XDG_STATE_HOME/kubetutor/processes/` (default `~/.local/state/kubetutor/processes/`). */
export function processRecordsDir(): string {
  return join(stateDir(), 'processes');
}

export interface ProcessRecord {
  pid: number;
  /** The process group it leads (the runner starts each child in a group of its own). */
  pgid: number;
  /** Clock ticks after boot at which it started (/proc/PID/stat field 22); without /proc, UTC seconds from ps. */
  startTime: number;
  /**
   * The clock `startTime` counts on: /proc/sys/kernel/random/boot_id when it started (ticks mean
   * nothing across a reboot), or `ps-lstart-utc` for ps's wall-clock seconds.
   */
  bootId: string;
  /** The runner's name for it (`jaeger-forward`). */
  name: string;
  command: string;
  lesson: string;
  target: string;
  /** The runner that started it: while that one lives, the process is not left over. */
  owner: { pid: number; startTime: number };
  startedAt: string;
}

/** pid, process group and start time of a process, from the text of /proc/PID/stat. Pure. */
export function parseProcStat(text: string): { pgid: number; startTime: number } | undefined {
  // `pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime
  // stime cutime cstime priority nice num_threads itrealvalue starttime …`: comm may hold spaces
  // and parentheses, so fields are counted from the last ')'. After it, field 3 (state) is [0].
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const rest = text.slice(close + 2).trim().split(/\s+/);
  const pgid = Number(rest[2]);
  const startTime = Number(rest[19]);
  if (!Number.isInteger(pgid) || !Number.isInteger(startTime) || rest.length < 20) return undefined;
  return { pgid, startTime };
}

/** A process's group and start time now, or undefined when it is gone (or a zombie, or cannot be read). */
export function procIdentity(pid: number, procRoot = '/proc'): { pgid: number; startTime: number } | undefined {
  if (!procfsUsable(procRoot)) {
    const ps = psInfo(pid);
    return ps && !ps.state.startsWith('Z') ? { pgid: ps.pgid, startTime: ps.startTime } : undefined;
  }
  try {
    const text = readFileSync(`${procRoot}/${pid}/stat`, 'utf8');
    // A zombie still has its stat line, but it is not running anything any more.
    if (/\)\s+Z\s/.test(text)) return undefined;
    return parseProcStat(text);
  } catch {
    return undefined;
  }
}

let cachedBootId: string | undefined;
export function bootId(procRoot = '/proc'): string {
  if (procRoot !== '/proc') return readBootId(procRoot);
  return (cachedBootId ??= readBootId(procRoot));
}
function readBootId(procRoot: string): string {
  if (!procfsUsable(procRoot)) return PS_CLOCK;
  try {
    return readFileSync(`${procRoot}/sys/kernel/random/boot_id`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** True when `rec` still names the very process that was recorded (same pid, start time and boot). */
export function stillSame(rec: Pick<ProcessRecord, 'pid' | 'startTime' | 'bootId'>, procRoot = '/proc'): boolean {
  if (rec.bootId !== bootId(procRoot)) return false;
  const now = procIdentity(rec.pid, procRoot);
  return now !== undefined && now.startTime === rec.startTime;
}

/** The command as one line, shortened for a prompt. Pure. */
export function describeRecord(rec: ProcessRecord, max = 90): string {
  const cmd = rec.command.replace(/\s*\\\n\s*/g, ' ').replace(/\s+/g, ' ').trim();
  return `pid ${rec.pid} ${cmd.length > max ? `${cmd.slice(0, max - 1)}…` : cmd}`;
}

/** "2 processes from an earlier kubetutor run are still running" (or "1 process … is"). Pure. */
export function leftoverHeadline(n: number): string {
  return t('proc.rec.headline', { count: n });
}

/** One line per stopped process, for the learner. Pure. */
export function describeStops(results: StopResult[]): string[] {
  return results.map((r) =>
    r.outcome === 'stopped' ? t('proc.rec.stopped', { what: describeRecord(r.record, 60) }) : r.outcome === 'gone' ? t('proc.rec.gone', { pid: r.record.pid }) : t('proc.rec.couldNot', { pid: r.record.pid, why: r.error ?? '' }),
  );
}

/** The same, in one line (for a notice). Pure. */
export function summarizeStops(results: StopResult[]): string {
  const stopped = results.filter((r) => r.outcome !== 'failed').length;
  const failed = results.filter((r) => r.outcome === 'failed');
  const head = t('proc.rec.summary', { count: stopped });
  return failed.length ? t('proc.rec.summaryFailed', { head, list: failed.map((r) => `pid ${r.record.pid} (${r.error})`).join(', ') }) : head;
}

function isRecord(x: unknown): x is ProcessRecord {
  const r = x as ProcessRecord;
  return !!r && typeof r === 'object' && Number.isInteger(r.pid) && r.pid > 1 && Number.isInteger(r.pgid) && r.pgid > 1 && Number.isInteger(r.startTime) && typeof r.bootId === 'string' && typeof r.command === 'string' && !!r.owner && Number.isInteger(r.owner.pid);
}

export interface StopResult {
  record: ProcessRecord;
  outcome: 'stopped' | 'gone' | 'failed';
  /** Why it failed (e.g. it belongs to another user). */
  error?: string;
}

export class ProcessRecords {
  private me: { pgid: number; startTime: number } | undefined;

  constructor(
    readonly dir: string,
    private procRoot = '/proc',
  ) {}

  private file(pid: number, startTime: number): string {
    return join(this.dir, `${pid}-${startTime}.json`);
  }

  /**
   * Records a process just started (synchronously: a runner killed the next moment must
   * already have left the record). Returns a function that removes it, or undefined when
   * the process cannot be identified (gone already, or no /proc).
   */
  add(pid: number, info: Pick<ProcessRecord, 'name' | 'command' | 'lesson' | 'target'>): (() => void) | undefined {
    const id = procIdentity(pid, this.procRoot);
    const me = (this.me ??= procIdentity(process.pid, this.procRoot)); // this runner's own start time never changes
    if (!id || !me) return undefined;
    const rec: ProcessRecord = { pid, pgid: id.pgid, startTime: id.startTime, bootId: bootId(this.procRoot), ...info, owner: { pid: process.pid, startTime: me.startTime }, startedAt: new Date().toISOString() };
    const file = this.file(pid, id.startTime);
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(rec, null, 2) + '\n', { mode: 0o600 });
      renameSync(tmp, file);
    } catch {
      return undefined; // a read-only state dir must not stop the lesson
    }
    return () => removeQuietly(file);
  }

  /** Every readable record, with its file. */
  private all(): Array<{ file: string; rec: ProcessRecord }> {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    const out: Array<{ file: string; rec: ProcessRecord }> = [];
    for (const n of names) {
      if (!/^\d+-\d+\.json$/.test(n)) continue;
      const file = join(this.dir, n);
      try {
        const rec = JSON.parse(readFileSync(file, 'utf8')) as unknown;
        if (isRecord(rec)) out.push({ file, rec });
        else removeQuietly(file);
      } catch {
        removeQuietly(file);
      }
    }
    return out;
  }

  /**
   * The recorded processes still running whose runner is gone: left over from an earlier run.
   * Records of processes that are gone (or whose pid now names another process) are dropped.
   * Processes of a runner still alive (another kubetutor, or this one) are left alone.
   */
  leftovers(): ProcessRecord[] {
    const out: ProcessRecord[] = [];
    for (const { file, rec } of this.all()) {
      if (!stillSame(rec, this.procRoot)) {
        removeQuietly(file);
        continue;
      }
      const ownerAlive = stillSame({ pid: rec.owner.pid, startTime: rec.owner.startTime, bootId: rec.bootId }, this.procRoot);
      if (!ownerAlive) out.push(rec);
    }
    return out.sort((a, b) => a.startTime - b.startTime || a.pid - b.pid);
  }

  /**
   * Stops left-over processes: each one's group gets SIGTERM, then SIGKILL after `graceMs`,
   * and only after the start time was checked again right before each signal.
   */
  async stop(records: ProcessRecord[], graceMs = 3000): Promise<StopResult[]> {
    return Promise.all(records.map((r) => this.stopOne(r, graceMs)));
  }

  private async stopOne(rec: ProcessRecord, graceMs: number): Promise<StopResult> {
    const file = this.file(rec.pid, rec.startTime);
    const signal = (sig: NodeJS.Signals): 'sent' | 'gone' | string => {
      if (!stillSame(rec, this.procRoot)) return 'gone';
      // The group when the recorded process still leads it; otherwise only that process.
      const now = procIdentity(rec.pid, this.procRoot);
      const target = now && now.pgid === rec.pgid && rec.pgid === rec.pid ? -rec.pgid : rec.pid;
      try {
        process.kill(target, sig);
        return 'sent';
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        return code === 'ESRCH' ? 'gone' : `${code ?? (e as Error).message}`;
      }
    };
    const first = signal('SIGTERM');
    if (first === 'gone') {
      removeQuietly(file);
      return { record: rec, outcome: 'gone' };
    }
    if (first !== 'sent') return { record: rec, outcome: 'failed', error: first === 'EPERM' ? t('proc.rec.notPermitted') : first };
    const end = Date.now() + graceMs;
    while (Date.now() < end && stillSame(rec, this.procRoot)) await sleep(50);
    if (stillSame(rec, this.procRoot)) {
      signal('SIGKILL');
      const hard = Date.now() + 2000;
      while (Date.now() < hard && stillSame(rec, this.procRoot)) await sleep(50);
    }
    if (stillSame(rec, this.procRoot)) return { record: rec, outcome: 'failed', error: t('proc.rec.stillAfterKill') };
    removeQuietly(file);
    return { record: rec, outcome: 'stopped' };
  }
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    /* already gone */
  }
}
