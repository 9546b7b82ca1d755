/**
 * What every command takes, in one table: `kubetutor --help` lists them all, `kubetutor COMMAND
 * --help` (or `kubetutor help COMMAND`) shows one with its options. Pure data and text.
 */

export interface CommandUsage {
  /** `kubetutor check LESSON [--step ID] …`. */
  synopsis: string;
  /** What it does, a few lines (shown in the overview too). */
  summary: string[];
  /** Each option with what it does: [flags, description]. */
  options: Array<[string, string]>;
}

const TARGET: Array<[string, string]> = [
  ['--sandbox[=SCENARIO]', 'the embedded sandbox cluster (the default target; scenario: ready)'],
  ['--kubeconfig FILE', 'a real cluster: this kubeconfig (default: $KUBECONFIG, then ~/.kube/config)'],
  ['--context NAME', 'the kubeconfig context to use (default: its current context)'],
  ['--lessons DIR', 'also look for lessons in DIR (repeatable)'],
];

const PORT_OPTION: [string, string] = ['--port LESSON=LOCAL', 'move a local port of the lesson (--port 15032=15099; =auto: any free port): its forwards, commands and checks use LOCAL, as m does on screen (repeatable)'];

const START_OPTIONS: Array<[string, string]> = [
  ...TARGET,
  ['--plain', 'print the lesson line by line instead of the screen (automatic without a terminal)'],
  ['--yes', 'skip the confirmation of a real cluster\'s context'],
  ['--trust', 'trust a lesson that is not kubetutor\'s own as it is now (you have read it)'],
  ['--class NAMESPACE', 'record your progress in NAMESPACE for the instructor\'s `kubetutor class`'],
  ['--name NAME', 'your name in the class (default: your user name)'],
  PORT_OPTION,
  ['--record FILE', 'keep what the terminal shows as an asciicast v2 file (asciinema play FILE)'],
];

