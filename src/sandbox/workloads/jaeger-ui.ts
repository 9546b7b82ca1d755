/**
 * The page Jaeger's query service answers for its UI, and for ANY path it has
 * no route for: the single-page app's index.html. With QUERY_BASE_PATH=/jaeger
 * (Istio 1.1 and later) a client that asks `/api/services` therefore gets
 * `200 text/html`, not JSON -- the trap the lessons must recognise.
 */
import { escapeHtml } from './http-util.js';

export const JAEGER_UI_TITLE = 'Jaeger UI';

/** The index document, with `<base href>` pointing at the base path as Jaeger injects it. */
export function jaegerUiHtml(basePath: string, version = '1.9'): string {
  const base = `${basePath}/`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<base href="${escapeHtml(base)}" data-inject-target="BASE_URL">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${JAEGER_UI_TITLE}</title>`,
    `<link rel="stylesheet" href="${escapeHtml(base)}static/css/main.css">`,
    '</head>',
    '<body>',
    '<noscript>The Jaeger UI needs JavaScript. Its data comes from the JSON API under ',
    `<code>${escapeHtml(basePath)}/api/</code>.</noscript>`,
    `<div id="jaeger-ui-root" data-jaeger-version="${escapeHtml(version)}"></div>`,
    `<script src="${escapeHtml(base)}static/js/main.js"></script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
