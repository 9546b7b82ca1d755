/** Simulated workloads behind sandbox pod ports: Bookinfo via the Istio ingress gateway, and Jaeger. */
export * from '../../traces/jaeger-model.js';
export { TraceStore, normalizeTraceId, tagAsString, DEFAULT_SEARCH_LIMIT, DEFAULT_MAX_TRACES } from './trace-store.js';
export type { TraceQuery, TraceStoreOptions, OperationEntry } from './trace-store.js';
export {
  buildProductpageTrace,
  bookinfoServiceName,
  gatewayServiceName,
  eraHasPolicyChecks,
  defaultRouteOperation,
  gatewayRouteOperation,
  POLICY_SERVICE,
  MIXER_CHECK_OPERATION,
  DEFAULT_PODS,
} from './istio-trace.js';
export type { ProductpageTraceOptions, FailingCall, PodRef, MeshCaller } from './istio-trace.js';
export { createJaegerQueryHandler, normalizeBasePath } from './jaeger-query.js';
export type { JaegerQueryOptions } from './jaeger-query.js';
export { jaegerUiHtml, JAEGER_UI_TITLE } from './jaeger-ui.js';
export { createBookinfoHandler, createBookinfoServiceHandler, sampledByHeaders } from './bookinfo.js';
export type { BookinfoWorld, BookinfoHandlerOptions, BookinfoServiceOptions } from './bookinfo.js';
export { matchBookinfoRoute, productpageCalls, reviewsCallsRatings } from './bookinfo-routes.js';
export type { BookinfoApp, ReviewsVersion, BookinfoRoute } from './bookinfo-routes.js';
export { PRODUCTPAGE_TITLE, DETAILS_ERROR, REVIEWS_ERROR, RATINGS_ERROR, starColor } from './bookinfo-page.js';
export { parseGoDuration, GoDurationError } from '../../kube/go-duration.js';
export { seededRng, defaultRng } from '../../kube/rng.js';
export type { Rng } from '../../kube/rng.js';
export type { RequestHandler } from './http-util.js';
