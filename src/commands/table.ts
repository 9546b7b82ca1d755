/**
 * The commands, by name: each loads its module only when chosen (start-up time matters in front
 * of a room). src/cli.ts looks the name up here; no command imports cli.ts.
 */
type Command = (args: string[]) => Promise<number>;

export const COMMANDS: Record<string, Command> = {
  sandbox: async (rest) => (await import('./sandbox-command.js')).sandboxCommand(rest),
  start: async (rest) => (await import('./start-command.js')).startCommand(rest),
  check: async (rest) => (await import('./check-command.js')).checkCommand(rest),
  list: async (rest) => (await import('./list-command.js')).listCommand(rest),
  play: async (rest) => (await import('./start-command.js')).startCommand(rest, { play: true }),
  test: async (rest) => (await import('./test-command.js')).testCommand(rest),
  lint: async (rest) => (await import('./lint-command.js')).lintCommand(rest),
  import: async (rest) => (await import('./import-command.js')).importCommand(rest),
  class: async (rest) => (await import('./class-command.js')).classCommand(rest),
  traces: async (rest) => (await import('./traces-command.js')).tracesCommand(rest),
  traffic: async (rest) => (await import('./traffic-command.js')).trafficCommand(rest),
  cleanup: async (rest) => (await import('./cleanup-command.js')).cleanupCommand(rest),
};

/** `kubetutor`, `kubetutor LESSON` and `kubetutor --sandbox …`: the whole command line goes to `start`. */
export const startByDefault: Command = async (argv) => (await import('./start-command.js')).startCommand(argv);
