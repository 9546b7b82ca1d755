/**
 * The query of a `pods/NAME/exec` request, as kubectl and client-node send it:
 * one `command=` per argv word, `container=`, and the stream flags
 * (`stdin`, `stdout`, `stderr`, `tty`; kubectl omits false ones,
 * client-node sends all four).
 */

export interface ExecRequest {
  command: string[];
  container: string | undefined;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

function flag(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v === 'true' || v === '1';
}

export function parseExecQuery(url: string | undefined): ExecRequest {
  const q = new URL(url ?? '/', 'https://sandbox').searchParams;
  return {
    command: q.getAll('command'),
    container: q.get('container') ?? undefined,
    stdin: flag(q, 'stdin'),
    stdout: flag(q, 'stdout'),
    stderr: flag(q, 'stderr'),
    tty: flag(q, 'tty'),
  };
}

/**
 * Why the request is refused before any upgrade (the kubelet's 400 messages),
 * or null. `tty` with `stderr` is allowed: like the kubelet, stderr then goes
 * where stdout goes.
 */
export function execRequestProblem(r: ExecRequest): string | null {
  if (r.command.length === 0) return 'you must specify at least 1 command';
  if (!r.stdin && !r.stdout && !r.stderr) return 'you must specify at least 1 of stdin, stdout, stderr';
  return null;
}
