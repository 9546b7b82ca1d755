/** The built CLI's manners: --help for every command, did-you-mean, one line (never a stack) when a command fails, lint's order. */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');
const COMMANDS = ['start', 'list', 'check', 'test', 'play', 'lint', 'import', 'class', 'sandbox', 'traces', 'traffic', 'cleanup'];

interface Run { code: number; stdout: string; stderr: string }
function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile('node', [CLI, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) }),
    );
  });
}
const noStack = (s: string) => expect(s).not.toMatch(/^\s+at /m);

describe('kubetutor COMMAND --help and kubetutor help COMMAND', () => {
  it.each(COMMANDS)('%s', async (cmd) => {
    for (const args of [[cmd, '--help'], [cmd, '-h'], ['help', cmd]]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stderr).toBe('');
      const synopsis = cmd === 'start' ? 'kubetutor [start]' : `kubetutor ${cmd}`;
      expect(r.stdout.startsWith(`Usage: ${synopsis}`), r.stdout).toBe(true);
      // The options listed are the ones its parser takes, each described.
      expect(r.stdout, `${args.join(' ')}: an option without a description`).not.toContain('(not described yet)');
    }
  });

  it('kubetutor --help lists every command; the default command takes --help too', async () => {
    const all = await cli(['--help']);
    expect(all.code).toBe(0);
    for (const cmd of COMMANDS.filter((c) => c !== 'start')) expect(all.stdout).toContain(`kubetutor ${cmd}`);
    const start = await cli(['istio-jaeger', '--sandbox', '--help']);
    expect(start.code).toBe(0);
    expect(start.stdout).toMatch(/^Usage: kubetutor \[start\]/);
    const bad = await cli(['help', 'lsit']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('kubetutor: no command "lsit"; did you mean list? (kubetutor --help lists them)\n');
  });
});

describe('an unknown option', () => {
  it.each([
    [['sandbox', '--scenaro', 'fresh'], 'kubetutor sandbox: unknown option --scenaro; did you mean --scenario?'],
    [['check', 'istio-jaeger', '--stpe', 'x'], 'kubetutor check: unknown option --stpe; did you mean --step?'],
    [['traces', '--plian'], 'kubetutor traces: unknown option --plian; did you mean --plain?'],
    [['test', 'istio-jaeger', '--junt', 'x.xml'], 'kubetutor test: unknown option --junt; did you mean --junit?'],
    [['class', 'ns', '--conext', 'c'], 'kubetutor class: unknown option --conext; did you mean --context?'],
    [['start', '--kubeconfg', 'f'], 'kubetutor start: unknown option --kubeconfg; did you mean --kubeconfig?'],
    [['traffic', '--frobnicate'], 'kubetutor traffic: unknown option --frobnicate'],
  ])('%j names the command and the nearest option', async (args, line) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${line} (kubetutor ${args[0]} --help lists its options)\n`);
  });
});

describe('a command that fails', () => {
  it.each(COMMANDS)('%s: one line, the stack in errors.log, a non-zero exit', async (cmd) => {
    const state = mkdtempSync(join(tmpdir(), 'kt-manners-'));
    const r = await cli([cmd, ...(['check', 'test', 'lint', 'import', 'class'].includes(cmd) ? ['x'] : [])], { KUBETUTOR_FAULT: `throw:${cmd}`, XDG_STATE_HOME: state });
    expect(r.code).toBe(70);
    const log = join(state, 'kubetutor', 'errors.log');
    expect(r.stderr).toBe(`kubetutor ${cmd}: internal error: injected fault (KUBETUTOR_FAULT=throw:${cmd}). A bug in kubetutor: please report it, with the details from ${log}.\n`);
    expect(readFileSync(log, 'utf8')).toMatch(/Error: injected fault[^\n]*\n\s+at /);
  });

  it('a system call that fails is one line too (what failed), not a bug report', async () => {
    const state = mkdtempSync(join(tmpdir(), 'kt-manners-'));
    const notDir = join(state, 'file');
    writeFileSync(notDir, 'x');
    const page = join(import.meta.dirname, '..', 'fixtures', 'hugo', 'sample-task.md');
    const r = await cli(['import', page, '--out', join(notDir, 'sub')], { XDG_STATE_HOME: state });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^kubetutor import: ENOTDIR: not a directory, mkdir '[^']+' \(details: [^)]+errors\.log\)\n$/);
    noStack(r.stderr);
  });
});

describe('kubetutor lint', () => {
  it('prints the errors first, in file:line order, then the warnings, and ends the summary with a newline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kt-lint-'));
    const file = join(dir, 'lesson.md');
    writeFileSync(
      file,
      [
        '---', 'id: order', 'title: Order', '---', '',
        '## One {#one}', '', '```bash', 'pkill -f port-forward', '```', '',
        '```check', '- kind: nope', '```', '',
        '## Two {#two}', '', '```bash', 'echo ${UNSET_VAR}', '```', '',
        '```check', '- kind: alsonope', '```', '',
      ].join('\n'),
    );
    // One pipe for both streams, as a terminal shows them (writes to pipes are synchronous on Linux).
    const r = await new Promise<Run>((resolve) =>
      execFile('sh', ['-c', `node ${CLI} lint ${file} 2>&1`], (err, stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stdout, stderr })),
    );
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(r.stdout.endsWith('\n')).toBe(true);
    expect(lines.at(-2)).toMatch(/^\S+lesson\.md: \d+ errors?, \d+ warnings?$/);
    const findings = lines.slice(0, -2).map((l) => /^(\S+):(\d+): (error|warning): /.exec(l));
    expect(findings.every(Boolean), r.stdout).toBe(true);
    const kinds = findings.map((m) => m![3]);
    expect(kinds.indexOf('warning') === -1 || kinds.lastIndexOf('error') < kinds.indexOf('warning'), r.stdout).toBe(true);
    const errorLines = findings.filter((m) => m![3] === 'error').map((m) => Number(m![2]));
    expect(errorLines.length).toBeGreaterThan(0);
    expect(errorLines).toEqual([...errorLines].sort((a, b) => a - b));
  });
});
