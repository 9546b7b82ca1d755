/**
 * Watch streams: newline-delimited JSON events over a chunked 200 response,
 * replayed from a resourceVersion, filtered by namespace and selectors, with
 * bookmarks and a server-side timeout.
 */
import type { ServerResponse } from 'node:http';
import type { KubeObject } from '../../kube/types.js';
import type { ResourceType } from './resource-types.js';
import { resourceKey } from './resource-types.js';
import { StoreError, type Store, type StoreEvent } from './store.js';
import { statusBody } from './http-util.js';

export interface WatchRequest {
  rt: ResourceType;
  namespace?: string;
  resourceVersion?: string;
  matches: (o: KubeObject) => boolean;
  /** Presents an object as the client asked (apiVersion, or a Table row). */
  present: (o: KubeObject) => unknown;
  bookmarks: boolean;
  sendInitialEvents: boolean;
  timeoutSeconds?: number;
  bookmarkIntervalMs: number;
  contentType: string;
}

/** An open watch, as the server (and its fault switches) can end it. */
export interface WatchHandle {
  /** Ends the stream cleanly. */
  end(): void;
  /** Ends the stream with a 410 Expired ERROR event, as a watch whose history was compacted ends. */
  expire(message: string): void;
}

/** Serves a watch; the handle is undefined when the watch ended at once (a bad or expired resourceVersion). */
export function serveWatch(store: Store, res: ServerResponse, w: WatchRequest, onClose: () => void): WatchHandle | undefined {
  const key = resourceKey(w.rt);
  const inScope = (o: KubeObject) => !w.namespace || !w.rt.namespaced || o.metadata.namespace === w.namespace;
  res.writeHead(200, { 'Content-Type': w.contentType, 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  let lastRv = store.currentRv();
  let closed = false;
  const write = (type: string, object: unknown) => {
    if (!closed) res.write(JSON.stringify({ type, object }) + '\n');
  };

  const translate = (ev: StoreEvent): void => {
    if (ev.key !== key) return;
    lastRv = ev.rv;
    const now = inScope(ev.object) && w.matches(ev.object);
    const before = ev.old ? inScope(ev.old) && w.matches(ev.old) : false;
    if (ev.type === 'ADDED' && now) write('ADDED', w.present(ev.object));
    else if (ev.type === 'DELETED' && before) write('DELETED', w.present(ev.object));
    else if (ev.type === 'MODIFIED') {
      // An object that moves into or out of the selection is added or deleted for this watcher.
      if (now && before) write('MODIFIED', w.present(ev.object));
      else if (now) write('ADDED', w.present(ev.object));
      else if (before) write('DELETED', w.present(ev.object));
    }
  };

  const rvParam = w.resourceVersion;
  if (!rvParam || rvParam === '0' || w.sendInitialEvents) {
    for (const o of store.list(w.rt, w.namespace)) if (w.matches(o)) write('ADDED', w.present(o));
    if (w.sendInitialEvents && w.bookmarks) {
      write('BOOKMARK', { kind: w.rt.kind, apiVersion: 'v1', metadata: { resourceVersion: String(store.currentRv()), annotations: { 'k8s.io/initial-events-end': 'true' } } });
    }
  } else {
    const rv = Number(rvParam);
    if (!Number.isFinite(rv)) {
      write('ERROR', statusBody(400, 'BadRequest', `invalid resource version: ${rvParam}`));
      res.end();
      closed = true;
      onClose();
      return undefined;
    }
    try {
      for (const ev of store.eventsSince(key, rv)) translate(ev);
    } catch (e) {
      if (e instanceof StoreError && e.code === 410) {
        // As a real API server does: the watch opens, then reports 410 in an ERROR event.
        write('ERROR', statusBody(410, 'Expired', e.message));
        res.end();
        closed = true;
        onClose();
        return undefined;
      }
      throw e;
    }
  }

  const unsubscribe = store.subscribe(translate);
  const bookmarkTimer = w.bookmarks
    ? setInterval(() => write('BOOKMARK', { kind: w.rt.kind, apiVersion: w.rt.versions[0] ? (w.rt.group ? `${w.rt.group}/${w.rt.versions[0]}` : 'v1') : `${w.rt.aliases?.[0]?.group}/${w.rt.aliases?.[0]?.version}`, metadata: { resourceVersion: String(lastRv) } }), w.bookmarkIntervalMs)
    : undefined;
  bookmarkTimer?.unref();
  const timeout = w.timeoutSeconds ? setTimeout(() => finish(), w.timeoutSeconds * 1000) : undefined;
  timeout?.unref();

  function finish() {
    if (closed) return;
    closed = true;
    unsubscribe();
    if (bookmarkTimer) clearInterval(bookmarkTimer);
    if (timeout) clearTimeout(timeout);
    res.end();
    onClose();
  }
  res.on('close', finish);
  res.on('error', finish);
  return {
    end: finish,
    expire(message: string) {
      write('ERROR', statusBody(410, 'Expired', message));
      finish();
    },
  };
}
