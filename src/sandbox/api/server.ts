/**
 * The sandbox's Kubernetes API: routes REST requests to the store, with the
 * status codes, content types and discovery that kubectl and client-node need.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { timingSafeEqual } from 'node:crypto';
import YAML from 'yaml';
import type { KubeObject } from '../../kube/types.js';
import { ApiError, readBody, sendError, sendJson, statusBody } from './http-util.js';
import { apiVersionOf, resourceKey, type ResourceType, type ResourceTypes } from './resource-types.js';
import { StoreError, type Store } from './store.js';
import { aggregatedDiscovery, aggregatedVersionAccepted, legacyApiVersions, legacyGroup, legacyGroupList, legacyResourceList } from './discovery.js';
import { openApiGroupVersion, openApiIndex } from './openapi.js';
import { toTable } from './tables.js';
import { serveWatch, type WatchHandle } from './watch.js';
import { checkFieldSelectorSupported, matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector, SelectorError } from '../../kube/selectors.js';
import { jsonMergePatch, jsonPatch, PatchError, strategicMergePatch } from './patch.js';
import { Authorizer, type AccessRule, type RequestAttributes } from './authorizer.js';
import { decodeKubernetesProtobuf, PROTOBUF_CONTENT_TYPE, ProtobufDecodeError, ProtobufUnknownKindError } from './protobuf-decode.js';

export type Operation = 'create' | 'update' | 'delete';

/** A hook that may change an object before it is stored, or refuse it with an ApiError. */
export type Admit = (op: Operation, rt: ResourceType, obj: KubeObject, old: KubeObject | undefined) => void;

/** A request the sandbox refuses, to show what an RBAC refusal looks like (see authorizer.ts). */
export type ForbiddenRule = AccessRule;

