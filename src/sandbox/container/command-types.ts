/** What a simulated command is given, and the shape of one. */
import type { ByteSource, Output } from './byte-streams.js';
import type { ContainerFs } from './container-fs.js';
import type { MeshClient } from './mesh-client.js';
import type { ContainerInfo } from './container-info.js';

export type { ContainerInfo } from './container-info.js';

export interface CommandContext {
  /** argv[0] is the name the command was called by. */
  argv: string[];
  /** The environment the command sees (exported variables). */
  env: Map<string, string>;
  stdin: ByteSource;
  stdout: Output;
  stderr: Output;
  /** stdout is the exec's terminal (kubectl exec -t), not a pipe or file. */
  stdoutIsTerminal: boolean;
  fs: ContainerFs;
  info: ContainerInfo;
  mesh: MeshClient;
  signal: AbortSignal;
  /** With a terminal: Ctrl-C calls the listener (an interactive shell stops the running line). */
  onInterrupt?: (listener: () => void) => void;
}

/** Runs and resolves with the exit status. */
export type Command = (ctx: CommandContext) => Promise<number>;
