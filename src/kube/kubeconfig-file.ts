/**
 * Writing a kubeconfig file (mode 0600, atomically). Kept apart from the reader
 * (kubeconfig.ts, which loads client-node's KubeConfig, about 1.5 MB of code) so
 * that what only writes one -- the sandbox, the target chosen at start-up -- does
 * not load the Kubernetes client before the lesson's first frame.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Writes the file with mode 0600 (it may hold a bearer token), atomically. */
export function writeKubeconfig(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, file);
}
