/**
 * Builds the Jaeger trace one request through the Bookinfo mesh produces, the
 * way Istio's Envoy proxies (and, in the Mixer era, istio-policy) report it.
 *
 * Shape of a `GET /productpage` trace:
 *
 *   gateway  client  productpage.<fqdn>:9080/productpage        (root)
 *   └ productpage server  (same operation)
 *     ├ [1.0/1.1] istio-policy server /istio.mixer.v1.Mixer/Check
 *     ├ productpage client details.<fqdn>:9080/*
 *     │ └ details server   (same operation)
 *     │   └ [1.0/1.1] istio-policy Check
 *     └ productpage client reviews.<fqdn>:9080/*   (after details returned)
 *       └ reviews server
 *         ├ [1.0/1.1] istio-policy Check
 *         └ [v2/v3] reviews client ratings.<fqdn>:9080/*
 *           └ ratings server
 *             └ [1.0/1.1] istio-policy Check
 *
 * Operation names. The caller's route decorator names the span; Envoy passes
 * it on in `x-envoy-decorator-operation`, so the callee's server span carries
 * the same name. Routes from the bookinfo VirtualService are named
 * `<host fqdn>:<port><exact path>` (or `<prefix>*`); default mesh routes are
 * `<host fqdn>:<port>/*` (Pilot's traceOperation) in every era. The 1.0 task
 * text prints `reviews.default.svc.cluster.local:9080/`; we read that as the
 * same `/*` name with the asterisk lost in rendering, so `/*` is the default
 * and `defaultRouteSuffix: '/'` reproduces the text's spelling if wanted.
 *
 * Mixer Check. With policy checks on (the 1.0/1.1 demo profiles), each
 * sidecar asks istio-policy to authorize an inbound request before passing it
 * on. The check is made by Envoy's mixer filter, not by a routed HTTP call, so
 * there is no client span for it: istio-policy reports one server span,
 * CHILD_OF the checking service's server span, at the start of it.
 *
 * Jaeger receives Envoy's Zipkin spans, where client and server of one RPC
 * share an id; Jaeger's query service gives the server half its own id and
 * makes it CHILD_OF the client half. We emit that deduplicated form.
 *
 * The era's names are istio-mesh-names.ts; the proxies' tags and the span recorder are
 * istio-proxy-spans.ts; this module is the walk through the mesh.
 */
import type { IstioEra } from '../../kube/types.js';
import type { JaegerTrace } from '../../traces/jaeger-model.js';
import { stringTag } from '../../traces/jaeger-model.js';
import { type BookinfoApp, type ReviewsVersion, productpageCalls, reviewsCallsRatings } from './bookinfo-routes.js';
import { type Rng, defaultRng, randInt, randomHex, randomRequestId } from '../../kube/rng.js';
import {
  APP_PORT,
  DEFAULT_PODS,
  ISTIO_NS,
  MIXER_CHECK_OPERATION,
  POLICY_SERVICE,
  type PodRef,
  bookinfoServiceName,
  defaultRouteOperation,
  eraHasPolicyChecks,
  gatewayRouteOperation,
  gatewayServiceName,
  inboundCluster as inboundClusterIn,
  outboundCluster as outboundClusterIn,
} from './istio-mesh-names.js';
import { type Exchange, type Workload, SpanRecorder, proxyTags as proxyTagsOf } from './istio-proxy-spans.js';

export {
  DEFAULT_PODS,
  MIXER_CHECK_OPERATION,
  POLICY_SERVICE,
  type PodRef,
  bookinfoServiceName,
  defaultRouteOperation,
  eraHasPolicyChecks,
  gatewayRouteOperation,
  gatewayServiceName,
} from './istio-mesh-names.js';

/** A simulated failure of calls to one Bookinfo service. */
export interface FailingCall {
  service: BookinfoApp;
  /** HTTP status the caller sees (5xx adds `error=true`). */
  status: number;
  /**
   * The service has no ready endpoint: the caller's Envoy answers by itself
   * (`response_flags=UH`, "no healthy upstream") and the service reports no
   * span. Otherwise the service's own server span carries the status.
   */
  noUpstream?: boolean;
}

