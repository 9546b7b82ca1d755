/**
 * What every command takes, in one table: `kubetutor --help` lists them all, `kubetutor COMMAND
 * --help` (or `kubetutor help COMMAND`) shows one with its options, in the run's language (the
 * texts are in the message catalog, src/i18n/). Pure data and text.
 */
import { languageList, t, type MessageKey } from '../i18n/index.js';

type OptionKey = Extract<MessageKey, `opt.${string}`>;
type HelpKey = Extract<MessageKey, `help.${string}`>;

/** What every command takes besides its own options (src/cli.ts reads it before the command runs). */
export const LANG_OPTION: [string, OptionKey] = ['--lang LANG', 'opt.lang'];

export interface CommandUsage {
  /** `kubetutor check LESSON [--step ID] …`. */
  synopsis: string;
  /** What it does, a few lines (shown in the overview too): its message in the catalog. */
  summary: HelpKey;
  /** Each option with what it does: [flags, the description's message in the catalog]. */
  options: Array<[string, OptionKey]>;
}

const TARGET: Array<[string, OptionKey]> = [
  ['--sandbox[=SCENARIO]', 'opt.sandbox'],
  ['--kubeconfig FILE', 'opt.kubeconfig'],
  ['--context NAME', 'opt.context'],
  ['--lessons DIR', 'opt.lessons'],
];

const PORT_OPTION: [string, OptionKey] = ['--port LESSON=LOCAL', 'opt.port'];

const START_OPTIONS: Array<[string, OptionKey]> = [
  ...TARGET,
  ['--plain', 'opt.plain'],
  ['--yes', 'opt.yes'],
  ['--trust', 'opt.trustStart'],
  ['--class NAMESPACE', 'opt.class'],
  ['--name NAME', 'opt.name'],
  PORT_OPTION,
  ['--record FILE', 'opt.record'],
  ['--screen-reader', 'opt.screenReader'],
];

export const COMMANDS: Record<string, CommandUsage> = {
  start: {
    synopsis: 'kubetutor [start] [LESSON] [--sandbox[=SCENARIO] | --kubeconfig FILE --context NAME] [--plain]',
    summary: 'help.start',
    options: START_OPTIONS,
  },
  list: {
    synopsis: 'kubetutor list [--lessons DIR]',
    summary: 'help.list',
    options: [['--lessons DIR', 'opt.lessons']],
  },
  check: {
    synopsis: 'kubetutor check LESSON [--step ID] [--json] [--trust] [--port 15032=PORT] [target flags]',
    summary: 'help.check',
    options: [
      ['--step ID', 'opt.step'],
      ['--json', 'opt.checkJson'],
      ['--trust', 'opt.trustCheck'],
      PORT_OPTION,
      ...TARGET,
    ],
  },
  test: {
    synopsis: 'kubetutor test LESSON [--scenario S | --eras [--jobs 2]] [--junit FILE] [--trust] [--port 15032=PORT]',
    summary: 'help.test',
    options: [
      ['--scenario S', 'opt.testScenario'],
      ['--eras', 'opt.eras'],
      ['--jobs N', 'opt.jobs'],
      ['--junit FILE', 'opt.junit'],
      ['--timeout S', 'opt.testTimeout'],
      ['--trust', 'opt.trustTest'],
      ['--lessons DIR', 'opt.lessons'],
      PORT_OPTION,
    ],
  },
  play: {
    synopsis: 'kubetutor play [LESSON] [target flags] [--pace MS]',
    summary: 'help.play',
    options: [['--pace MS', 'opt.pace'], ...START_OPTIONS.map(([f, d]): [string, OptionKey] => (f === '--plain' ? [f, 'opt.playPlain'] : [f, d]))],
  },
  lint: {
    synopsis: 'kubetutor lint PATH',
    summary: 'help.lint',
    options: [],
  },
  import: {
    synopsis: 'kubetutor import PAGE.md [--out DIR]',
    summary: 'help.import',
    options: [['--out DIR', 'opt.out']],
  },
  class: {
    synopsis: 'kubetutor class NAMESPACE [--kubeconfig F] [--context C] [--plain | --json] [--once]',
    summary: 'help.class',
    options: [
      ['--kubeconfig FILE', 'opt.classKubeconfig'],
      ['--context NAME', 'opt.classContext'],
      ['--plain', 'opt.classPlain'],
      ['--json', 'opt.classJson'],
      ['--once', 'opt.once'],
    ],
  },
  sandbox: {
    synopsis: 'kubetutor sandbox [--scenario S] [--port P] [--kubeconfig-out FILE] [--list-scenarios]',
    summary: 'help.sandbox',
    options: [
      ['--scenario S', 'opt.sandboxScenario'],
      ['--port P', 'opt.sandboxPort'],
      ['--kubeconfig-out FILE', 'opt.kubeconfigOut'],
      ['--list-scenarios', 'opt.listScenarios'],
    ],
  },
  traces: {
    synopsis: 'kubetutor traces [--jaeger URL | --file F] [--service S] [--trace ID] [--limit N] [--compare A B | --stats] [--plain | --json [--format otlp]]',
    summary: 'help.traces',
    options: [
      ['--jaeger URL', 'opt.jaeger'],
      ['--file F', 'opt.file'],
      ['--service S', 'opt.service'],
      ['--trace ID', 'opt.trace'],
      ['--limit N', 'opt.limit'],
      ['--plain', 'opt.tracesPlain'],
      ['--json', 'opt.tracesJson'],
      ['--format otlp', 'opt.format'],
      ['--compare A B', 'opt.compare'],
      ['--stats', 'opt.stats'],
      ['--group-by G', 'opt.groupBy'],
      ['--sort COLUMN', 'opt.sort'],
    ],
  },
  traffic: {
    synopsis: 'kubetutor traffic [--url URL | --path /productpage] [-n N] [--concurrency C]',
    summary: 'help.traffic',
    options: [
      ['--url URL', 'opt.url'],
      ['--path PATH', 'opt.path'],
      ['-n, --count N', 'opt.count'],
      ['-c, --concurrency C', 'opt.concurrency'],
      ['--timeout S', 'opt.trafficTimeout'],
    ],
  },
  cleanup: {
    synopsis: 'kubetutor cleanup [--yes]',
    summary: 'help.cleanup',
    options: [['-y, --yes', 'opt.cleanupYes']],
  },
};