export interface ApiServerOptions {
  store: Store;
  types: ResourceTypes;
  token: string;
  version: { major: string; minor: string; gitVersion: string; goVersion?: string; buildDate?: string };
  admit: Admit[];
  serverAddress: () => string;
  /** Who the user is and what it may do; everything when left out. */
  authorizer?: Authorizer;
  bookmarkIntervalMs?: number;
  /** Port-forward upgrades for a pod known to exist and run. */
  portForward?: (pod: KubeObject, req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  /** Exec upgrades into a container the server has checked exists and runs. */
  exec?: (pod: KubeObject, container: string, req: IncomingMessage, socket: Duplex, head: Buffer) => 'websocket' | 'spdy' | null;
  podLog?: (pod: KubeObject, container: string | undefined) => string;
  /** `services/NAME[:PORT]/proxy/...`: forward an HTTP request to the service's pods. */
  serviceProxy?: (svc: KubeObject, port: string | undefined, path: string, req: IncomingMessage, res: ServerResponse) => void;
}

export interface RequestStats {
  total: number;
  byVerb: Record<string, number>;
  /** Requests whose User-Agent is kubectl's (so a test can tell the runner's own from a learner's). */
  fromKubectl: number;
  watchesOpen: number;
  watchesStarted: number;
  /** Exec sessions accepted, by the protocol they run over. */
  execSessions: { websocket: number; spdy: number };
}

interface Route {
  group: string;
  version: string;
  rt: ResourceType;
  namespace?: string;
  name?: string;
  sub?: string;
  rest: string[];
  watchPrefix: boolean;
}

const NAME_RE = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const jsonTypes = ['application/json', 'application/yaml', 'application/apply-patch+yaml', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/json-patch+json'];

export class ApiServer {
  readonly stats: RequestStats = { total: 0, byVerb: {}, fromKubectl: 0, watchesOpen: 0, watchesStarted: 0, execSessions: { websocket: 0, spdy: 0 } };
  /** Open watches: how to end each, and its response (whose socket the fault switches can cut). */
  private openWatches = new Map<ServerResponse, Partial<WatchHandle>>();

  private authz: Authorizer;

  constructor(private o: ApiServerOptions) {
    this.authz = o.authorizer ?? new Authorizer();
  }

  authorized(req: IncomingMessage): boolean {
    const h = req.headers.authorization ?? '';
    const want = Buffer.from(`Bearer ${this.o.token}`);
    const got = Buffer.from(h);
    return got.length === want.length && timingSafeEqual(got, want);
  }

  /** Ends every open watch (used on shutdown so clients see a clean close). */
  closeWatches(): void {
    for (const w of [...this.openWatches.values()]) w.end?.();
  }

  /** Cuts every open watch's connection, as a network failure or a restarting server would. */
  cutWatches(): number {
    const open = [...this.openWatches.keys()];
    for (const res of open) res.socket?.destroy();
    return open.length;
  }

  /** Ends every open watch with a 410 Expired ERROR event (after the store's history is compacted). */
  expireWatches(message: string): number {
    const open = [...this.openWatches.values()];
    for (const w of open) w.expire?.(message);
    return open.length;
  }

  private count(verb: string): void {
    this.stats.total++;
    this.stats.byVerb[verb] = (this.stats.byVerb[verb] ?? 0) + 1;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const refuse = (code: number, reason: string, message: string) => {
      const body = JSON.stringify(statusBody(code, reason, message));
      socket.end(`HTTP/1.1 ${code} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    };
    socket.on('error', () => socket.destroy());
    this.count('upgrade');
    if (!this.authorized(req)) return refuse(401, 'Unauthorized', 'Unauthorized');
    const url = new URL(req.url ?? '/', 'https://sandbox');
    const m = url.pathname.match(/^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(portforward|exec)\/?$/);
    const sub = m?.[3];
    if (!m || (sub === 'portforward' && !this.o.portForward) || (sub === 'exec' && !this.o.exec)) return refuse(404, 'NotFound', 'the server could not find the requested resource');
    const podType = this.o.types.find('', 'v1', 'pods')!;
    const ns = decodeURIComponent(m[1]);
    const pod = this.o.store.get(podType, ns, decodeURIComponent(m[2]));
    if (!pod) return refuse(404, 'NotFound', `pods "${decodeURIComponent(m[2])}" not found`);
    const forbidden = this.forbidden({ verb: 'create', group: '', resource: 'pods', subresource: sub, namespace: ns, name: pod.metadata.name });
    if (forbidden) return refuse(403, 'Forbidden', forbidden.message);
    if (sub === 'exec') {
      const target = execTarget(pod, url.searchParams.get('container'));
      if ('refusal' in target) return refuse(400, 'BadRequest', target.refusal);
      if ('notRunning' in target) {
        // The kubelet's own answer, passed on as plain text: kubectl prints "unable to upgrade connection: …".
        const text = `container not found ("${target.notRunning}")`;
        return void socket.end(`HTTP/1.1 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
      }
      const transport = this.o.exec!(pod, target.container, req, socket, head);
      if (transport) this.stats.execSessions[transport]++;
      return;
    }
    if ((pod.status as { phase?: string } | undefined)?.phase !== 'Running') {
      return refuse(400, 'BadRequest', `unable to upgrade connection: pod ${pod.metadata.name} is not running (phase ${(pod.status as { phase?: string } | undefined)?.phase ?? 'Pending'})`);
    }
    this.o.portForward!(pod, req, socket, head);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (/^kubectl/.test(req.headers['user-agent'] ?? '')) this.stats.fromKubectl++;
    try {
      if (!this.authorized(req)) {
        this.count('unauthorized');
        throw new ApiError(401, 'Unauthorized', 'Unauthorized');
      }
      await this.route(req, res);
    } catch (e) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (e instanceof ApiError) return sendError(res, e);
      if (e instanceof StoreError) return sendError(res, new ApiError(e.code, e.reason, e.message));
      if (e instanceof SelectorError) return sendError(res, new ApiError(400, 'BadRequest', e.message));
      if (e instanceof PatchError) return sendError(res, new ApiError(422, 'Invalid', e.message));
      sendError(res, new ApiError(500, 'InternalError', `Internal error occurred: ${(e as Error).message}`));
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://sandbox');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    const accept = req.headers.accept;

    if (path === '/version') {
      this.count('version');
      const v = this.o.version;
      return sendJson(res, 200, { major: v.major, minor: v.minor, gitVersion: v.gitVersion, gitCommit: '0000000000000000000000000000000000000000', gitTreeState: 'clean', buildDate: v.buildDate ?? '2025-01-01T00:00:00Z', goVersion: v.goVersion ?? 'go1.23.4', compiler: 'gc', platform: 'linux/amd64' });
    }
    if (path === '/healthz' || path === '/livez' || path === '/readyz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      return void res.end('ok');
    }
    if (path === '/api' || path === '/apis') {
      this.count('discovery');
      const agg = aggregatedVersionAccepted(accept);
      if (agg) {
        return sendJson(res, 200, aggregatedDiscovery(this.o.types, path, agg), `application/json;g=apidiscovery.k8s.io;v=${agg};as=APIGroupDiscoveryList`);
      }
      return sendJson(res, 200, path === '/api' ? legacyApiVersions(this.o.serverAddress()) : legacyGroupList(this.o.types));
    }
    if (path === '/openapi/v3') {
      this.count('openapi');
      return sendJson(res, 200, openApiIndex(this.o.types));
    }
    if (path.startsWith('/openapi/v3/')) {
      this.count('openapi');
      const doc = openApiGroupVersion(this.o.types, path.slice('/openapi/v3/'.length));
      if (!doc) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
      return sendJson(res, 200, doc);
    }
    if (path === '/openapi/v2') {
      // kubectl falls back to the v2 document to validate a `kind: List` client-side. An
      // (almost) empty schema makes it validate nothing, which is what the server does anyway.
      this.count('openapi');
      const doc = Buffer.from([0x0a, 0x03, ...Buffer.from('2.0')]); // protobuf: Document{swagger: "2.0"}
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': doc.length });
      return void res.end(doc);
    }

    const seg = path.split('/').filter(Boolean).map(decodeURIComponent);
    let group: string, version: string, rest: string[];
    if (seg[0] === 'api' && seg[1] === 'v1') [group, version, rest] = ['', 'v1', seg.slice(2)];
    else if (seg[0] === 'apis' && seg.length >= 3) [group, version, rest] = [seg[1], seg[2], seg.slice(3)];
    else if (seg[0] === 'apis' && seg.length === 2) {
      const g = legacyGroup(this.o.types, seg[1]);
      if (!g) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
      return sendJson(res, 200, g);
    } else throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');

    if (rest.length === 0) {
      this.count('discovery');
      const list = legacyResourceList(this.o.types, group, version);
      if (!list) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
      return sendJson(res, 200, list);
    }
    const r = this.parseRoute(group, version, rest);
    await this.dispatch(r, method, url, req, res);
  }

  private parseRoute(group: string, version: string, rest: string[]): Route {
    let watchPrefix = false;
    if (rest[0] === 'watch') {
      watchPrefix = true;
      rest = rest.slice(1);
    }
    let namespace: string | undefined, plural: string, name: string | undefined, sub: string | undefined, tail: string[];
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      [namespace, plural, name, sub] = [rest[1], rest[2], rest[3], rest[4]];
      tail = rest.slice(5);
    } else {
      [plural, name, sub] = [rest[0], rest[1], rest[2]];
      tail = rest.slice(3);
    }
    const gv = apiVersionOf({ group, version });
    if (!this.o.types.servesGroupVersion(group, version)) throw new ApiError(404, 'NotFound', `the server could not find the requested resource (${gv})`);
    const rt = this.o.types.find(group, version, plural);
    if (!rt) throw new ApiError(404, 'NotFound', `the server could not find the requested resource (${plural}.${gv})`);
    if (namespace !== undefined && !rt.namespaced) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    return { group, version, rt, namespace, name, sub, rest: tail, watchPrefix };
  }

  /** The refusal for a request the user may not make, or undefined when it may. */
  private forbidden(a: RequestAttributes): { message: string; details: Record<string, string> } | undefined {
    return this.authz.decide(a).allowed ? undefined : this.authz.forbidden(a);
  }

  /** Answers a SelfSubjectAccessReview, SelfSubjectRulesReview or SelfSubjectReview (never stored). */
  private review(r: Route, body: KubeObject): KubeObject {
    type Attrs = { namespace?: string; verb?: string; group?: string; resource?: string; subresource?: string; name?: string };
    const spec = (body.spec ?? {}) as { resourceAttributes?: Attrs; nonResourceAttributes?: { path?: string; verb?: string } };
    const answer = (status: Record<string, unknown>): KubeObject => ({
      kind: r.rt.kind, apiVersion: apiVersionOf({ group: r.group, version: r.version }), metadata: { creationTimestamp: null } as unknown as KubeObject['metadata'],
      ...(body.spec !== undefined ? { spec: body.spec } : {}), status,
    });
    switch (r.rt.kind) {
      case 'SelfSubjectAccessReview': {
        const ra = spec.resourceAttributes;
        if (!ra && !spec.nonResourceAttributes) throw new ApiError(422, 'Invalid', 'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified');
        const d = ra
          ? this.authz.decide({ verb: ra.verb ?? '', group: ra.group ?? '', resource: ra.resource ?? '', subresource: ra.subresource || undefined, namespace: ra.namespace || undefined, name: ra.name || undefined })
          : this.authz.decidePath(spec.nonResourceAttributes?.verb ?? '', spec.nonResourceAttributes?.path ?? '');
        return answer({ allowed: d.allowed, ...(d.reason ? { reason: d.reason } : {}) });
      }
      case 'SelfSubjectRulesReview':
        return answer(this.authz.rules());
      default: // SelfSubjectReview
        return answer({ userInfo: { ...this.authz.user, groups: [...this.authz.user.groups] } });
    }
  }

  /** Presents a stored object in the group/version the client asked for. */
  private present(r: Route, o: KubeObject): KubeObject {
    return { ...o, apiVersion: apiVersionOf({ group: r.group, version: r.version }), kind: r.rt.kind };
  }

  private async dispatch(r: Route, method: string, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const q = url.searchParams;
    const { rt } = r;
    const isWatch = r.watchPrefix || q.get('watch') === 'true' || q.get('watch') === '1';
    const verb = method === 'GET' ? (r.name ? 'get' : isWatch ? 'watch' : 'list') : method === 'POST' ? 'create' : method === 'PUT' ? 'update' : method === 'PATCH' ? 'patch' : method === 'DELETE' ? (r.name ? 'delete' : 'deletecollection') : method.toLowerCase();
    this.count(verb);
    const denied = this.forbidden({ verb, group: r.group, resource: rt.plural, subresource: r.sub, namespace: r.namespace, name: r.name });
    if (denied) throw new ApiError(403, 'Forbidden', denied.message, denied.details);
    if (rt.review) {
      if (method !== 'POST' || r.name) throw new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
      return sendJson(res, 201, this.review(r, await this.bodyObject(req)));
    }

    const accept = req.headers.accept ?? '';
    if (accept && !/json|\*\/\*|yaml/.test(accept)) throw new ApiError(406, 'NotAcceptable', `only the following media types are accepted: application/json, application/yaml`);

    // Subresources handled specially.
    if (r.name && r.sub) return this.subresource(r, method, q, req, res);
    if (r.sub) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');

    if (r.name && r.rest.length) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    if (r.namespace && rt.kind !== 'Namespace' && method === 'POST') this.requireNamespace(r.namespace);

    switch (method) {
      case 'GET':
        if (r.name) {
          const o = this.o.store.get(rt, r.namespace, r.name);
          if (!o) throw this.notFound(rt, r.name);
          if (wantsTable(accept)) return sendJson(res, 200, toTable(rt, [o], o.metadata.resourceVersion ?? ''), TABLE_CT);
          return sendJson(res, 200, this.present(r, o));
        }
        return isWatch ? this.watch(r, q, accept, res) : this.list(r, q, accept, res);
      case 'POST': {
        if (r.name) throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
        const obj = await this.bodyObject(req);
        return sendJson(res, 201, this.present(r, this.create(r, obj, q)));
      }
      case 'PUT': {
        if (!r.name) throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
        const obj = await this.bodyObject(req);
        if (obj.metadata?.name && obj.metadata.name !== r.name) throw new ApiError(400, 'BadRequest', `the name of the object (${obj.metadata.name}) does not match the name on the URL (${r.name})`);
        const old = this.o.store.get(rt, r.namespace, r.name);
        if (!old) throw this.notFound(rt, r.name);
        obj.metadata = { ...obj.metadata, name: r.name, namespace: rt.namespaced ? r.namespace : undefined };
        return sendJson(res, 200, this.present(r, this.update(r, obj, old, q)));
      }
      case 'PATCH': {
        if (!r.name) throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
        return this.patch(r, q, req, res);
      }
      case 'DELETE': {
        if (!r.name) return this.deleteCollection(r, q, res);
        const body = await readBody(req);
        let opts: { propagationPolicy?: string; dryRun?: string[] } = {};
        if (body.length) opts = parseJsonOr400(body.toString('utf8'));
        const propagation = q.get('propagationPolicy') ?? opts.propagationPolicy ?? 'Background';
        const dry = q.get('dryRun') === 'All' || (opts.dryRun ?? []).includes('All');
        const o = this.o.store.get(rt, r.namespace, r.name);
        if (!o) throw this.notFound(rt, r.name);
        if (dry) return sendJson(res, 200, this.present(r, o));
        return sendJson(res, 200, this.present(r, this.remove(rt, o, propagation)));
      }
      default:
        throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    }
  }

  private notFound(rt: ResourceType, name: string): ApiError {
    return new ApiError(404, 'NotFound', `${rt.plural}${rt.group ? '.' + rt.group : ''} "${name}" not found`, { name, group: rt.group, kind: rt.plural });
  }

  private requireNamespace(ns: string): void {
    const nsType = this.o.types.find('', 'v1', 'namespaces')!;
    const n = this.o.store.get(nsType, undefined, ns);
    if (!n) throw new ApiError(404, 'NotFound', `namespaces "${ns}" not found`, { name: ns, kind: 'namespaces' });
    if ((n.status as { phase?: string } | undefined)?.phase === 'Terminating') {
      throw new ApiError(403, 'Forbidden', `unable to create new content in namespace ${ns} because it is being terminated`);
    }
  }

  private selection(r: Route, q: URLSearchParams): (o: KubeObject) => boolean {
    const labels = parseLabelSelector(q.get('labelSelector'));
    const fields = parseFieldSelector(q.get('fieldSelector'));
    checkFieldSelectorSupported(fields, r.rt.kind);
    return (o) => matchesLabels(labels, o.metadata.labels) && matchesFields(fields, o);
  }

  private list(r: Route, q: URLSearchParams, accept: string, res: ServerResponse): void {
    const match = this.selection(r, q);
    const rv = q.get('resourceVersion');
    if (rv && q.get('resourceVersionMatch') === 'Exact' && rv !== String(this.o.store.currentRv())) {
      throw new ApiError(410, 'Expired', `too old resource version: ${rv} (${this.o.store.currentRv()})`);
    }
    if (rv && rv !== '0' && !/^\d+$/.test(rv)) throw new ApiError(400, 'BadRequest', `invalid resource version: ${rv}`);
    const items = this.o.store.list(r.rt, r.namespace).filter(match);
    const listRv = String(this.o.store.currentRv());
    if (wantsTable(accept)) return sendJson(res, 200, toTable(r.rt, items, listRv), TABLE_CT);
    sendJson(res, 200, {
      kind: `${r.rt.kind}List`,
      apiVersion: apiVersionOf({ group: r.group, version: r.version }),
      metadata: { resourceVersion: listRv },
      items: items.map((o) => this.present(r, o)),
    });
  }

  private watch(r: Route, q: URLSearchParams, accept: string, res: ServerResponse): void {
    const matches = this.selection(r, q);
    const table = wantsTable(accept);
    this.stats.watchesOpen++;
    this.stats.watchesStarted++;
    const open: Partial<WatchHandle> = {};
    this.openWatches.set(res, open);
    const handle = serveWatch(
      this.o.store,
      res,
      {
        rt: r.rt,
        namespace: r.namespace,
        resourceVersion: q.get('resourceVersion') ?? undefined,
        matches,
        present: (o) => (table ? toTable(r.rt, [o], o.metadata.resourceVersion ?? '') : this.present(r, o)),
        bookmarks: q.get('allowWatchBookmarks') === 'true',
        sendInitialEvents: q.get('sendInitialEvents') === 'true',
        timeoutSeconds: q.get('timeoutSeconds') ? Number(q.get('timeoutSeconds')) : undefined,
        bookmarkIntervalMs: this.o.bookmarkIntervalMs ?? 60_000,
        contentType: table ? TABLE_CT : 'application/json',
      },
      () => {
        this.stats.watchesOpen--;
        this.openWatches.delete(res);
      },
    );
    if (handle) Object.assign(open, handle);
  }

  private async bodyObject(req: IncomingMessage): Promise<KubeObject> {
    const ct = (req.headers['content-type'] ?? 'application/json').split(';')[0].trim();
    if (!jsonTypes.includes(ct) && ct !== PROTOBUF_CONTENT_TYPE) throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`);
    const body = await readBody(req);
    if (ct === PROTOBUF_CONTENT_TYPE) return protobufObject(body);
    const text = body.toString('utf8');
    const obj = ct.includes('yaml') ? parseYamlOr400(text) : parseJsonOr400(text);
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new ApiError(400, 'BadRequest', 'the request body must be a JSON object');
    const o = obj as KubeObject;
    o.metadata ??= {} as KubeObject['metadata'];
    if (typeof o.metadata !== 'object') throw new ApiError(400, 'BadRequest', 'metadata must be an object');
    return o;
  }

  private checkIdentity(r: Route, obj: KubeObject): void {
    const want = apiVersionOf({ group: r.group, version: r.version });
    if (obj.kind && obj.kind !== r.rt.kind) throw new ApiError(400, 'BadRequest', `the kind of the object (${obj.kind}) does not match the kind on the URL (${r.rt.kind})`);
    if (obj.apiVersion && obj.apiVersion !== want) {
      const rt = this.o.types.byKind(obj.apiVersion, obj.kind ?? r.rt.kind);
      if (!rt || resourceKey(rt) !== resourceKey(r.rt)) throw new ApiError(400, 'BadRequest', `the API version in the data (${obj.apiVersion}) does not match the expected API version (${want})`);
    }
    if (r.rt.namespaced && obj.metadata.namespace && r.namespace && obj.metadata.namespace !== r.namespace) {
      throw new ApiError(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
    }
  }

  private validateName(rt: ResourceType, name: string | undefined): void {
    if (!name) throw new ApiError(422, 'Invalid', `${rt.kind} "" is invalid: metadata.name: Required value: name or generateName is required`, { kind: rt.kind, causes: [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }] });
    if (name.length > 253 || !NAME_RE.test(name) || (rt.kind === 'Namespace' && (name.includes('.') || name.length > 63))) {
      const msg = `Invalid value: "${name}": a lowercase RFC 1123 ${rt.kind === 'Namespace' ? 'label' : 'subdomain'} must consist of lower case alphanumeric characters, '-'${rt.kind === 'Namespace' ? '' : " or '.'"}, and must start and end with an alphanumeric character`;
      throw new ApiError(422, 'Invalid', `${rt.kind} "${name}" is invalid: metadata.name: ${msg}`, { name, kind: rt.kind, causes: [{ reason: 'FieldValueInvalid', message: msg, field: 'metadata.name' }] });
    }
  }

  private create(r: Route, obj: KubeObject, q: URLSearchParams): KubeObject {
    this.checkIdentity(r, obj);
    const rt = r.rt;
    obj.apiVersion = apiVersionOf({ group: r.group, version: r.version });
    obj.kind = rt.kind;
    if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = obj.metadata.generateName + Math.random().toString(36).slice(2, 7);
    this.validateName(rt, obj.metadata.name);
    if (rt.namespaced) obj.metadata.namespace = r.namespace ?? obj.metadata.namespace ?? 'default';
    else delete obj.metadata.namespace;
    delete obj.metadata.resourceVersion;
    delete obj.metadata.uid;
    delete obj.metadata.creationTimestamp;
    delete obj.metadata.deletionTimestamp;
    if (q.get('fieldManager')) obj.metadata.managedFields = [{ manager: q.get('fieldManager'), operation: 'Update', apiVersion: obj.apiVersion, time: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }];
    for (const a of this.o.admit) a('create', rt, obj, undefined);
    if (q.get('dryRun') === 'All') {
      if (this.o.store.get(rt, obj.metadata.namespace, obj.metadata.name)) throw new StoreError(409, 'AlreadyExists', `${rt.plural}${rt.group ? '.' + rt.group : ''} "${obj.metadata.name}" already exists`);
      return obj;
    }
    return this.o.store.create(rt, obj);
  }

  private update(r: Route, obj: KubeObject, old: KubeObject, q: URLSearchParams, statusOnly = false): KubeObject {
    this.checkIdentity(r, obj);
    const rt = r.rt;
    obj.apiVersion = old.apiVersion;
    obj.kind = rt.kind;
    if (statusOnly) obj = { ...old, status: obj.status, metadata: { ...old.metadata, resourceVersion: obj.metadata.resourceVersion } };
    else if (rt.subresources?.includes('status') && !rt.custom) obj.status = old.status; // status changes go through /status
    for (const a of this.o.admit) a('update', rt, obj, old);
    if (q.get('dryRun') === 'All') return obj;
    return this.o.store.update(rt, obj);
  }

  private async patch(r: Route, q: URLSearchParams, req: IncomingMessage, res: ServerResponse, statusOnly = false): Promise<void> {
    const ct = (req.headers['content-type'] ?? '').split(';')[0].trim();
    const text = (await readBody(req)).toString('utf8');
    const rt = r.rt;
    const old = this.o.store.get(rt, r.namespace, r.name!);
    if (ct === 'application/apply-patch+yaml') {
      const applied = parseYamlOr400(text) as KubeObject;
      if (!applied || typeof applied !== 'object') throw new ApiError(400, 'BadRequest', 'the apply patch must be an object');
      applied.metadata ??= {} as KubeObject['metadata'];
      if (applied.metadata.name && applied.metadata.name !== r.name) throw new ApiError(400, 'BadRequest', `the name of the object (${applied.metadata.name}) does not match the name on the URL (${r.name})`);
      if (!old) {
        applied.metadata.name = r.name!;
        return sendJson(res, 201, this.present(r, this.create(r, applied, q)));
      }
      const merged = strategicMergePatch(old, stripNulls(applied)) as KubeObject;
      merged.metadata.resourceVersion = old.metadata.resourceVersion;
      return sendJson(res, 200, this.present(r, this.update(r, merged, old, q, statusOnly)));
    }
    if (!old) throw this.notFound(rt, r.name!);
    let patchDoc: unknown;
    try {
      patchDoc = JSON.parse(text);
    } catch {
      throw new ApiError(400, 'BadRequest', `error decoding patch: invalid character in JSON body`);
    }
    let next: unknown;
    switch (ct) {
      case 'application/merge-patch+json': next = jsonMergePatch(old, patchDoc); break;
      case 'application/strategic-merge-patch+json':
        if (rt.custom) throw new ApiError(415, 'UnsupportedMediaType', 'strategic merge patch is not supported for custom resources; use --type=merge');
        next = strategicMergePatch(old, patchDoc);
        break;
      case 'application/json-patch+json': next = jsonPatch(old, patchDoc); break;
      default: throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`);
    }
    const obj = next as KubeObject;
    if (!obj || typeof obj !== 'object' || !obj.metadata) throw new ApiError(422, 'Invalid', 'the patch removed the object\'s metadata');
    // A patch only conflicts when it carries a resourceVersion of its own.
    const patchRv = (patchDoc as { metadata?: { resourceVersion?: string } })?.metadata?.resourceVersion;
    obj.metadata.resourceVersion = patchRv ?? old.metadata.resourceVersion;
    if (obj.metadata.name !== old.metadata.name) throw new ApiError(422, 'Invalid', 'metadata.name: Invalid value: the name cannot be changed by a patch');
    obj.metadata.namespace = old.metadata.namespace;
    sendJson(res, 200, this.present(r, this.update(r, obj, old, q, statusOnly)));
  }

  private async subresource(r: Route, method: string, q: URLSearchParams, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { rt } = r;
    // `services/NAME:PORT/proxy`: the object is NAME.
    const name = r.sub === 'proxy' && rt.kind === 'Service' ? r.name!.split(':')[0]! : r.name!;
    const o = this.o.store.get(rt, r.namespace, name);
    if (!o) throw this.notFound(rt, name);
    if (r.sub === 'status' && (rt.subresources ?? []).includes('status')) {
      if (method === 'GET') return sendJson(res, 200, this.present(r, o));
      if (method === 'PUT') return sendJson(res, 200, this.present(r, this.update(r, await this.bodyObject(req), o, q, true)));
      if (method === 'PATCH') return this.patch(r, q, req, res, true);
    }
    if (r.sub === 'scale' && (rt.subresources ?? []).includes('scale')) {
      const spec = (o.spec ?? {}) as { replicas?: number; selector?: { matchLabels?: Record<string, string> } };
      const scale = (obj: KubeObject) => ({
        kind: 'Scale', apiVersion: 'autoscaling/v1',
        metadata: { name: obj.metadata.name, namespace: obj.metadata.namespace, uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion, creationTimestamp: obj.metadata.creationTimestamp },
        spec: { replicas: (obj.spec as { replicas?: number }).replicas ?? 1 },
        status: { replicas: (obj.status as { replicas?: number } | undefined)?.replicas ?? 0, selector: Object.entries(spec.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',') },
      });
      if (method === 'GET') return sendJson(res, 200, scale(o));
      const text = (await readBody(req)).toString('utf8');
      const body = parseJsonOr400(text) as { spec?: { replicas?: number } };
      const replicas = body?.spec?.replicas;
      if (typeof replicas !== 'number' || replicas < 0) throw new ApiError(422, 'Invalid', 'spec.replicas: Invalid value: must be a non-negative integer');
      const updated = this.update(r, { ...o, spec: { ...(o.spec as object), replicas } }, o, q);
      return sendJson(res, 200, scale(updated));
    }
    if (r.sub === 'log' && rt.kind === 'Pod' && method === 'GET') {
      const text = this.o.podLog?.(o, q.get('container') ?? undefined) ?? '';
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(text) });
      return void res.end(text);
    }
    if (r.sub === 'proxy' && rt.kind === 'Service' && this.o.serviceProxy) {
      const [, port] = r.name!.split(':');
      const svc = this.o.store.get(rt, r.namespace, r.name!.split(':')[0]);
      if (!svc) throw this.notFound(rt, r.name!);
      return this.o.serviceProxy(svc, port, '/' + r.rest.join('/'), req, res);
    }
    if (r.sub === 'token' && rt.kind === 'ServiceAccount' && method === 'POST') {
      return sendJson(res, 201, tokenRequest(o, await this.bodyObject(req)));
    }
    if ((r.sub === 'portforward' || r.sub === 'exec') && rt.kind === 'Pod') throw new ApiError(400, 'BadRequest', 'Upgrade request required');
    throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  }

  /** Deletes an object; dependents follow through the garbage collector unless orphaned. */
  private remove(rt: ResourceType, o: KubeObject, propagation: string): KubeObject {
    if (rt.kind === 'Namespace') {
      if (['default', 'kube-system', 'kube-public'].includes(o.metadata.name)) {
        throw new ApiError(403, 'Forbidden', `namespaces "${o.metadata.name}" is forbidden: this namespace may not be deleted`);
      }
      // Namespaces terminate: their contents go first, then the namespace (see the namespace controller).
      const t = { ...o, metadata: { ...o.metadata, deletionTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }, status: { phase: 'Terminating' } };
      return this.o.store.update(rt, t);
    }
    if (propagation === 'Orphan') {
      for (const t of this.o.types.all()) {
        for (const d of this.o.store.list(t)) {
          const refs = d.metadata.ownerReferences ?? [];
          if (refs.some((x) => x.uid === o.metadata.uid)) {
            d.metadata.ownerReferences = refs.filter((x) => x.uid !== o.metadata.uid);
            this.o.store.update(t, d, { checkRv: false });
          }
        }
      }
    }
    for (const a of this.o.admit) a('delete', rt, o, o);
    return this.o.store.delete(rt, o.metadata.namespace, o.metadata.name);
  }

  private deleteCollection(r: Route, q: URLSearchParams, res: ServerResponse): void {
    const match = this.selection(r, q);
    const items = this.o.store.list(r.rt, r.namespace).filter(match);
    const removed = items.map((o) => this.present(r, this.remove(r.rt, o, q.get('propagationPolicy') ?? 'Background')));
    sendJson(res, 200, { kind: `${r.rt.kind}List`, apiVersion: apiVersionOf({ group: r.group, version: r.version }), metadata: { resourceVersion: String(this.o.store.currentRv()) }, items: removed });
  }
}

