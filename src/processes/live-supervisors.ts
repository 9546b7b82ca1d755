/**
 * The supervisors alive in this process, so that a signal or a fatal error can
 * stop every process group the runner started. Kept apart from supervisor.ts
 * (which loads execa) so the CLI can guard its exit from its first moment
 * without loading it.
 */
export interface LiveSupervisor {
  /** SIGTERM, then SIGKILL after a grace; settles once every group is gone. */
  stopAll(): Promise<void>;
  /** How many of its processes are running. */
  runningCount(): number;
}

const live = new Set<LiveSupervisor>();

export function registerSupervisor(s: LiveSupervisor): void {
  live.add(s);
}

export function unregisterSupervisor(s: LiveSupervisor): void {
  live.delete(s);
}

/**
 * Stops every process group any supervisor still runs. The SIGTERMs go out
 * before this returns; the promise settles once every group is gone.
 */
export function stopAllSupervised(): Promise<void> {
  return Promise.all([...live].map((s) => s.stopAll())).then(() => undefined);
}

/** How many processes the live supervisors are running. */
export function supervisedCount(): number {
  let n = 0;
  for (const s of live) n += s.runningCount();
  return n;
}
