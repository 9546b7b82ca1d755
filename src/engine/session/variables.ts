/**
 * The variables lesson commands and checks see: what the runner found out (the Istio era, the
 * Jaeger URL, GATEWAY_URL) under what the learner's commands exported, which win.
 */
import { readFileSync } from 'node:fs';

/** Variables bash sets by itself: not the lesson's. */
const SHELL_VARS = new Set(['SHLVL', '_', 'PWD', 'OLDPWD', '__kt_status', 'BASH_EXECUTION_STRING']);

export class VariablesStore {
  /** Exported by the learner's commands (kept in the progress file). */
  private exported: Record<string, string>;
  /** Found by the runner; the learner's own exports win. */
  private found: Record<string, string> = {};

  constructor(saved: Record<string, string> = {}) {
    this.exported = { ...saved };
  }

  /** Every variable, the learner's over the runner's. */
  all(): Record<string, string> {
    return { ...this.found, ...this.exported };
  }

  /** What the learner's commands exported (what progress keeps). */
  get learners(): Record<string, string> {
    return this.exported;
  }

  get discovered(): Record<string, string> {
    return this.found;
  }

  /** Replaces what the runner found; true when that changed anything. */
  setDiscovered(next: Record<string, string>): boolean {
    if (JSON.stringify(next) === JSON.stringify(this.found)) return false;
    this.found = next;
    return true;
  }

  /** Updates some of what the runner found. */
  mergeDiscovered(some: Record<string, string>): void {
    this.found = { ...this.found, ...some };
  }

  /**
   * Reads the `env -0` dump a command left in `file` and keeps what it exported (anything not in
   * `before`, the environment it started with). True when a variable changed.
   */
  captureFrom(file: string, before: Record<string, string>): boolean {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return false;
    }
    let changed = false;
    for (const entry of text.split('\0')) {
      const eq = entry.indexOf('=');
      if (eq <= 0) continue;
      const k = entry.slice(0, eq);
      const v = entry.slice(eq + 1);
      if (SHELL_VARS.has(k) || k === 'KT_ENV_FILE' || before[k] === v) continue;
      this.exported[k] = v;
      changed = true;
    }
    return changed;
  }
}