/**
 * The container an exec request names, or the API server's and kubelet's
 * refusal: no such container, several to choose from, a pod without a node,
 * or a container that is not running.
 */
function execTarget(pod: KubeObject, asked: string | null): { container: string } | { refusal: string } | { notRunning: string } {
  type C = { name: string };
  type CS = { name: string; state?: { running?: unknown } };
  const spec = (pod.spec ?? {}) as { containers?: C[]; initContainers?: C[]; nodeName?: string };
  const names = (spec.containers ?? []).map((c) => c.name);
  const name = pod.metadata.name;
  let container = asked ?? '';
  if (!container) {
    if (names.length !== 1) return { refusal: `a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]` };
    container = names[0];
  }
  const all = [...names, ...(spec.initContainers ?? []).map((c) => c.name)];
  if (!all.includes(container)) return { refusal: `container ${container} is not valid for pod ${name}` };
  if (!spec.nodeName) return { refusal: `pod ${name} does not have a host assigned` };
  const statuses = [...(((pod.status as { containerStatuses?: CS[] } | undefined)?.containerStatuses) ?? []), ...(((pod.status as { initContainerStatuses?: CS[] } | undefined)?.initContainerStatuses) ?? [])];
  if (!statuses.find((c) => c.name === container)?.state?.running) return { notRunning: container };
  return { container };
}

