/**
 * The page's script (bundled for the browser by scripts/jaeger-web-bundle.mjs;
 * type-checked by tsconfig.browser.json). The server already rendered the
 * page; this makes it better, reading the query API as Jaeger UI does:
 * - the Operation list follows the Service (`api/services/{s}/operations`),
 *   and the Service list is refreshed from `api/services`;
 * - Find Traces, the result links, the back arrow and the trace-ID lookup
 *   render in place from `api/traces?…` and `api/traces/{id}`, with the
 *   address bar kept in Jaeger's URL forms (back and forward work);
 * - on a trace: fold a span's subtree, open or close every span's details,
 *   jump from one half of a client/server pair to the other.
 * It renders with the same functions the server uses.
 */
import type { JaegerTrace } from '../../../traces/jaeger-model.js';
import { buildTraceModel, summarizeTrace } from '../../../traces/trace-model.js';
import { renderOperationOptions, renderResults, renderSearchView, renderServiceOptions } from './search-view.js';
import { renderTraceMissing, renderTraceView } from './trace-view.js';
import { apiSearchParams, parseUiRoute, relativeToBase, searchFormFrom, searchHref, traceHref, type SearchForm } from './ui-query.js';
import { esc, serviceColors } from './display.js';

interface Envelope<T> {
  data: T;
  errors: Array<{ code: number; msg: string }> | null;
}

class ApiError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

const basePath = document.body.dataset.basePath ?? '';
const main = document.getElementById('main') as HTMLElement;
const nowMicros = () => Date.now() * 1000;
const enc = encodeURIComponent;
/** The address of the last search shown, for the trace page's back arrow. */
let lastSearch = document.body.dataset.view === 'search' ? `${location.pathname}${location.search}` : 'search';
/** Bumped by every navigation, so a slow answer cannot overwrite a newer view. */
let generation = 0;

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`api/${path}`, { headers: { accept: 'application/json' } });
  let body: Envelope<T>;
  try {
    body = (await res.json()) as Envelope<T>;
  } catch {
    throw new ApiError(`${res.status} ${res.statusText}: the answer was not JSON`, res.status);
  }
  if (!res.ok || body.errors?.length) throw new ApiError(body.errors?.[0]?.msg ?? `${res.status} ${res.statusText}`, res.status);
  return body.data;
}

function formOf(el: HTMLFormElement): SearchForm {
  const params = new URLSearchParams();
  for (const [k, v] of new FormData(el)) params.set(k, String(v));
  return searchFormFrom(params);
}

function errorBox(err: unknown): string {
  return `<div class="error-box" role="alert">HTTP Error: ${esc(err instanceof Error ? err.message : String(err))}</div>`;
}

async function searchResults(form: SearchForm): Promise<string> {
  try {
    const traces = await api<JaegerTrace[]>(`traces?${apiSearchParams(form, nowMicros()).toString()}`);
    return renderResults({ traces: traces.map(summarizeTrace) }, nowMicros(), serviceColors(servicesOnPage()));
  } catch (err) {
    return errorBox(err);
  }
}

/** The Service list as the page shows it (the store's services, sorted). */
function servicesOnPage(): string[] {
  return [...document.querySelectorAll<HTMLOptionElement>('#service option')].map((o) => o.value).filter((v) => v !== '');
}

async function showSearch(form: SearchForm, submitted: boolean, gen: number): Promise<void> {
  const [services, operations] = await Promise.all([
    api<string[]>('services').catch(() => [] as string[]),
    form.service ? api<string[]>(`services/${enc(form.service)}/operations`).catch(() => [] as string[]) : Promise.resolve([] as string[]),
  ]);
  if (gen !== generation) return;
  main.innerHTML = renderSearchView({ form, services, operations, nowMicros: nowMicros() });
  document.body.dataset.view = 'search';
  if (submitted) await runSearch(form, gen);
}

async function runSearch(form: SearchForm, gen: number): Promise<void> {
  const results = document.getElementById('results');
  if (!results) return;
  results.innerHTML = '<div class="empty">Searching…</div>';
  const html = await searchResults(form);
  if (gen !== generation) return;
  results.innerHTML = html;
  lastSearch = searchHref(form);
}

async function showTrace(traceID: string, gen: number): Promise<void> {
  let html: string;
  try {
    const [data, services] = await Promise.all([api<JaegerTrace[]>(`traces/${enc(traceID)}`), api<string[]>('services').catch(() => undefined)]);
    html = data[0] ? renderTraceView(buildTraceModel(data[0]), { backHref: lastSearch, services }) : renderTraceMissing(traceID, lastSearch);
  } catch (err) {
    html = err instanceof ApiError && err.status === 404 ? renderTraceMissing(traceID, lastSearch) : errorBox(err);
  }
  if (gen !== generation) return;
  main.innerHTML = html;
  document.body.dataset.view = 'trace';
  window.scrollTo(0, 0);
}