export const COMMAND_NAMES = Object.keys(COMMANDS);

function optionLines(options: Array<[string, string]>): string[] {
  const w = Math.min(24, Math.max(...options.map(([f]) => f.length)));
  return options.map(([f, d]) => (f.length > w ? `  ${f}\n  ${' '.repeat(w)}  ${d}` : `  ${f.padEnd(w)}  ${d}`));
}

/** An option's description in the run's language. */
const described = ([flags, key]: [string, OptionKey]): [string, string] => [flags, key === 'opt.lang' ? t(key, { languages: languageList() }) : t(key as Exclude<OptionKey, 'opt.lang'>)];

/**
 * `kubetutor COMMAND --help`. `accepted`: the long options the command's parser takes; one this
 * table does not describe is still listed (the test of the help makes sure none is). `--lang`,
 * which every command takes, comes last.
 */
export function commandHelp(name: string, accepted: string[] = []): string {
  const c = COMMANDS[name];
  const isDescribed = (long: string) => [...c.options, LANG_OPTION].some(([flags]) => new RegExp(`--${long}(?![\\w-])`).test(flags));
  const options: Array<[string, string]> = [
    ...c.options.map(described),
    ...accepted.filter((long) => !isDescribed(long)).map((long): [string, string] => [`--${long}`, t('cli.undocumented')]),
    described(LANG_OPTION),
  ];
  const lines = [t('cli.usageLine', { synopsis: c.synopsis }), '', ...t(c.summary).split('\n')];
  lines.push('', t('cli.options'), ...optionLines(options));
  lines.push('', t('cli.helpFooter'));
  return `${lines.join('\n')}\n`;
}

/** `kubetutor --help`. */
export function overview(): string {
  const lines = [t('cli.title'), '', t('cli.usage')];
  for (const c of Object.values(COMMANDS)) lines.push(`  ${c.synopsis}`, ...t(c.summary).split('\n').map((s) => `      ${s}`));
  const [flags, desc] = described(LANG_OPTION);
  lines.push('  kubetutor --help | --version', '', `  ${flags}  ${desc}`, '', t('cli.overviewFooter'));
  return `${lines.join('\n')}\n`;
}
