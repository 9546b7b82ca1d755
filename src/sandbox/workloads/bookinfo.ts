/**
 * The Istio ingress gateway's HTTP port in front of Bookinfo. Each request
 * asks the sandbox for the current `BookinfoWorld`, answers the way Envoy and
 * the Bookinfo apps would in that state, and -- when the mesh would report it
 * -- records the request's trace into the world's TraceStore.
 *
 * Envoy's own answers: 404 with an empty body when no route matches (no
 * bookinfo Gateway/VirtualService, or a path the VirtualService does not
 * list); 503 "no healthy upstream" when productpage has no ready pod.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IstioEra } from '../../kube/types.js';
import type { TraceStore } from './trace-store.js';
import { type BookinfoApp, type ReviewsVersion, matchBookinfoRoute, pathOnly, reviewsCallsRatings } from './bookinfo-routes.js';
import { type FailingCall, type MeshCaller, type PodRef, DEFAULT_PODS, buildProductpageTrace } from './istio-trace.js';
import {
  PRODUCT,
  PRODUCT_DETAILS,
  PRODUCT_RATINGS,
  DETAILS_ERROR,
  REVIEWS_ERROR,
  RATINGS_ERROR,
  renderProductPage,
  reviewsJson,
} from './bookinfo-page.js';
import { type RequestHandler, headerValue, requestUrl, sendBody, sendJson } from './http-util.js';
import { type Rng, defaultRng, pick, randomRequestId } from '../../kube/rng.js';

export interface BookinfoWorld {
  era: IstioEra;
  /** The bookinfo Gateway and VirtualService exist. */
  routed: boolean;
  productpageReady: boolean;
  detailsReady: boolean;
  /** Reviews versions with a ready pod. */
  reviewsVersions: ReviewsVersion[];
  ratingsReady: boolean;
  /** Bookinfo pods carry the istio-proxy sidecar. */
  sidecars: boolean;
  /** Jaeger is installed and ready. */
  tracing: boolean;
  /** Pilot's trace sampling, 0-100. */
  samplingPercent: number;
  store: TraceStore;
  /** Pods by app (`productpage`), deployment (`reviews-v2`) or `istio-ingressgateway`/`istio-policy`. */
  pods?: Record<string, PodRef>;
  /** Namespace Bookinfo runs in (default `default`). */
  namespace?: string;
}

export interface BookinfoHandlerOptions {
  /** Randomness for trace ids, durations and random reviews choice. */
  rng?: Rng;
  /** Returns a number in [0, 100); a request is sampled when it is below samplingPercent. */
  sampleRoll?: () => number;
  /** Clock in Unix microseconds (trace start times). */
  nowMicros?: () => number;
  /** How the reviews Service spreads requests over ready versions. Default round-robin. */
  reviewsBalancing?: 'round-robin' | 'random';
  /**
   * Record gateway-only traces when Bookinfo pods have no sidecar (the gateway
   * is an Envoy and reports anyway, as real Istio does). Default false: no
   * trace at all without sidecars.
   */
  gatewaySpansWithoutSidecars?: boolean;
  /**
   * The pod inside the mesh that sent a request (found from the connection's
   * source address), or undefined for traffic from the ingress gateway, a
   * port-forward or the API server's proxy. A mesh request reaches the app
   * itself (no gateway VirtualService in the way), and its trace starts at
   * the caller's sidecar.
   */
  callerOf?: (req: IncomingMessage) => MeshCaller | undefined;
}

/** Outcome of one request, handed to the trace builder. */
interface Served {
  status: number;
  failing: FailingCall[];
  reviewsVersion: ReviewsVersion;
}

const ENVOY_HEADERS = { server: 'istio-envoy' } as const;

