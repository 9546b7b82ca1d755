/**
 * What runs when the sandbox is asked to exec in a container: the command
 * table (sh, curl, grep, coreutils), each container's environment and
 * files, and the answer a container runtime gives for a program the image
 * does not have (containerd's OCI error, which kubectl prints as
 * `error: Internal error occurred: …` and exits 1). Inside `sh -c`, an
 * unknown name is the shell's `not found` and exit 127 instead.
 */
import { randomBytes } from 'node:crypto';
import type { ExecIO, ExecOutcome } from '../exec/index.js';
import type { KubeObject } from '../../kube/types.js';
import type { WorkloadRouter } from '../workload-router.js';
import { ByteSource } from './byte-streams.js';
import type { Command, CommandContext, ContainerInfo } from './command-types.js';
import { ContainerFs } from './container-fs.js';
import { containerEnvironment } from './container-env.js';
import { COREUTILS, whichCommand } from './coreutils.js';
import { curl } from './curl.js';
import { grep } from './grep.js';
import { PodMeshClient, type MeshView } from './mesh-client.js';
import { commandName, shellCommand, type CommandTable } from './shell.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Containers whose written files are kept (the oldest are forgotten first). */
const MAX_FILESYSTEMS = 256;

export const COMMANDS: CommandTable = (() => {
  const table = new Map<string, Command>(COREUTILS);
  table.set('grep', grep);
  table.set('curl', curl);
  table.set('sh', shellCommand(() => COMMANDS));
  table.set('bash', shellCommand(() => COMMANDS));
  table.set('which', whichCommand(() => COMMANDS));
  return table;
})();

/** containerd's error for a program that is not in the image. */
export function notFoundError(program: string): string {
  const execId = randomBytes(32).toString('hex');
  const why = program.includes('/') ? `stat ${program}: no such file or directory` : 'executable file not found in $PATH';
  return `failed to exec in container: failed to start exec "${execId}": OCI runtime exec failed: exec failed: unable to start container process: exec: "${program}": ${why}: unknown`;
}

export class SimulatedContainers {
  private readonly filesystems = new Map<string, ContainerFs>();

  constructor(private readonly view: MeshView, private readonly workloads: WorkloadRouter) {}

  private fsFor(pod: KubeObject, info: ContainerInfo): ContainerFs {
    const key = `${pod.metadata.uid ?? pod.metadata.name}/${info.container}`;
    let fs = this.filesystems.get(key);
    if (!fs) {
      fs = new ContainerFs(info);
      this.filesystems.set(key, fs);
      if (this.filesystems.size > MAX_FILESYSTEMS) this.filesystems.delete(this.filesystems.keys().next().value!);
    }
    return fs;
  }

  /** Runs argv in the container (the exec transport's runner). */
  async run(pod: KubeObject, container: string, argv: string[], io: ExecIO): Promise<ExecOutcome> {
    const name = commandName(COMMANDS, argv[0] ?? '');
    if (name === null) return { startError: notFoundError(argv[0] ?? '') };
    const spec = ((pod.spec as Any)?.containers ?? []).find((c: Any) => c.name === container) ?? {};
    const info: ContainerInfo = {
      podName: pod.metadata.name,
      namespace: pod.metadata.namespace ?? 'default',
      podIp: (pod.status as Any)?.podIP ?? '',
      container,
      image: spec.image ?? '',
    };
    const services = this.view.services(info.namespace);
    const kubernetes = this.view.services('default').find((s) => s.metadata.name === 'kubernetes');
    const ctx: CommandContext = {
      argv,
      env: containerEnvironment(pod, container, services, kubernetes, io.tty),
      stdin: io.stdin ? new ByteSource(io.stdin as AsyncIterable<Buffer>, io.signal) : ByteSource.empty(),
      stdout: io.writeStdout,
      stderr: io.writeStderr,
      stdoutIsTerminal: io.tty,
      fs: this.fsFor(pod, info),
      info,
      mesh: new PodMeshClient(pod, this.view, this.workloads),
      signal: io.signal,
      onInterrupt: io.tty ? io.onInterrupt : undefined,
    };
    return { exitCode: await COMMANDS.get(name)!(ctx) };
  }
}