/** Shows the view an address names; `push` adds it to the history. */
async function show(url: URL, push: boolean): Promise<void> {
  const route = parseUiRoute(relativeToBase(url.pathname, basePath), url.searchParams);
  if (route.kind !== 'search' && route.kind !== 'trace') {
    location.assign(url.href);
    return;
  }
  const gen = ++generation;
  if (push) history.pushState(null, '', url.href);
  if (route.kind === 'trace') await showTrace(route.traceID, gen);
  else await showSearch(route.form, route.submitted, gen);
}

const here = (href: string) => new URL(href, document.baseURI);

/** The Service list from the store as it is now (new services appear without a reload). */
async function refreshServices(): Promise<void> {
  const select = document.getElementById('service') as HTMLSelectElement | null;
  if (!select) return;
  const services = await api<string[]>('services').catch(() => undefined);
  if (!services) return;
  select.innerHTML = renderServiceOptions(services, select.value);
  const count = document.getElementById('service-count');
  if (count) count.textContent = `(${services.length})`;
}

async function followService(service: string): Promise<void> {
  const select = document.getElementById('operation') as HTMLSelectElement | null;
  if (!select) return;
  const ops = service ? await api<string[]>(`services/${enc(service)}/operations`).catch(() => [] as string[]) : [];
  select.innerHTML = renderOperationOptions(ops, '');
  const count = document.getElementById('operation-count');
  if (count) count.textContent = `(${ops.length})`;
}

/** Hides the rows under folded spans (a folded span itself stays). */
function applyFolds(): void {
  let hideBelow = -1;
  for (const row of document.querySelectorAll<HTMLElement>('#timeline .span-row')) {
    const depth = Number(row.dataset.depth);
    const hidden = hideBelow >= 0 && depth > hideBelow;
    row.classList.toggle('hidden-by-fold', hidden);
    if (hidden) continue;
    hideBelow = row.classList.contains('folded') ? depth : -1;
  }
}

function revealSpan(id: string): void {
  const row = document.getElementById(`span-${id}`) as HTMLDetailsElement | null;
  if (!row) return;
  // Unfold every ancestor: walk back up through shallower rows.
  let depth = Number(row.dataset.depth);
  for (let el = row.previousElementSibling as HTMLElement | null; el && depth > 0; el = el.previousElementSibling as HTMLElement | null) {
    const d = Number(el.dataset.depth);
    if (d < depth) {
      el.classList.remove('folded');
      depth = d;
    }
  }
  applyFolds();
  row.open = true;
  row.scrollIntoView({ block: 'center' });
}

document.documentElement.classList.add('js');

document.addEventListener('submit', (e) => {
  const form = e.target as HTMLFormElement;
  if (form.id === 'search-form') {
    e.preventDefault();
    const f = formOf(form);
    if (!f.service) return;
    const gen = ++generation;
    history.pushState(null, '', here(searchHref(f)).href);
    void runSearch(f, gen);
  } else if (form.classList.contains('lookup')) {
    e.preventDefault();
    const id = String(new FormData(form).get('id') ?? '').trim();
    if (id) void show(here(traceHref(id)), true);
  }
});

document.addEventListener('change', (e) => {
  const el = e.target as HTMLElement;
  if (el.id === 'service') void followService((el as HTMLSelectElement).value);
});

function fold(target: HTMLElement): void {
  const row = target.closest<HTMLElement>('.span-row');
  if (!row) return;
  row.classList.toggle('folded');
  applyFolds();
}

document.addEventListener('click', (e) => {
  const el = e.target as Element;
  const action = el.closest<HTMLElement>('[data-action]');
  if (action) {
    switch (action.dataset.action) {
      case 'fold':
        e.preventDefault();
        e.stopPropagation();
        fold(action);
        return;
      case 'expand-all':
      case 'collapse-all':
        for (const d of document.querySelectorAll<HTMLDetailsElement>('#timeline .span-row')) d.open = action.dataset.action === 'expand-all';
        return;
      case 'show-span':
        e.preventDefault();
        revealSpan((action.getAttribute('href') ?? '').replace(/^#span-/, ''));
        return;
      default:
        break;
    }
  }
  const link = el.closest('a[data-nav]');
  const me = e as MouseEvent;
  if (!link || me.button !== 0 || me.metaKey || me.ctrlKey || me.shiftKey || me.altKey) return;
  e.preventDefault();
  void show(here(link.getAttribute('href') ?? 'search'), true);
});

document.addEventListener('keydown', (e) => {
  const el = e.target as HTMLElement;
  if ((e.key === 'Enter' || e.key === ' ') && el.dataset?.action === 'fold') {
    e.preventDefault();
    fold(el);
  }
});

window.addEventListener('popstate', () => {
  void show(new URL(location.href), false);
});

if (document.body.dataset.view === 'search') void refreshServices();