/** Decide sampling like the first Envoy: honour B3/Envoy force headers, else roll. */
export function sampledByHeaders(req: IncomingMessage): boolean | undefined {
  if (headerValue(req, 'x-envoy-force-trace') !== undefined) return true;
  if (headerValue(req, 'x-b3-flags') === '1') return true;
  const sampled = headerValue(req, 'x-b3-sampled')?.trim().toLowerCase();
  if (sampled === '1' || sampled === 'true' || sampled === 'd') return true;
  if (sampled === '0' || sampled === 'false') return false;
  const single = headerValue(req, 'b3')?.trim().toLowerCase();
  if (single !== undefined) {
    const flag = single.length <= 1 ? single : single.split('-')[2];
    if (flag === '1' || flag === 'd') return true;
    if (flag === '0') return false;
  }
  return undefined;
}

function incomingTraceId(req: IncomingMessage): string | undefined {
  const id = headerValue(req, 'x-b3-traceid')?.trim().toLowerCase();
  return id && /^([0-9a-f]{16}|[0-9a-f]{32})$/.test(id) && !/^0+$/.test(id) ? id : undefined;
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  const raw = headerValue(req, 'cookie');
  if (!raw) return undefined;
  for (const part of raw.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function createBookinfoHandler(world: () => BookinfoWorld, opts: BookinfoHandlerOptions = {}): RequestHandler {
  const rng = opts.rng ?? defaultRng;
  const roll = opts.sampleRoll ?? (() => Math.random() * 100);
  const now = opts.nowMicros ?? (() => Date.now() * 1000);
  let turn = 0;

  const chooseReviews = (versions: ReviewsVersion[]): ReviewsVersion | null => {
    const ready = [...new Set(versions)].sort();
    if (ready.length === 0) return null;
    if (opts.reviewsBalancing === 'random') return pick(rng, ready);
    return ready[turn++ % ready.length];
  };

  const podName = (w: BookinfoWorld, key: string): string | undefined => w.pods?.[key]?.name ?? DEFAULT_PODS[key]?.name;

  return (req: IncomingMessage, res: ServerResponse): void => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendBody(req, res, 500, 'text/plain', `internal error: ${String(err)}\n`, ENVOY_HEADERS);
      else res.destroy();
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { startedAt, w, target, method, caller } = arrival(req, now, world, opts.callerOf);
    const route = caller ? true : w.routed ? matchBookinfoRoute(target) : null;
    const body = method === 'POST' || method === 'PUT' ? await readBody(req) : '';
    if (!route) {
      // Envoy: no route (response_flags NR): 404, nothing in the body.
      sendBody(req, res, 404, null, '', ENVOY_HEADERS);
      return;
    }
    const requestId = randomRequestId(rng);
    const common = { ...ENVOY_HEADERS, 'x-request-id': requestId };

    const record = (served: Served) => {
      if (!w.tracing) return;
      if (!w.sidecars && !(caller ? caller.sidecar : opts.gatewaySpansWithoutSidecars)) return;
      const forced = sampledByHeaders(req);
      const sampled = forced ?? roll() < w.samplingPercent;
      if (!sampled) return;
      w.store.add(
        buildProductpageTrace({
          caller,
          era: w.era,
          reviewsVersion: served.reviewsVersion,
          nowMicros: startedAt,
          rng,
          pods: w.pods,
          namespace: w.namespace,
          failing: served.failing,
          responseStatus: served.status,
          path: target,
          method,
          host: headerValue(req, 'host') ?? 'localhost',
          userAgent: headerValue(req, 'user-agent') ?? '-',
          requestId,
          traceId: incomingTraceId(req),
          sidecars: w.sidecars,
        }),
      );
    };

    if (!w.productpageReady) {
      record({ status: 503, failing: [{ service: 'productpage', status: 503, noUpstream: true }], reviewsVersion: 'v1' });
      sendBody(req, res, 503, 'text/plain', 'no healthy upstream', common);
      return;
    }

    const failing: FailingCall[] = [];
    const down = (service: BookinfoApp) => failing.push({ service, status: 503, noUpstream: true });
    if (!w.detailsReady) down('details');
    if (!w.ratingsReady) down('ratings');
    const path = pathOnly(target);
    const appHeaders = { ...common, 'x-envoy-upstream-service-time': String(8 + Math.floor(rng() * 40)) };
    const html = 'text/html; charset=utf-8';

    if (caller && path === '/health') {
      record({ status: 200, failing: [], reviewsVersion: 'v1' });
      sendJson(req, res, 200, { status: 'Product page is healthy' }, { headers: appHeaders });
      return;
    }

    // The reviews version is only chosen when reviews is actually called.
    const callsReviews = path === '/productpage' || /^\/api\/v1\/products\/[^/]+\/reviews\/?$/.test(path);
    const version = callsReviews ? chooseReviews(w.reviewsVersions) : null;
    if (callsReviews && version === null) down('reviews');
    const reviewsVersion = version ?? 'v1';
    const ratingsAvailable = w.ratingsReady;

    if (path === '/productpage') {
      const page = renderProductPage({
        detailsAvailable: w.detailsReady,
        reviews: {
          version,
          podName: version ? podName(w, `reviews-${version}`) : undefined,
          ratingsAvailable: version !== null && reviewsCallsRatings(version) ? ratingsAvailable : true,
        },
        user: cookieValue(req, 'user'),
        showServedBy: w.era === 'modern',
      });
      record({ status: 200, failing, reviewsVersion });
      sendBody(req, res, 200, html, page, appHeaders);
      return;
    }

    if (path === '/login') {
      if (method !== 'POST') {
        record({ status: 405, failing, reviewsVersion });
        sendBody(req, res, 405, html, methodNotAllowedPage(), { ...appHeaders, allow: 'POST, OPTIONS' });
        return;
      }
      const user = new URLSearchParams(body).get('username') ?? '';
      record({ status: 302, failing, reviewsVersion });
      sendBody(req, res, 302, html, redirectPage('/productpage'), {
        ...appHeaders,
        location: '/productpage',
        'set-cookie': `user=${encodeURIComponent(user)}; Path=/`,
      });
      return;
    }

    if (path === '/logout') {
      record({ status: 302, failing, reviewsVersion });
      sendBody(req, res, 302, html, redirectPage('/productpage'), {
        ...appHeaders,
        location: '/productpage',
        'set-cookie': 'user=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/',
      });
      return;
    }

    if (path.startsWith('/static')) {
      const type = path.endsWith('.css') ? 'text/css; charset=utf-8' : path.endsWith('.js') ? 'application/javascript; charset=utf-8' : null;
      const status = type ? 200 : 404;
      record({ status, failing, reviewsVersion });
      if (type) sendBody(req, res, 200, type, type.startsWith('text/css') ? '/* bookinfo */\n' : '// bookinfo\n', appHeaders);
      else sendBody(req, res, 404, html, notFoundPage(), appHeaders);
      return;
    }

    // /api/v1/products...
    const api = /^\/api\/v1\/products(?:\/([^/]+)(?:\/(reviews|ratings))?)?\/?$/.exec(path);
    if (!api) {
      record({ status: 404, failing, reviewsVersion });
      sendBody(req, res, 404, html, notFoundPage(), appHeaders);
      return;
    }
    const [, id, sub] = api;
    let status = 200;
    let payload: unknown;
    if (id === undefined) {
      payload = [PRODUCT];
    } else if (sub === 'reviews') {
      if (version === null) [status, payload] = [503, { error: REVIEWS_ERROR }];
      else payload = reviewsJson(version, ratingsAvailable, podName(w, `reviews-${version}`));
    } else if (sub === 'ratings') {
      if (!ratingsAvailable) [status, payload] = [503, { error: RATINGS_ERROR }];
      else payload = PRODUCT_RATINGS;
    } else if (!w.detailsReady) {
      [status, payload] = [503, { error: DETAILS_ERROR }];
    } else {
      payload = PRODUCT_DETAILS;
    }
    record({ status, failing, reviewsVersion });
    sendJson(req, res, status, payload, { headers: appHeaders });
  }
}

/** One of the services productpage calls, reached directly (from inside the mesh, or a port-forward). */
export interface BookinfoServiceOptions extends BookinfoHandlerOptions {
  app: Exclude<BookinfoApp, 'productpage'>;
  /** The reviews version of the pod answering (reviews only). */
  version?: ReviewsVersion;
}

/**
 * details, reviews or ratings answering on 9080: their own JSON APIs
 * (`/details/{id}`, `/reviews/{id}`, `/ratings/{id}`, `/health`). Only a
 * request from inside the mesh is traced (a port-forward reaches the app
 * past its sidecar).
 */
export function createBookinfoServiceHandler(world: () => BookinfoWorld, opts: BookinfoServiceOptions): RequestHandler {
  const rng = opts.rng ?? defaultRng;
  const roll = opts.sampleRoll ?? (() => Math.random() * 100);
  const now = opts.nowMicros ?? (() => Date.now() * 1000);
  const app = opts.app;
  const version: ReviewsVersion = opts.version ?? 'v1';
  const healthy = { details: 'Details is healthy', reviews: 'Reviews is healthy', ratings: 'Ratings is healthy' }[app];

  return (req: IncomingMessage, res: ServerResponse): void => {
    const { startedAt, w, target, method, caller } = arrival(req, now, world, opts.callerOf);
    const requestId = randomRequestId(rng);
    const headers = { ...ENVOY_HEADERS, 'x-request-id': requestId, 'x-envoy-upstream-service-time': String(2 + Math.floor(rng() * 12)) };
    const failing: FailingCall[] = [];
    const callsRatings = app === 'reviews' && reviewsCallsRatings(version);
    if (callsRatings && !w.ratingsReady) failing.push({ service: 'ratings', status: 503, noUpstream: true });
    const record = (status: number): void => {
      if (!caller || !w.tracing || (!w.sidecars && !caller.sidecar)) return;
      const sampled = sampledByHeaders(req) ?? roll() < w.samplingPercent;
      if (!sampled) return;
      w.store.add(buildProductpageTrace({
        caller,
        entry: app,
        era: w.era,
        reviewsVersion: version,
        nowMicros: startedAt,
        rng,
        pods: w.pods,
        namespace: w.namespace,
        failing,
        responseStatus: status,
        path: target,
        method,
        host: headerValue(req, 'host') ?? `${app}:9080`,
        userAgent: headerValue(req, 'user-agent') ?? '-',
        requestId,
        traceId: incomingTraceId(req),
        sidecars: w.sidecars,
      }));
    };
    const path = pathOnly(target);
    const m = new RegExp(`^/${app}/([^/]+)/?$`).exec(path);
    if (path === '/health') {
      record(200);
      sendJson(req, res, 200, { status: healthy }, { headers });
      return;
    }
    if (!m) {
      record(404);
      sendBody(req, res, 404, 'text/plain', '', headers);
      return;
    }
    const id = /^[0-9]+$/.test(m[1]) ? Number(m[1]) : m[1];
    let payload: unknown;
    if (app === 'details') payload = { ...PRODUCT_DETAILS, id };
    else if (app === 'ratings') payload = { ...PRODUCT_RATINGS, id };
    else payload = { ...(reviewsJson(version, w.ratingsReady, w.pods?.[`reviews-${version}`]?.name) as object), id: String(id) };
    record(200);
    sendJson(req, res, 200, payload, { headers });
  };
}

function redirectPage(location: string): string {
  return `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to <a href="${location}">${location}</a>.\n`;
}

function notFoundPage(): string {
  return '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server.</p>\n';
}

/** What every Bookinfo app reads off a request as it arrives: when, the world then, what was asked and by whom. */
function arrival(req: IncomingMessage, now: () => number, world: () => BookinfoWorld, callerOf: ((req: IncomingMessage) => MeshCaller | undefined) | undefined) {
  const startedAt = now();
  const url = requestUrl(req);
  return {
    startedAt,
    w: world(),
    target: `${url.pathname}${url.search}`,
    method: (req.method ?? 'GET').toUpperCase(),
    caller: callerOf?.(req),
  };
}

function methodNotAllowedPage(): string {
  return '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<title>405 Method Not Allowed</title>\n<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested URL.</p>\n';
}
