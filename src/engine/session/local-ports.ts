/** Where the lesson's local ports are served: moved before it starts (`--port`), then by `m`. */
import type { PortMap } from '../../lesson/port-remap.js';

export class LocalPorts {
  /** Forwards moved to another local port by `m`: lesson port (after `--port`) → the port it runs on now. */
  readonly moved = new Map<number, number>();

  constructor(private given: PortMap = new Map()) {}

  /** Where the lesson's local `port` is served now. */
  local(port: number): number {
    const m = this.given.get(port) ?? port;
    return this.moved.get(m) ?? m;
  }
}
