#!/usr/bin/env node
/**
 * kubetutor's command line: parses the arguments, then loads only the
 * module the chosen command needs (start-up time matters in front of a room).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './package-root.js';

export class UsageError extends Error {}

const HELP = `kubetutor — interactive Kubernetes tutorials that check real cluster state

Usage:
  kubetutor [start] [LESSON] [--sandbox[=SCENARIO] | --kubeconfig FILE --context NAME] [--plain]
      Run a lesson (default: istio-jaeger). Without a target it runs on the embedded
      sandbox (scenario ready). --plain (automatic without a TTY) prints it line by line.
      --lessons DIR adds a folder of lessons; --yes skips the real-cluster confirmation;
      --class NAMESPACE [--name NAME] records your progress for the instructor's 'kubetutor class'.
      A lesson that is not bundled runs nothing until you have read its source and trusted it
      (the screen shows it; --trust trusts it as it is now).
  kubetutor list [--lessons DIR]
      List the lessons found (bundled, and in --lessons folders).
  kubetutor check LESSON [--step ID] [--json] [--trust] [target flags]
      Evaluate the checks once (one step, or all); exit 0 iff all pass.
  kubetutor test LESSON [--scenario S] [--junit FILE] [--trust]
      Self-test a lesson on a fresh sandbox (default scenario: fresh): every step's checks
      must fail before its solution runs and pass after. Exit 0 iff every step behaves.
  kubetutor play [LESSON] [target flags] [--pace MS]
      Instructor auto-play: each step's solution typed out, run, its checks awaited, then a
      pause for narration (space goes on; --pace MS goes on by itself). Stops on a failure.
  kubetutor lint PATH
      Validate a lesson: file:line errors; warnings for steps without checks, commands
      that kill by name, variables no earlier step sets. Exit non-zero on errors.
  kubetutor import PAGE.md [--out DIR]   (istio.io page → DIR/lesson.md skeleton; default DIR ./<id>)
  kubetutor class NAMESPACE [--kubeconfig F] [--context C] [--plain | --json] [--once]
      Live view of a class whose learners run start --class NAMESPACE: learners x steps, who is stuck longest.
  kubetutor sandbox [--scenario S] [--port P] [--kubeconfig-out FILE] [--list-scenarios]
      Run the embedded sandbox cluster in the foreground until Ctrl-C (SIGINT/SIGTERM).
      Prints "kubeconfig: FILE" once it serves; point kubectl at it with --kubeconfig FILE
      or KUBECONFIG=FILE.
  kubetutor traces [--jaeger URL | --file F] [--service S] [--trace ID] [--limit N] [--plain | --json]
      Browse Jaeger traces in the terminal: the trace list, a waterfall, span details.
      Default URL http://localhost:15032 (/api or /jaeger/api found by itself). --plain (and
      no TTY) prints the most recent trace as a tree; --json prints its model.
  kubetutor traffic [--url URL | --path /productpage] [-n N] [--concurrency C]
      Send N GETs through the ingress gateway (GATEWAY_URL, or found via KUBECONFIG);
      prints progress, then status counts and latency percentiles. Exit 0 iff one got a 2xx.
  kubetutor cleanup [--yes]
      List the processes (port-forwards…) an earlier kubetutor run left running
      when it was killed; --yes stops them (checked by pid and start time, never by name).
  kubetutor --help | --version

Sandbox options:
  --scenario S          the world to start in (default: ready); see --list-scenarios
  --port P              API server port on 127.0.0.1 (default: any free port)
  --kubeconfig-out FILE where to write the kubeconfig (mode 0600)
                        (default: $XDG_STATE_HOME/kubetutor/sandbox.kubeconfig)
  --list-scenarios      print each scenario with a one-line description
`;

const version = () => (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;

export function parse<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O) {
  try {
    return parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (cmd === '--version' || cmd === '-v') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  switch (cmd ?? '') {
    case 'sandbox':
      return (await import('./commands/sandbox-command.js')).sandboxCommand(rest);
    case 'start':
      return (await import('./commands/start-command.js')).startCommand(rest);
    case 'check':
      return (await import('./commands/check-command.js')).checkCommand(rest);
    case 'list':
      return (await import('./commands/list-command.js')).listCommand(rest);
    case 'play':
      return (await import('./commands/start-command.js')).startCommand(rest, { play: true });
    case 'test':
      return (await import('./commands/test-command.js')).testCommand(rest);
    case 'lint':
      return (await import('./commands/lint-command.js')).lintCommand(rest);
    case 'import':
      return (await import('./commands/import-command.js')).importCommand(rest);
    case 'class':
      return (await import('./commands/class-command.js')).classCommand(rest);
    case 'traces':
      return (await import('./commands/traces-command.js')).tracesCommand(rest);
    case 'traffic':
      return (await import('./commands/traffic-command.js')).trafficCommand(rest);
    case 'cleanup':
      return (await import('./commands/cleanup-command.js')).cleanupCommand(rest);
    default:
      // `kubetutor`, `kubetutor LESSON` and `kubetutor --sandbox …` all mean `start`.
      return (await import('./commands/start-command.js')).startCommand(argv);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // The command is done: a watch or timer a library left behind must not keep the process alive.
    setTimeout(() => process.exit(code), 1000).unref();
  },
  (e: Error) => {
    // User errors get one clear line; only real bugs show a stack.
    if (e instanceof UsageError || e.name === 'UserError' || (e as { userError?: boolean }).userError) {
      process.stderr.write(`kubetutor: ${e.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`kubetutor: internal error: ${e.stack ?? e.message}\n`);
      process.exitCode = 70;
    }
  },
);