export interface ProductpageTraceOptions {
  era: IstioEra;
  /** The reviews deployment that served this request. */
  reviewsVersion: ReviewsVersion;
  /** Unix microseconds at which the gateway received the request (root span start). */
  nowMicros: number;
  rng?: Rng;
  /**
   * Pods by Bookinfo app (`productpage`, `details`, `reviews`, `ratings`),
   * by deployment (`reviews-v2`, which wins over `reviews`), or
   * `istio-ingressgateway` / `istio-policy`. Missing ones get stable defaults.
   */
  pods?: Record<string, PodRef>;
  /** Namespace Bookinfo runs in. */
  namespace?: string;
  failing?: FailingCall | FailingCall[];
  /**
   * Status productpage's app answers with after its backend calls (default
   * 200; its HTML page shows backend errors as text and stays 200, its JSON
   * API passes a backend's 503 on).
   */
  responseStatus?: number;
  /** Request target at the gateway; default `/productpage`. */
  path?: string;
  method?: string;
  /** Host header the client sent to the gateway. */
  host?: string;
  userAgent?: string;
  requestId?: string;
  traceId?: string;
  /**
   * Whether Bookinfo pods carry the istio-proxy sidecar. Without sidecars only
   * the gateway (always an Envoy) reports: a one-span trace. Default true.
   */
  sidecars?: boolean;
  /** Which inbound requests istio-policy checks (1.0/1.1 only). Default 'all'. */
  policyChecks?: 'all' | 'reviews' | 'none';
  /** Suffix of default-route operation names; see the module comment. */
  defaultRouteSuffix?: '/*' | '/';
  /**
   * A request from inside the mesh (`kubectl exec … -- curl`) instead of the
   * ingress gateway: the caller pod's sidecar reports the root client span
   * (named after the default route of `entry`), or, for a caller without a
   * sidecar, the callee's server span is the root.
   */
  caller?: MeshCaller;
  /** The Bookinfo app the request first reaches (default productpage). */
  entry?: BookinfoApp;
}

/** The pod a mesh-internal request comes from. */
export interface MeshCaller {
  /** Its `app` label (or name): the Jaeger service is `<app>.<namespace>` (1.0: `<app>`). */
  app: string;
  version?: string;
  namespace: string;
  pod: PodRef;
  /** Whether the pod runs an istio-proxy sidecar that reports spans. */
  sidecar: boolean;
}

interface CallResult {
  end: number;
  status: number;
}

// Bytes Envoy reports for successful responses (close to the real samples).
const RESPONSE_SIZE: Record<string, number> = {
  'productpage-v1': 4294,
  'productpage-v2': 5179,
  'productpage-v3': 5183,
  details: 178,
  'reviews-v1': 295,
  'reviews-v2': 379,
  'reviews-v3': 375,
  ratings: 48,
};
const NO_UPSTREAM_BODY = 'no healthy upstream';

