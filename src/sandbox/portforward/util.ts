import type { Duplex } from 'node:stream';

/** Opens a byte stream to `port` inside the pod; rejects with an Error whose message is what a kubelet says when nothing listens there. */
export type PodConnector = (port: number) => Promise<Duplex>;

const noop = (): void => {};

/** Calls the connector, turning a synchronous throw into a rejection. */
export function openPodStream(connect: PodConnector, port: number): Promise<Duplex> {
  try {
    return Promise.resolve(connect(port));
  } catch (err) {
    return Promise.reject(err);
  }
}

export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** How long a pod stream that we have ended may take to close by itself. */
const RETIRE_GRACE_MS = 5_000;

/**
 * Gracefully lets go of a pod stream nobody will read from any more: flush
 * what was written, send EOF, discard whatever it still sends, and destroy it
 * if it has not closed within a grace period. Callers make their own 'data'
 * handlers ignore the stream first.
 */
export function retirePodStream(pod: Duplex): void {
  pod.on('error', noop);
  if (pod.destroyed) return;
  const timer = setTimeout(() => pod.destroy(), RETIRE_GRACE_MS);
  timer.unref();
  pod.once('close', () => clearTimeout(timer));
  if (!pod.writableEnded) pod.end();
  pod.resume();
}
