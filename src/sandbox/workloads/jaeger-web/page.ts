/**
 * The document around every view: `<base href>` set to the base path as
 * Jaeger's server injects it (so every link and API call is relative and the
 * page works under `/` and `/jaeger` alike), a top bar like Jaeger UI's, and
 * a footer that says what this page is. Its script and styles come from the
 * same server; nothing is loaded from the network. Pure.
 */
import { esc } from './display.js';
import { SCRIPT_PATH, STYLES_PATH } from './ui-query.js';

export const JAEGER_UI_TITLE = 'Jaeger UI';

export type PageView = 'search' | 'trace';

export interface PageOptions {
  /** '' or '/jaeger'. */
  basePath: string;
  view: PageView;
  /** The view's markup (search-view.ts or trace-view.ts). */
  main: string;
  /** Jaeger version the scenario runs, shown in the footer. */
  version?: string;
}

export function renderPage(o: PageOptions): string {
  const base = `${o.basePath}/`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<base href="${esc(base)}" data-inject-target="BASE_URL">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${JAEGER_UI_TITLE}</title>`,
    `<link rel="stylesheet" href="${STYLES_PATH}">`,
    '</head>',
    `<body data-view="${o.view}" data-base-path="${esc(o.basePath)}">`,
    '<header class="topnav">',
    `<a class="brand" href="search" data-nav>${JAEGER_UI_TITLE}</a>`,
    '<form class="lookup" action="trace" method="get" role="search"><input name="id" type="search" placeholder="Lookup by Trace ID..." aria-label="Lookup by Trace ID" autocomplete="off"></form>',
    '<nav><a href="search" data-nav>Search</a></nav>',
    '</header>',
    `<main id="main">${o.main}</main>`,
    '<footer class="foot">',
    `This is kubetutor's sandbox stand-in for Jaeger's UI${o.version ? ` (the scenario runs Jaeger ${esc(o.version)})` : ''}: a small page that reads the sandbox's trace store through the same query API the real UI uses (<a href="api/services">api/services</a>). On a real cluster this address serves Jaeger's own UI.`,
    '</footer>',
    `<script src="${SCRIPT_PATH}" defer></script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
