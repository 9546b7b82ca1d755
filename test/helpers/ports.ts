/** Ports for the tests: a free one that no other test file running at the same time picks. */
import net from 'node:net';
import { isMainThread } from 'node:worker_threads';

// Ports a test hands to a process it starts later (a forward, a CLI's --port) come from a block of
// its own: below Linux's ephemeral range (32768-60999, where listen(0) and every outgoing
// connection take theirs) and one block per vitest worker (VITEST_POOL_ID), so two test files
// running at once never pick the same port. The OS's listen(0) cannot promise that: a port it
// gave one worker and that was closed again may be handed to the next worker a moment later.
const PORT_BASE = 20_000;
const PORT_BLOCK = 1_200;
const id = (Number(process.env.VITEST_POOL_ID) || 1) - 1;
// Blocks 0-7: the files in processes of their own (8 at a time); 8-9: the two threads the pure
// units share (vitest.config.ts). 20000 + 10 × 1200 stays below the ephemeral range.
const slot = isMainThread ? id % 8 : 8 + (id % 2);
const FIRST = PORT_BASE + slot * PORT_BLOCK;
/** This worker's ports: `first` to `first + size - 1`. */
export const portBlock = { first: FIRST, size: PORT_BLOCK };
// Successive files in one worker start at different places in the block, away from ports the last
// file's processes may still be letting go of.
let nextPort = FIRST + Math.floor(Math.random() * PORT_BLOCK);

function canListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'EADDRNOTAVAIL' || e.code === 'EAFNOSUPPORT'));
    s.listen({ port, host, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

/** A port nothing listens on right now (on 127.0.0.1 and ::1), this worker's own (see above). */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < PORT_BLOCK; tries++) {
    const port = nextPort;
    nextPort = port + 1 >= FIRST + PORT_BLOCK ? FIRST : port + 1;
    if ((await canListen(port, '127.0.0.1')) && (await canListen(port, '::1'))) return port;
  }
  throw new Error(`no free port in ${FIRST}-${FIRST + PORT_BLOCK - 1}`);
}

/** A server of this process on 127.0.0.1 at `port`, or undefined when that port is taken. */
export function listenOn(port: number): Promise<net.Server | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/**
 * A server of this process on a port of this worker's block. A test that checks a port is free
 * again after closing it needs one: a listen(0) port let go may be another file's a moment later.
 */
export async function listenOnFreePort(): Promise<{ server: net.Server; port: number }> {
  for (let tries = 0; tries < 50; tries++) {
    const port = await freePort();
    const server = await listenOn(port);
    if (server) return { server, port };
  }
  throw new Error(`no free port in ${FIRST}-${FIRST + PORT_BLOCK - 1}`);
}