export const COMMANDS: Record<string, CommandUsage> = {
  start: {
    synopsis: 'kubetutor [start] [LESSON] [--sandbox[=SCENARIO] | --kubeconfig FILE --context NAME] [--plain]',
    summary: [
      'Run a lesson (default: istio-jaeger). Without a target it runs on the embedded',
      'sandbox (scenario ready). --plain (automatic without a TTY) prints it line by line.',
      'A lesson that is not bundled runs nothing until you have read its source and trusted it.',
    ],
    options: START_OPTIONS,
  },
  list: {
    synopsis: 'kubetutor list [--lessons DIR]',
    summary: ['List the lessons found (bundled, and in --lessons folders).'],
    options: [['--lessons DIR', 'also look for lessons in DIR (repeatable)']],
  },
  check: {
    synopsis: 'kubetutor check LESSON [--step ID] [--json] [--trust] [--port 15032=PORT] [target flags]',
    summary: ['Evaluate the checks once (one step, or all); exit 0 iff all pass.'],
    options: [
      ['--step ID', 'only this step\'s checks'],
      ['--json', 'print [{step, check, ok, summary, diagnosis}] (exact data)'],
      ['--trust', 'let the `command` checks of a lesson that is not kubetutor\'s own run'],
      PORT_OPTION,
      ...TARGET,
    ],
  },
  test: {
    synopsis: 'kubetutor test LESSON [--scenario S | --eras [--jobs 2]] [--junit FILE] [--trust] [--port 15032=PORT]',
    summary: [
      'Self-test a lesson on a fresh sandbox (default scenario: fresh): every step\'s checks',
      'must fail before its solution runs and pass after. Exit 0 iff every step behaves.',
    ],
    options: [
      ['--scenario S', 'the sandbox scenario to start from (default: fresh)'],
      ['--eras', 'run it on the fresh world of every Istio era (fresh, istio-1.0-fresh, istio-1.1-fresh, modern-fresh), one line per era'],
      ['--jobs N', 'with --eras: eras tested at once, 1 (default) or 2 (the second on free local ports of its own)'],
      ['--junit FILE', 'also write the results as JUnit XML (with --eras, one suite per era)'],
      ['--timeout S', 'seconds each step may take to pass after its solution (default: 60)'],
      ['--trust', 'run the solutions of a lesson that is not kubetutor\'s own (you have read it)'],
      ['--lessons DIR', 'also look for lessons in DIR (repeatable)'],
      PORT_OPTION,
    ],
  },
  play: {
    synopsis: 'kubetutor play [LESSON] [target flags] [--pace MS]',
    summary: [
      'Instructor auto-play: each step\'s solution typed out, run, its checks awaited, then a',
      'pause for narration (space goes on; --pace MS goes on by itself). Stops on a failure.',
    ],
    options: [['--pace MS', 'go on by itself MS milliseconds after each step passes'], ...START_OPTIONS.map(([f, d]): [string, string] => (f === '--plain' ? [f, 'refused: auto-play drives the lesson screen, so it needs a terminal'] : [f, d]))],
  },
  lint: {
    synopsis: 'kubetutor lint PATH',
    summary: [
      'Validate a lesson (a lesson.md, or the folder holding it): file:line errors; warnings for',
      'steps without checks, commands that kill by name, variables no earlier step sets.',
      'Exit non-zero on errors.',
    ],
    options: [],
  },
  import: {
    synopsis: 'kubetutor import PAGE.md [--out DIR]',
    summary: ['Turn an istio.io page into a lesson skeleton, DIR/lesson.md, with a check placeholder per step.'],
    options: [['--out DIR', 'where to write lesson.md (default: ./<id>)']],
  },
  class: {
    synopsis: 'kubetutor class NAMESPACE [--kubeconfig F] [--context C] [--plain | --json] [--once]',
    summary: ['Live view of a class whose learners run start --class NAMESPACE: learners x steps, who is stuck longest.'],
    options: [
      ['--kubeconfig FILE', 'the shared cluster\'s kubeconfig (default: $KUBECONFIG, then ~/.kube/config)'],
      ['--context NAME', 'the kubeconfig context to use'],
      ['--plain', 'print a table at each change instead of redrawing the screen'],
      ['--json', 'print a JSON document at each change (exact data)'],
      ['--once', 'print once and exit'],
    ],
  },
  sandbox: {
    synopsis: 'kubetutor sandbox [--scenario S] [--port P] [--kubeconfig-out FILE] [--list-scenarios]',
    summary: [
      'Run the embedded sandbox cluster in the foreground until Ctrl-C (SIGINT/SIGTERM).',
      'Prints "kubeconfig: FILE" once it serves; point kubectl at it with --kubeconfig FILE',
      'or KUBECONFIG=FILE.',
    ],
    options: [
      ['--scenario S', 'the world to start in (default: ready); see --list-scenarios'],
      ['--port P', 'API server port on 127.0.0.1 (default: any free port)'],
      ['--kubeconfig-out FILE', 'where to write the kubeconfig, mode 0600 (default: $XDG_STATE_HOME/kubetutor/sandbox.kubeconfig)'],
      ['--list-scenarios', 'print each scenario with a one-line description'],
    ],
  },
  traces: {
    synopsis: 'kubetutor traces [--jaeger URL | --file F] [--service S] [--trace ID] [--limit N] [--compare A B | --stats] [--plain | --json [--format otlp]]',
    summary: [
      'Browse Jaeger traces in the terminal: the trace list, a waterfall, span details.',
      'Default URL http://localhost:15032 (/api or /jaeger/api found by itself). --plain (and',
      'no TTY) prints the most recent trace as a tree; --json prints its model.',
    ],
    options: [
      ['--jaeger URL', 'the Jaeger query service (default: http://localhost:15032)'],
      ['--file F', 'read a saved Jaeger API response, a single trace, or OTLP JSON instead'],
      ['--service S', 'the service whose traces to list (default: productpage)'],
      ['--trace ID', 'open this trace'],
      ['--limit N', 'how many traces to fetch (default: 20)'],
      ['--plain', 'print the most recent trace as an annotated tree'],
      ['--json', 'print the trace\'s model: tree, pairs, critical path (exact data)'],
      ['--format otlp', 'with --json: the trace as OTLP JSON (resourceSpans), for other tools'],
      ['--compare A B', 'compare two traces (ids, or files with one trace each): + only in B, - only in A, ~ changed'],
      ['--stats', 'the statistics table: count, total, avg, min, max, self time, critical path per group'],
      ['--group-by G', 'for --stats: service (default), operation, or tag:KEY'],
      ['--sort COLUMN', 'for --stats: group, count, total (default), avg, min, max, self, selfShare, critical; :asc for ascending'],
    ],
  },
  traffic: {
    synopsis: 'kubetutor traffic [--url URL | --path /productpage] [-n N] [--concurrency C]',
    summary: [
      'Send N GETs through the ingress gateway (GATEWAY_URL, or found via KUBECONFIG);',
      'prints progress, then status counts and latency percentiles. Exit 0 iff one got a 2xx.',
    ],
    options: [
      ['--url URL', 'the page to load (default: http://$GATEWAY_URL/productpage)'],
      ['--path PATH', 'the path on GATEWAY_URL (default: /productpage)'],
      ['-n, --count N', 'how many requests (default: 10)'],
      ['-c, --concurrency C', 'how many at a time (default: 1)'],
      ['--timeout S', 'seconds each request may take (default: 10)'],
    ],
  },
  cleanup: {
    synopsis: 'kubetutor cleanup [--yes]',
    summary: [
      'List the processes (port-forwards…) an earlier kubetutor run left running',
      'when it was killed; --yes stops them (checked by pid and start time, never by name).',
    ],
    options: [['-y, --yes', 'stop them']],
  },
};

export const COMMAND_NAMES = Object.keys(COMMANDS);

function optionLines(options: Array<[string, string]>): string[] {
  const w = Math.min(24, Math.max(...options.map(([f]) => f.length)));
  return options.map(([f, d]) => (f.length > w ? `  ${f}\n  ${' '.repeat(w)}  ${d}` : `  ${f.padEnd(w)}  ${d}`));
}

export const UNDOCUMENTED = '(not described yet)';

/**
 * `kubetutor COMMAND --help`. `accepted`: the long options the command's parser takes; one this
 * table does not describe is still listed (the test of the help makes sure none is).
 */
export function commandHelp(name: string, accepted: string[] = []): string {
  const c = COMMANDS[name];
  const described = (long: string) => c.options.some(([flags]) => new RegExp(`--${long}(?![\\w-])`).test(flags));
  const options: Array<[string, string]> = [...c.options, ...accepted.filter((long) => !described(long)).map((long): [string, string] => [`--${long}`, UNDOCUMENTED])];
  const lines = [`Usage: ${c.synopsis}`, '', ...c.summary];
  if (options.length) lines.push('', 'Options:', ...optionLines(options));
  lines.push('', 'kubetutor --help lists every command.');
  return `${lines.join('\n')}\n`;
}

/** `kubetutor --help`. */
export function overview(): string {
  const lines = ['kubetutor — interactive Kubernetes tutorials that check real cluster state', '', 'Usage:'];
  for (const c of Object.values(COMMANDS)) lines.push(`  ${c.synopsis}`, ...c.summary.map((s) => `      ${s}`));
  lines.push('  kubetutor --help | --version', '', 'kubetutor COMMAND --help (or kubetutor help COMMAND) shows a command\'s options.');
  return `${lines.join('\n')}\n`;
}
