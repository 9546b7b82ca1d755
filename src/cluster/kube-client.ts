/**
 * The runner's window on a cluster: generic list/get/events over
 * client-node's `KubernetesObjectApi`, returning plain JSON objects, with
 * every failure turned into a `ClusterError` that says what happened and
 * what to do about it.
 */
import {
  createConfiguration,
  KubeConfig,
  KubernetesObjectApi,
  ServerConfiguration,
  type KubernetesObject,
} from '@kubernetes/client-node';
import type { KubeObject } from '../kube/types.js';
import { KubeconfigError, loadKubeconfig } from '../kube/kubeconfig.js';
import { WatchCache, type ResourceInfo } from './watch-cache.js';
import { retryingHttpLibrary } from './read-retry.js';
import { t } from '../i18n/index.js';

export type ClusterErrorKind = 'unreachable' | 'forbidden' | 'unauthorized' | 'not-found-kind' | 'other';

/** A cluster request that failed, with a message a learner can act on. */
export class ClusterError extends Error {
  override readonly name = 'ClusterError';
  constructor(
    readonly kind: ClusterErrorKind,
    message: string,
    /** The HTTP status, when the API server answered. */
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface KubeClientOptions {
  /** Per-request deadline (discovery included). @default 8000 */
  requestTimeoutMs?: number;
}

/** What a request was for, to word its errors. */
interface RequestIntent {
  verb: 'list' | 'get';
  apiVersion: string;
  kind: string;
  namespace?: string;
  name?: string;
}

const DEFAULT_TIMEOUT_MS = 8000;

/** KubernetesObjectApi with the context's default namespace, as `makeApiClient` sets it. */
class ObjectApi extends KubernetesObjectApi {
  constructor(configuration: ConstructorParameters<typeof KubernetesObjectApi>[0], kc: KubeConfig) {
    super(configuration);
    this.setDefaultNamespace(kc);
  }

  /**
   * client-node caches a discovery answer before it looks inside; one without a resource list (a
   * proxy's page, a damaged answer) would fail every later request of that apiVersion. Drop it.
   */
  protected override async resource(...args: Parameters<KubernetesObjectApi['resource']>): ReturnType<KubernetesObjectApi['resource']> {
    const drop = () => {
      const cached = this.apiVersionResourceCache[args[0]] as { resources?: unknown } | undefined;
      if (cached && !(Array.isArray(cached.resources) && cached.resources.every((r) => !!r && typeof r === 'object'))) delete this.apiVersionResourceCache[args[0]];
    };
    drop();
    try {
      return await super.resource(...args);
    } finally {
      drop();
    }
  }

  /** Discovery (cached by client-node): the kind's plural and scope. */
  async info(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    const r = await this.resource(apiVersion, kind).catch(() => undefined);
    return r ? { plural: r.name, namespaced: r.namespaced } : undefined;
  }
}

export class KubeClient {
  private api: ObjectApi;
  private cache: WatchCache | undefined;
  private requests = 0;
  private readonly timeoutMs: number;

  private constructor(
    private readonly kc: KubeConfig,
    options: KubeClientOptions = {},
  ) {
    this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new ClusterError('other', t('kube.client.noCluster', { context: kc.getCurrentContext() ?? '', command: 'kubectl config view' }));
    // What KubernetesObjectApi.makeApiClient(kc) builds, with an HTTP layer that counts requests,
    // gives each a deadline (client-node sets none, so a dead cluster would hang a check) and
    // retries reads through a passing fault (5xx, 429, reset, refused, timeout: see read-retry.ts).
    const configuration = createConfiguration({
      baseServer: new ServerConfiguration(cluster.server, {}),
      authMethods: { default: kc },
      httpApi: retryingHttpLibrary({ timeoutMs: this.timeoutMs, onAttempt: () => this.requests++ }),
    });
    this.api = new ObjectApi(configuration, kc);
  }

  /** A client for the kubeconfig `text` (YAML), at its current context or `context`. */
  static fromKubeconfigText(text: string, context?: string, options?: KubeClientOptions): KubeClient {
    return new KubeClient(asClusterError(() => loadKubeconfig({ text }, context)), options);
  }

  /** A client for the kubeconfig file at `path`, at its current context or `context`. */
  static fromFile(path: string, context?: string, options?: KubeClientOptions): KubeClient {
    return new KubeClient(asClusterError(() => loadKubeconfig({ file: path }, context)), options);
  }

  get contextName(): string {
    return this.kc.getCurrentContext();
  }

  get clusterServer(): string {
    return this.kc.getCurrentCluster()?.server ?? '';
  }

  /** HTTP requests made so far, discovery included. */
  get requestCount(): number {
    return this.requests;
  }

  /**
   * From now on, reads come from watch-fed caches and `onChange` fires on every change
   * (see watch-cache.ts). Returns the cache, for its request figures.
   */
  watch(onChange: () => void): WatchCache {
    this.cache ??= new WatchCache(this.kc, {
      resource: (apiVersion, kind) => this.api.info(apiVersion, kind),
      listRaw: async (apiVersion, kind, namespace) => {
        const intent: RequestIntent = { verb: 'list', apiVersion, kind, namespace };
        try {
          const list = await this.api.list(apiVersion, kind, namespace);
          const plain = toPlain(list) as { items?: KubeObject[]; metadata?: { resourceVersion?: string } };
          return { items: (plain.items ?? []).map((o) => withTypeMeta(o, apiVersion, kind)), resourceVersion: plain.metadata?.resourceVersion ?? '' };
        } catch (e) {
          throw this.explain(e, intent);
        }
      },
      explain: (e, apiVersion, kind, namespace) => this.explain(e, { verb: 'list', apiVersion, kind, namespace }),
    }, onChange);
    return this.cache;
  }

  /** Stops the watches (on exit). */
  stopWatching(): void {
    this.cache?.stop();
    this.cache = undefined;
  }

  /** Objects of a kind, in `namespace` (all namespaces when omitted), optionally by label selector. */
  async list(apiVersion: string, kind: string, namespace?: string, labelSelector?: string): Promise<KubeObject[]> {
    if (this.cache) return this.cache.list(apiVersion, kind, namespace, labelSelector || undefined);
    return this.listWith({ verb: 'list', apiVersion, kind, namespace }, labelSelector, undefined);
  }

  /** One object, or undefined when it does not exist. `namespace` is ignored for cluster-scoped kinds. */
  async get(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    const intent: RequestIntent = { verb: 'get', apiVersion, kind, namespace, name };
    if (this.cache) return this.cache.get(apiVersion, kind, namespace, name);
    try {
      const obj = await this.api.read({ apiVersion, kind, metadata: { name, namespace } } as KubernetesObject & { metadata: { name: string } });
      return withTypeMeta(toPlain(obj) as KubeObject, apiVersion, kind);
    } catch (e) {
      if (statusOf(e) === 404 && !isDiscoveryError(e)) return undefined;
      throw this.explain(e, intent);
    }
  }

  /** Events in a namespace (optionally only those about the object named `involvedName`), in the server's order. */
  async events(namespace: string, involvedName?: string): Promise<KubeObject[]> {
    const fieldSelector = involvedName ? `involvedObject.name=${involvedName}` : undefined;
    if (this.cache) {
      const all = await this.cache.list('v1', 'Event', namespace);
      return involvedName ? all.filter((e) => (e.involvedObject as { name?: string } | undefined)?.name === involvedName) : all;
    }
    return this.listWith({ verb: 'list', apiVersion: 'v1', kind: 'Event', namespace }, undefined, fieldSelector);
  }

  private async listWith(intent: RequestIntent, labelSelector: string | undefined, fieldSelector: string | undefined): Promise<KubeObject[]> {
    try {
      const list = await this.api.list(intent.apiVersion, intent.kind, intent.namespace, undefined, undefined, undefined, fieldSelector, labelSelector || undefined);
      const items = ((toPlain(list) as { items?: KubeObject[] }).items ?? []);
      return items.map((o) => withTypeMeta(o, intent.apiVersion, intent.kind));
    } catch (e) {
      throw this.explain(e, intent);
    }
  }

  /** Turns anything a request threw into a ClusterError worded for the learner. */
  private explain(e: unknown, intent: RequestIntent): ClusterError {
    if (e instanceof ClusterError) return e;
    const server = this.clusterServer;
    const ctx = this.contextName;
    const probe = `kubectl --context ${ctx} cluster-info`;
    const status = statusOf(e);
    if (status !== undefined) {
      const statusMessage = statusText((e as { body?: unknown }).body);
      if (status === 401) {
        return new ClusterError('unauthorized', t('kube.client.unauthorized', { server, context: ctx, command: `kubectl --context ${ctx} auth whoami` }), 401);
      }
      if (status === 403) return new ClusterError('forbidden', forbiddenMessage(statusMessage, intent), 403);
      if (status === 404 && isDiscoveryError(e)) return new ClusterError('not-found-kind', missingKindMessage(intent), 404);
      const what = describeIntent(intent);
      return new ClusterError('other', statusMessage ? t('kube.client.refusedSaying', { what, status, message: statusMessage }) : t('kube.client.refused', { what, status }), status);
    }
    const message = e instanceof Error ? e.message : String(e);
    if (/^Unrecognized API version and kind/.test(message)) return new ClusterError('not-found-kind', missingKindMessage(intent));
    const unreadable = unreadableAnswer(e, intent, server);
    if (unreadable) return unreadable;
    const name = (e as { name?: string }).name;
    const code = (e as { code?: string }).code ?? (e as { errno?: string }).errno;
    if (name === 'AbortError' || name === 'TimeoutError' || (e as { type?: string }).type === 'aborted') {
      return new ClusterError('unreachable', t('kube.client.timeout', { server, seconds: +(this.timeoutMs / 1000).toFixed(1), probe }));
    }
    if (name === 'FetchError' || (typeof code === 'string' && /^E[A-Z]+$|CERT|SELF_SIGNED|TLS|UNABLE_TO/.test(code))) {
      const reason = (message.match(/reason: (.*)$/s)?.[1] ?? message).trim().split('\n')[0];
      if (typeof code === 'string' && /CERT|SELF_SIGNED|TLS|UNABLE_TO/.test(code)) {
        return new ClusterError('unreachable', t('kube.client.tlsRejected', { server, reason, field: 'certificate-authority', probe }));
      }
      if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
        return new ClusterError('unreachable', t('kube.client.noResolve', { server, reason, probe }));
      }
      // "connect ECONNREFUSED 127.0.0.1:6443": the address is already in the server URL.
      const short = reason.replace(/\s+\[?[0-9a-f:.]+\]?:\d+$/i, '');
      return new ClusterError('unreachable', t('kube.client.cannotReach', { server, reason: short, probe }));
    }
    return new ClusterError('other', t('kube.client.failed', { what: describeIntent(intent), server, error: firstLine(e) }));
  }
}

/** A kubeconfig that cannot be used is a ClusterError here, as every other reason this client cannot start. */
function asClusterError(load: () => KubeConfig): KubeConfig {
  try {
    return load();
  } catch (e) {
    if (e instanceof KubeconfigError) throw new ClusterError('other', e.message);
    throw e;
  }
}

/** The `message` of the Status the API server sent (client-node hands the body over as text or parsed JSON). */
function statusText(body: unknown): string {
  let b = body;
  if (typeof body === 'string') {
    try {
      b = JSON.parse(body) as unknown;
    } catch {
      // A proxy's error page: its title says more than its first line (<!DOCTYPE html>).
      const title = /<title[^>]*>([^<]*)<\/title>/i.exec(body)?.[1]?.trim();
      return clipLine(title !== undefined ? t('kube.client.htmlTitled', { title }) : /^\s*</.test(body) ? t('kube.client.html') : body.trim().split('\n')[0] ?? '');
    }
  }
  const message = (b as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? clipLine(message) : '';
}

function clipLine(s: string, max = 200): string {
  const line = s.split('\n')[0].trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * An answer client-node could not read — not JSON, cut short, another content type, or JSON of
 * the wrong shape (its deserializer then fails with a TypeError) — in the learner's words.
 */
function unreadableAnswer(e: unknown, intent: RequestIntent, server: string): ClusterError | undefined {
  const message = e instanceof Error ? e.message.replace(/^Failed to fetch resource metadata for [^:]*: /, '') : '';
  const type = /The mediaType (.*) is not supported/.exec(message)?.[1];
  let why: string;
  if (/Parse Error|HPE_/.test(message)) why = t('kube.answer.notHttp');
  else if (/end of JSON input/.test(message)) why = t('kube.answer.cutShort');
  else if (e instanceof SyntaxError || /is not valid JSON|JSON at position/.test(message)) why = t('kube.answer.notJson');
  else if (type !== undefined) why = t('kube.answer.mediaType', { type });
  else if (/No Content-Type defined/.test(message)) why = t('kube.answer.noContentType');
  else if (/Unable to determine type/.test(message)) why = t('kube.answer.notObject');
  else if (e instanceof TypeError) why = t('kube.answer.wrongShape');
  else return undefined;
  const asked = isDiscoveryError(e) ? t('kube.client.askKind', { kind: intent.kind, path: `${intent.apiVersion.includes('/') ? '/apis/' : '/api/'}${intent.apiVersion}` }) : describeIntent(intent);
  // The same words as a check's unreadable answer (src/checks/common.ts).
  return new ClusterError('other', t('check.common.unreadable', { server, asked, why }));
}

function statusOf(e: unknown): number | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'number' && 'body' in (e as object)) return code;
  // client-node's Watch reports a refused watch request as an Error with the statusCode.
  const watchStatus = (e as { statusCode?: unknown } | null)?.statusCode;
  return typeof watchStatus === 'number' ? watchStatus : undefined;
}

/** client-node prefixes failures of its discovery request (GET /apis/GROUP/VERSION) this way. */
function isDiscoveryError(e: unknown): boolean {
  return e instanceof Error && e.message.startsWith('Failed to fetch resource metadata');
}

function describeIntent(i: RequestIntent): string {
  const { kind, namespace } = i;
  if (i.verb === 'get') return namespace ? t('check.ask.getIn', { kind, name: i.name ?? '', namespace }) : t('check.ask.get', { kind, name: i.name ?? '' });
  return namespace ? t('check.ask.listIn', { kind, namespace }) : t('check.ask.list', { kind });
}

function missingKindMessage(i: RequestIntent): string {
  const group = i.apiVersion.includes('/') ? i.apiVersion.split('/')[0] : '';
  const question = /(^|\.)istio\.io$/.test(group)
    ? t('kube.noKind.istio')
    : group
      ? t('kube.noKind.crd', { command: `kubectl api-resources --api-group=${group}` })
      : t('kube.noKind.spelling', { command: 'kubectl api-resources' });
  return t('kube.noKind', { kind: i.kind, apiVersion: i.apiVersion, question });
}

/**
 * `pods is forbidden: User "x" cannot list resource "pods" in API group "" in the namespace "istio-system"`
 * → `RBAC refused: cannot list pods in namespace istio-system (ask for the "list" verb on "pods")`.
 */
export function forbiddenMessage(statusMessage: string, intent: { verb: string; kind: string; namespace?: string }): string {
  const m = statusMessage.match(/User "([^"]*)" cannot (\S+) resource "([^"]+)"(?: in subresource "([^"]*)")? in API group "([^"]*)"(?: in the namespace "([^"]+)"| at the cluster scope)?/);
  if (!m) {
    const { verb, kind, namespace } = intent;
    const text = namespace ? t('kube.rbac.refusedIn', { verb, kind, namespace }) : t('kube.rbac.refused', { verb, kind });
    return statusMessage ? t('kube.rbac.saying', { text, message: statusMessage }) : text;
  }
  const [, user, verb, resource, sub, group, namespace] = m;
  const full = `${resource}${sub ? `/${sub}` : ''}`;
  const askVerb = group ? t('kube.rbac.askGroup', { verb, resource: full, group }) : t('kube.rbac.ask', { verb, resource: full });
  const ask = user ? t('kube.rbac.forUser', { ask: askVerb, user }) : askVerb;
  return namespace ? t('kube.rbac.inNamespace', { verb, resource: full, namespace, ask }) : t('kube.rbac.clusterScope', { verb, resource: full, ask });
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}

/** List items come without apiVersion/kind; give them back. */
function withTypeMeta(o: KubeObject, apiVersion: string, kind: string): KubeObject {
  if (!o.apiVersion) o.apiVersion = apiVersion;
  if (!o.kind) o.kind = kind;
  return o;
}

/**
 * client-node deserializes known kinds into model classes: timestamps become
 * Dates and reserved-word fields gain a `_` (`_from`, `_default`). Turn that
 * back into the JSON the API server sent.
 */
export function toPlain(v: unknown): unknown {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.toISOString().replace(/\.000Z$/, 'Z');
  if (Array.isArray(v)) return v.map(toPlain);
  if (v && typeof v === 'object') {
    const model = Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined) continue;
      out[model && k.startsWith('_') ? k.slice(1) : k] = toPlain(x);
    }
    return out;
  }
  return v;
}
