/**
 * The web side of the simulated Jaeger query service: every path outside the
 * API (where Jaeger's server answers with its UI) gets kubetutor's own page,
 * rendered here in full so it works with JavaScript off, plus the page's
 * script and style sheet. Data comes from the same functions the query API
 * routes call (`source`), so the page and the API never disagree.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JaegerTrace } from '../../../traces/jaeger-model.js';
import { sendBody } from '../http-util.js';
import { buildTraceModel, summarizeTrace } from '../../../traces/trace-model.js';
import { renderPage, type PageView } from './page.js';
import { renderSearchView, type SearchResults } from './search-view.js';
import { renderTraceMissing, renderTraceView } from './trace-view.js';
import { STYLES } from './styles.js';
import { clientScript } from './client-script.js';
import { SearchFormError, apiSearchParams, defaultSearchForm, parseUiRoute, relativeToBase, searchHref, traceHref } from './ui-query.js';

/** What the page reads: the query API's own answers, before JSON. */
export interface UiDataSource {
  services(): string[];
  operations(service: string): string[];
  /** The `/api/traces?…` search; throws with the API's message on bad parameters. */
  search(params: URLSearchParams): JaegerTrace[];
  trace(traceID: string): JaegerTrace | undefined;
  nowMicros(): number;
}

export interface UiHandlerOptions {
  basePath: string;
  source: UiDataSource;
  version?: string;
}

const HTML = 'text/html; charset=utf-8';

export function createJaegerUiHandler(o: UiHandlerOptions): (req: IncomingMessage, res: ServerResponse, url: URL) => void {
  const page = (view: PageView, main: string) => renderPage({ basePath: o.basePath, view, main, version: o.version });

  return (req, res, url) => {
    const route = parseUiRoute(relativeToBase(url.pathname, o.basePath), url.searchParams);
    switch (route.kind) {
      case 'asset':
        if (route.name === 'styles') {
          sendBody(req, res, 200, 'text/css; charset=utf-8', STYLES, { 'cache-control': 'no-cache' });
        } else {
          clientScript().then(
            (js) => sendBody(req, res, 200, 'text/javascript; charset=utf-8', js, { 'cache-control': 'no-cache' }),
            (err: Error) => sendBody(req, res, 500, 'text/plain; charset=utf-8', `the page script could not be built: ${err.message}\n`),
          );
        }
        return;
      case 'lookup':
        sendBody(req, res, 302, HTML, '', { location: `${o.basePath}/${traceHref(route.traceID)}` });
        return;
      case 'trace': {
        const trace = o.source.trace(route.traceID);
        const back = searchHref(defaultSearchForm(trace ? summarizeTrace(trace).rootService : ''));
        if (!trace) {
          sendBody(req, res, 404, HTML, page('trace', renderTraceMissing(route.traceID, 'search')));
          return;
        }
        sendBody(req, res, 200, HTML, page('trace', renderTraceView(buildTraceModel(trace), { backHref: back, services: o.source.services() })));
        return;
      }
      case 'search': {
        const { form } = route;
        const services = o.source.services();
        const now = o.source.nowMicros();
        let results: SearchResults | undefined;
        if (route.submitted) {
          try {
            results = { traces: o.source.search(apiSearchParams(form, now)).map(summarizeTrace) };
          } catch (err) {
            results = { traces: [], error: err instanceof SearchFormError ? err.message : (err as Error).message };
          }
        }
        const operations = form.service ? o.source.operations(form.service) : [];
        sendBody(req, res, 200, HTML, page('search', renderSearchView({ form, services, operations, results, nowMicros: now })));
        return;
      }
    }
  };
}

/** The search page with no data (the shell other code may want as "what the UI answers"). */
export function emptyUiPage(basePath: string, version?: string): string {
  const main = renderSearchView({ form: defaultSearchForm(), services: [], operations: [], nowMicros: 0 });
  return renderPage({ basePath, view: 'search', main, version });
}