const TABLE_CT = 'application/json;as=Table;v=v1;g=meta.k8s.io';

/**
 * `kubectl create token SA`: a TokenRequest answered with a token-shaped string naming the
 * service account. It is unsigned and the sandbox does not accept it: it only has to look right.
 */
function tokenRequest(sa: KubeObject, body: KubeObject): KubeObject {
  const spec = (body.spec ?? {}) as { audiences?: string[]; expirationSeconds?: number };
  const seconds = spec.expirationSeconds ?? 3600;
  const now = Math.floor(Date.now() / 1000);
  const sub = `system:serviceaccount:${sa.metadata.namespace}:${sa.metadata.name}`;
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ aud: spec.audiences ?? ['https://kubernetes.default.svc.cluster.local'], exp: now + seconds, iat: now, iss: 'https://kubernetes.default.svc.cluster.local', sub })}.`;
  const iso = (t: number) => new Date(t * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1',
    metadata: { name: sa.metadata.name, namespace: sa.metadata.namespace, creationTimestamp: iso(now) },
    spec: { audiences: spec.audiences ?? ['https://kubernetes.default.svc.cluster.local'], expirationSeconds: seconds, boundObjectRef: null },
    status: { token, expirationTimestamp: iso(now + seconds) },
  };
}
const wantsTable = (accept: string) => /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);

function parseJsonOr400(text: string): any { // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ApiError(400, 'BadRequest', `the request body is not valid JSON: ${(e as Error).message}`);
  }
}

/** A protobuf body as the JSON object it stands for; kinds without a field table get a 415 naming them. */
function protobufObject(body: Buffer): KubeObject {
  try {
    return decodeKubernetesProtobuf(body);
  } catch (e) {
    if (e instanceof ProtobufUnknownKindError) throw new ApiError(415, 'UnsupportedMediaType', e.message);
    if (e instanceof ProtobufDecodeError) throw new ApiError(400, 'BadRequest', e.message);
    throw e;
  }
}

function parseYamlOr400(text: string): unknown {
  try {
    return YAML.parse(text);
  } catch (e) {
    throw new ApiError(400, 'BadRequest', `the request body is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
}

function stripNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripNulls);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, stripNulls(x)]));
  return v;
}
