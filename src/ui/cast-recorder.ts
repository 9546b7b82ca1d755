/**
 * `--record FILE`: what the terminal is sent, kept as an asciicast v2 file (asciinema's format:
 * a JSON header line, then one `[seconds, "o", text]` line per write), playable with
 * `asciinema play FILE`. Hooked where the bytes leave (the stream's `write`), so it records
 * every screen — first frame, Ink's frames, prompts, the last line — whatever draws them.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

export interface CastRecorder {
  /** Puts the stream's own `write` back and closes the file (idempotent). */
  stop(): void;
}

/** The header line of an asciicast v2 file. Pure. */
export function castHeader(width: number, height: number, timestamp: number, env: Record<string, string | undefined>): string {
  const keep: Record<string, string> = {};
  for (const k of ['TERM', 'SHELL']) if (env[k]) keep[k] = env[k]!;
  return JSON.stringify({ version: 2, width, height, timestamp: Math.floor(timestamp / 1000), env: keep });
}

export function recordCast(file: string, stream: NodeJS.WriteStream = process.stdout): CastRecorder {
  const fd = openSync(file, 'w', 0o600);
  writeSync(fd, castHeader(stream.columns || 80, stream.rows || 24, Date.now(), process.env) + '\n');
  const t0 = performance.now();
  const original = stream.write;
  const decoder = new TextDecoder('utf-8');
  let open = true;
  stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
    if (open) {
      // Bytes cut inside a UTF-8 sequence wait for the rest (the decoder keeps them).
      const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk as Uint8Array, { stream: true });
      if (text) writeSync(fd, JSON.stringify([Number(((performance.now() - t0) / 1000).toFixed(6)), 'o', text]) + '\n');
    }
    return (original as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof stream.write;
  return {
    stop() {
      if (!open) return;
      open = false;
      stream.write = original;
      closeSync(fd);
    },
  };
}
