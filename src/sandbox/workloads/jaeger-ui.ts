/**
 * What Jaeger's query service answers for its UI, and for ANY path it has no
 * API route for. With QUERY_BASE_PATH=/jaeger (Istio 1.1 and later) a client
 * that asks `/api/services` therefore gets `200 text/html`, not JSON -- the
 * trap the lessons must recognise. In the sandbox that page is kubetutor's
 * own stand-in for Jaeger UI (jaeger-web/), with `<base href>` set to the
 * base path as Jaeger injects it.
 */
import { emptyUiPage } from './jaeger-web/ui-handler.js';

export { JAEGER_UI_TITLE } from './jaeger-web/page.js';

/** The UI page with no traces (the search form only). */
export function jaegerUiHtml(basePath: string, version = '1.9'): string {
  return emptyUiPage(basePath, version);
}
