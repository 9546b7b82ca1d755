/**
 * What the `bookinfo` VirtualService (from samples/bookinfo/networking/
 * bookinfo-gateway.yaml, identical in 1.0, 1.1 and modern) routes from the
 * ingress gateway to productpage:9080, and what productpage then calls.
 */

export type BookinfoApp = 'productpage' | 'details' | 'reviews' | 'ratings';
export type ReviewsVersion = 'v1' | 'v2' | 'v3';

export interface BookinfoRoute {
  /** How the rule matched: Envoy `path` (exact) or `prefix`. */
  match: 'exact' | 'prefix';
  /** The rule's URI value. */
  uri: string;
  /**
   * The path part of the route decorator Istio gives a VirtualService route,
   * which becomes the span's operation name: the exact path, or the prefix
   * followed by `*`.
   */
  operationPath: string;
}

const RULES: ReadonlyArray<{ match: 'exact' | 'prefix'; uri: string }> = [
  { match: 'exact', uri: '/productpage' },
  { match: 'prefix', uri: '/static' },
  { match: 'exact', uri: '/login' },
  { match: 'exact', uri: '/logout' },
  { match: 'prefix', uri: '/api/v1/products' },
];

/** Strip the query string and fragment off a request target. */
export function pathOnly(target: string): string {
  const cut = target.search(/[?#]/);
  return cut === -1 ? target : target.slice(0, cut);
}

/** The VirtualService rule matching `target`, or null (Envoy then answers 404). */
export function matchBookinfoRoute(target: string): BookinfoRoute | null {
  const path = pathOnly(target);
  for (const rule of RULES) {
    const hit = rule.match === 'exact' ? path === rule.uri : path.startsWith(rule.uri);
    if (hit) {
      return { ...rule, operationPath: rule.match === 'exact' ? rule.uri : `${rule.uri}*` };
    }
  }
  return null;
}

/** The backends productpage calls, in order, while serving `target`. */
export function productpageCalls(target: string): BookinfoApp[] {
  const path = pathOnly(target);
  if (path === '/productpage') return ['details', 'reviews'];
  const api = /^\/api\/v1\/products\/[^/]+(\/(reviews|ratings))?\/?$/.exec(path);
  if (!api) return [];
  if (api[2] === 'reviews') return ['reviews'];
  if (api[2] === 'ratings') return ['ratings'];
  return ['details'];
}

/** Whether a reviews version calls ratings (v1 shows no stars and never does). */
export function reviewsCallsRatings(version: ReviewsVersion): boolean {
  return version !== 'v1';
}