/** One Jaeger trace for one request through the ingress gateway. */
export function buildProductpageTrace(opts: ProductpageTraceOptions): JaegerTrace {
  const rng = opts.rng ?? defaultRng;
  const era = opts.era;
  const ns = opts.namespace ?? 'default';
  const target = opts.path ?? '/productpage';
  const method = opts.method ?? 'GET';
  const host = opts.host ?? 'localhost';
  const userAgent = opts.userAgent ?? 'curl/7.61.0';
  const requestId = opts.requestId ?? randomRequestId(rng);
  // Mixer-era Envoy used 64-bit Zipkin trace ids; modern Istio sends 128-bit ones.
  const traceID = (opts.traceId ?? randomHex(rng, era === 'modern' ? 32 : 16, true)).toLowerCase();
  const sidecars = opts.sidecars ?? true;
  const checks = eraHasPolicyChecks(era) ? (opts.policyChecks ?? 'all') : 'none';
  const routeSuffix = opts.defaultRouteSuffix ?? '/*';
  const failures = new Map<string, FailingCall>();
  for (const f of ([] as FailingCall[]).concat(opts.failing ?? [])) failures.set(f.service, f);

  const podFor = (key: string, fallbackKey: string): PodRef =>
    opts.pods?.[key] ?? opts.pods?.[fallbackKey] ?? DEFAULT_PODS[key] ?? DEFAULT_PODS[fallbackKey];
  const appWorkload = (app: BookinfoApp): Workload => {
    const version = app === 'reviews' ? opts.reviewsVersion : 'v1';
    const pod = app === 'reviews' ? podFor(`reviews-${version}`, 'reviews') : podFor(app, `${app}-v1`);
    return { app, service: bookinfoServiceName(era, app, ns), version, namespace: ns, pod, role: 'sidecar' };
  };
  const gateway: Workload = {
    app: 'istio-ingressgateway',
    service: gatewayServiceName(era),
    version: 'latest',
    namespace: ISTIO_NS,
    pod: podFor('istio-ingressgateway', 'istio-ingressgateway'),
    role: 'router',
  };
  const policy: Workload = {
    app: POLICY_SERVICE,
    service: POLICY_SERVICE,
    version: 'latest',
    namespace: ISTIO_NS,
    pod: podFor('istio-policy', 'istio-policy'),
    role: 'mixer',
  };

  const recorder = new SpanRecorder(traceID);
  const pushSpan = recorder.push.bind(recorder);
  const request = { era, requestId, method, userAgent };
  const proxyTags = (w: Workload, kind: 'client' | 'server', x: Exchange) => proxyTagsOf(request, w, kind, x);

  const outboundCluster = (app: string) => outboundClusterIn(app, ns);
  const inboundCluster = (app: string) => inboundClusterIn(era, app, ns);
  // The product page grows with the reviews it embeds (stars in v2/v3).
  const successSize = (w: Workload): number =>
    w.app === 'productpage'
      ? RESPONSE_SIZE[`productpage-${opts.reviewsVersion}`]
      : (RESPONSE_SIZE[`${w.app}-${w.version}`] ?? RESPONSE_SIZE[w.app] ?? 0);

  /** Mixer Check for an inbound request of `w`, starting at `at`; returns its end. */
  const policyCheck = (w: Workload, parent: string, at: number): number => {
    if (checks === 'none' || (checks === 'reviews' && w.app !== 'reviews')) return at;
    const start = at + randInt(rng, 40, 160);
    const end = start + randInt(rng, 600, 2400);
    pushSpan(policy, randomHex(rng, 16), parent, MIXER_CHECK_OPERATION, start, end, [
      stringTag('component', 'gRPC'),
      stringTag('span.kind', 'server'),
    ]);
    return end + randInt(rng, 40, 160);
  };

  /** The callee's server span and everything beneath it. */
  const serve = (w: Workload, parent: string | null, start: number, operation: string, url: string, caller: Workload | null): CallResult => {
    const spanID = randomHex(rng, 16);
    const failure = failures.get(w.app);
    let cursor = policyCheck(w, spanID, start + randInt(rng, 60, 200));
    let status = 200;
    if (failure) {
      status = failure.status;
      cursor += randInt(rng, 300, 1500);
    } else if (w.app === 'productpage') {
      cursor += randInt(rng, 1500, 4000);
      for (const app of productpageCalls(target)) {
        cursor = call(w, appWorkload(app), spanID, cursor, `/${app}/0`).end + randInt(rng, 400, 1800);
      }
      cursor += randInt(rng, 2000, 6000);
      status = opts.responseStatus ?? 200;
    } else if (w.app === 'reviews') {
      cursor += randInt(rng, 6000, 14000);
      if (reviewsCallsRatings(opts.reviewsVersion)) {
        cursor = call(w, appWorkload('ratings'), spanID, cursor, '/ratings/0').end;
      }
      cursor += randInt(rng, 1500, 5000);
    } else {
      cursor += randInt(rng, 800, 3500);
    }
    const end = cursor + randInt(rng, 80, 300);
    const size = status < 400 ? successSize(w) : 0;
    pushSpan(w, spanID, parent, operation, start, end, proxyTags(w, 'server', {
      url,
      status,
      flags: '-',
      responseSize: size,
      upstreamCluster: inboundCluster(w.app),
      peer: caller,
    }));
    return { end, status };
  };

  /** A mesh call from `from` to Bookinfo app `to`: client span plus the callee's spans. */
  const call = (from: Workload, to: Workload, parent: string, start: number, path: string): CallResult => {
    const spanID = randomHex(rng, 16);
    const operation = defaultRouteOperation(to.app as BookinfoApp, ns, routeSuffix);
    const url = `http://${to.app}:${APP_PORT}${path}`;
    return clientSpan(from, to, spanID, parent, start, operation, url, outboundCluster(to.app));
  };

  const clientSpan = (
    from: Workload,
    to: Workload,
    spanID: string,
    parent: string | null,
    start: number,
    operation: string,
    url: string,
    upstreamCluster: string,
  ): CallResult => {
    const failure = failures.get(to.app);
    let end: number;
    let status: number;
    let flags = '-';
    let size: number;
    if (failure?.noUpstream) {
      end = start + randInt(rng, 80, 400);
      status = failure.status;
      flags = 'UH';
      size = NO_UPSTREAM_BODY.length;
    } else {
      const served = serve(to, spanID, start + randInt(rng, 250, 650), operation, url, from);
      end = served.end + randInt(rng, 300, 700);
      status = served.status;
      size = status < 400 ? successSize(to) : 0;
    }
    pushSpan(from, spanID, parent, operation, start, end, proxyTags(from, 'client', {
      url,
      status,
      flags,
      responseSize: size,
      upstreamCluster,
      peer: failure?.noUpstream ? null : to,
    }));
    return { end, status };
  };

  const productpage = appWorkload('productpage');
  if (opts.caller) {
    meshEntry(opts.caller, appWorkload(opts.entry ?? 'productpage'));
  } else {
    const rootOperation = gatewayRouteOperation(target, ns);
    const gatewayUrl = `http://${host}${target}`;
    const rootId = randomHex(rng, 16);
    if (sidecars) {
      clientSpan(gateway, productpage, rootId, null, opts.nowMicros, rootOperation, gatewayUrl, outboundCluster('productpage'));
    } else {
      // The app answers without a proxy in front of it: only the gateway reports.
      const failure = failures.get('productpage');
      const end = opts.nowMicros + (failure?.noUpstream ? randInt(rng, 80, 400) : randInt(rng, 8000, 40000));
      const status = failure?.status ?? opts.responseStatus ?? 200;
      pushSpan(gateway, rootId, null, rootOperation, opts.nowMicros, end, proxyTags(gateway, 'client', {
        url: gatewayUrl,
        status,
        flags: failure?.noUpstream ? 'UH' : '-',
        responseSize: failure?.noUpstream ? NO_UPSTREAM_BODY.length : status < 400 ? successSize(productpage) : 0,
        upstreamCluster: outboundCluster('productpage'),
        peer: failure?.noUpstream ? null : productpage,
      }));
    }
  }

  /** A request from a pod inside the mesh to `to` (default route, so the `/*` operation). */
  function meshEntry(c: MeshCaller, to: Workload): void {
    const from: Workload = {
      app: c.app,
      service: era === '1.0' ? c.app : `${c.app}.${c.namespace}`,
      version: c.version ?? 'latest',
      namespace: c.namespace,
      pod: c.pod,
      role: 'sidecar',
    };
    const operation = defaultRouteOperation(to.app as BookinfoApp, ns, routeSuffix);
    const url = `http://${host}${target}`;
    if (c.sidecar) {
      if (sidecars) {
        clientSpan(from, to, randomHex(rng, 16), null, opts.nowMicros, operation, url, outboundCluster(to.app));
        return;
      }
      // Only the caller's proxy reports: one client span.
      const failure = failures.get(to.app);
      const end = opts.nowMicros + (failure?.noUpstream ? randInt(rng, 80, 400) : randInt(rng, 3000, 20000));
      const status = failure?.status ?? opts.responseStatus ?? 200;
      pushSpan(from, randomHex(rng, 16), null, operation, opts.nowMicros, end, proxyTags(from, 'client', {
        url,
        status,
        flags: failure?.noUpstream ? 'UH' : '-',
        responseSize: failure?.noUpstream ? NO_UPSTREAM_BODY.length : status < 400 ? successSize(to) : 0,
        upstreamCluster: outboundCluster(to.app),
        peer: failure?.noUpstream ? null : to,
      }));
      return;
    }
    // No proxy on the caller: the callee's inbound sidecar starts the trace.
    if (sidecars) serve(to, null, opts.nowMicros, operation, url, null);
  }

  return recorder.trace();
}
