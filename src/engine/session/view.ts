/** What the UI receives from a session (one view object), and how a session is set up. */
import type { Check, CheckResult, Lesson } from '../../lesson/types.js';
import type { CheckEnv } from '../../checks/types.js';
import type { ProcessInfo } from '../../processes/supervisor.js';
import type { ForwardInfo } from '../../processes/forward-supervisor.js';
import type { ProcessRecords } from '../../processes/process-records.js';
import type { ClusterTrouble } from '../../cluster/watch-cache.js';
import type { PortMap } from '../../lesson/port-remap.js';
import type { EraContext } from '../../lesson/eras.js';
import type { EngineState } from '../engine-state.js';

export interface RunningCommand { step: number; index: number; name: string }

/** A command's output as kept: its last lines (the supervisor keeps 200), and how many came before them. */
export interface CommandOutput { step: number; index: number; command: string; lines: string[]; dropped?: number; exitCode?: number }

/** What the runner found out about the cluster, shown so the learner sees it. */
export interface FoundFacts { era?: string; version?: string; gatewayUrl?: string; gatewayHow?: string }

export interface SessionView {
  lesson: Lesson;
  targetLabel: string;
  targetKind: 'sandbox' | 'cluster';
  engine: EngineState;
  processes: ProcessInfo[];
  /** The supervised port-forwards, with their health. */
  forwards: ForwardInfo[];
  /** The foreground command running now, if any. */
  running: RunningCommand | null;
  /** Output of the latest foreground command (last lines). */
  output: CommandOutput | null;
  vars: Record<string, string>;
  /** What the runner found out about the cluster, shown so the learner sees it. */
  found: FoundFacts;
  /** The lesson era of this cluster and the tools on PATH, which `when` blocks are matched against. */
  eraContext?: EraContext;
  /** Set while the cluster cannot be reached or refuses the credentials; the step and progress are kept meanwhile. */
  clusterTrouble?: ClusterTrouble | null;
  /** A one-line notice (e.g. "step 2 passed: step 3 unlocked"). */
  notice: string | null;
  /** Counts the notices given, so the UI can tell a new notice from one it has dismissed. */
  noticeSeq: number;
  /** The step the learner was viewing when the notice was given (it is about that moment). */
  noticeStep: number;
  finished: boolean;
  /** Set while the lesson may not run commands: not bundled, not trusted yet. The UI shows `source` before asking. */
  untrusted: { file: string; sha256: string; source: string } | null;
}

export interface SessionOptions {
  /** How often the current step's checks re-run by themselves. @default 1000 */
  intervalMs?: number;
  /** Where progress is kept; none when undefined. */
  progressFile?: string;
  /**
   * Whether the lesson may run commands (its own, solutions, `command` checks). Default: bundled
   * lessons and lessons the learner trusted before (see lesson/trust.ts); others wait for `trust()`.
   */
  trusted?: boolean;
  /** Evaluates one check (injected so the UI tests can run against the real sandbox or a fake). */
  evaluate?: (check: Check, env: CheckEnv) => Promise<CheckResult>;
  /** Where the processes it starts are recorded while they run (so a later run finds them if this one is killed). */
  processRecords?: ProcessRecords;
  /**
   * The lesson's local ports moved before it starts (`--port 15032=15099`): its forwards,
   * commands and checks use the new ports, as after `m`.
   */
  ports?: PortMap;
}
