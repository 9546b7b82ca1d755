/**
 * The search page as HTML: Jaeger UI's "Find Traces" form on the left, the
 * results on the right (a scatter plot of start time against duration, then
 * one item per trace, most recent first). Pure: data in, markup out; the
 * server and the browser script both call it.
 */
import type { TraceSummary } from '../../../traces/model-types.js';
import { formatDuration } from '../../../traces/trace-model.js';
import { type ColorOf, clockTime, dayLabel, esc, plural, serviceColor, serviceColors, timeAgo } from './display.js';
import { LOOKBACKS, MAX_LIMIT, type SearchForm, traceHref } from './ui-query.js';

export interface SearchResults {
  traces: TraceSummary[];
  /** The query API's error message, shown as Jaeger UI shows it. */
  error?: string;
}

export interface SearchViewData {
  form: SearchForm;
  services: string[];
  /** Operations of the selected service. */
  operations: string[];
  /** Absent until a search ran. */
  results?: SearchResults;
  nowMicros: number;
}

export function renderSearchView(d: SearchViewData): string {
  return [
    '<div class="search-page">',
    `<aside class="search-side">${renderSearchForm(d.form, d.services, d.operations)}</aside>`,
    `<section class="search-results" id="results" aria-live="polite">${d.results ? renderResults(d.results, d.nowMicros, serviceColors(d.services)) : renderNoSearch(d.services)}</section>`,
    '</div>',
  ].join('\n');
}

function renderNoSearch(services: string[]): string {
  const hint = services.length
    ? 'Pick a service and press <b>Find Traces</b>.'
    : 'No traces yet: send some requests through the ingress gateway (for example <code>kubetutor traffic</code>), then reload.';
  return `<div class="empty">${hint}</div>`;
}

export function renderServiceOptions(services: string[], selected: string): string {
  const list = selected && !services.includes(selected) ? [selected, ...services] : services;
  return [
    `<option value=""${selected ? '' : ' selected'}>Select A Service</option>`,
    ...list.map((s) => `<option value="${esc(s)}"${s === selected ? ' selected' : ''}>${esc(s)}</option>`),
  ].join('');
}

export function renderOperationOptions(operations: string[], selected: string): string {
  const list = selected && !operations.includes(selected) ? [selected, ...operations] : operations;
  return [
    `<option value=""${selected ? '' : ' selected'}>all</option>`,
    ...list.map((o) => `<option value="${esc(o)}"${o === selected ? ' selected' : ''}>${esc(o)}</option>`),
  ].join('');
}

export function renderSearchForm(form: SearchForm, services: string[], operations: string[]): string {
  const lookbacks = LOOKBACKS.map(([v, label]) => `<option value="${v}"${v === form.lookback ? ' selected' : ''}>${label}</option>`).join('');
  return [
    '<form id="search-form" class="search-form" action="search" method="get">',
    '<h2>Find Traces</h2>',
    `<label for="service">Service <span class="count" id="service-count">(${services.length})</span></label>`,
    `<select id="service" name="service" required>${renderServiceOptions(services, form.service)}</select>`,
    `<label for="operation">Operation <span class="count" id="operation-count">(${operations.length})</span></label>`,
    `<select id="operation" name="operation">${renderOperationOptions(operations, form.operation)}</select>`,
    '<label for="tags">Tags</label>',
    `<input id="tags" name="tags" type="text" placeholder="http.status_code=200 error=true" value="${esc(form.tags)}" autocomplete="off">`,
    '<label for="lookback">Lookback</label>',
    `<select id="lookback" name="lookback">${lookbacks}</select>`,
    '<div class="pair-fields">',
    `<span><label for="minDuration">Min Duration</label><input id="minDuration" name="minDuration" type="text" placeholder="e.g. 100ms" value="${esc(form.minDuration)}"></span>`,
    `<span><label for="maxDuration">Max Duration</label><input id="maxDuration" name="maxDuration" type="text" placeholder="e.g. 1.2s" value="${esc(form.maxDuration)}"></span>`,
    '</div>',
    '<label for="limit">Limit Results</label>',
    `<input id="limit" name="limit" type="number" min="1" max="${MAX_LIMIT}" value="${form.limit}">`,
    '<button type="submit" id="find-traces">Find Traces</button>',
    '</form>',
  ].join('\n');
}

/** The right column after a search: scatter plot, count, and the trace items. */
export function renderResults(results: SearchResults, nowMicros: number, color: ColorOf = serviceColor): string {
  if (results.error) return `<div class="error-box" role="alert">HTTP Error: ${esc(results.error)}</div>`;
  const traces = results.traces;
  if (traces.length === 0) return '<div class="empty">No trace results. Try another query.</div>';
  const longest = Math.max(1, ...traces.map((t) => t.duration));
  return [
    renderScatter(traces),
    `<div class="results-head"><h2 id="trace-count">${plural(traces.length, 'Trace')}</h2><span class="sort-note">Most recent first</span></div>`,
    '<ol class="trace-list">',
    ...traces.map((t) => renderResultItem(t, longest, nowMicros, color)),
    '</ol>',
  ].join('\n');
}

function renderResultItem(t: TraceSummary, longest: number, nowMicros: number, color: ColorOf): string {
  const name = `${t.rootService}: ${t.rootOperation}`;
  const fill = Math.max(0.5, (t.duration / longest) * 100).toFixed(2);
  const services = t.services
    .map((s) => `<li style="--svc:${color(s.name)}">${esc(s.name)} (${s.spans})</li>`)
    .join('');
  return [
    `<li class="trace-item" data-trace-id="${esc(t.traceID)}">`,
    `<a class="trace-title" href="${esc(traceHref(t.traceID))}" data-nav>`,
    `<span class="fill" style="width:${fill}%"></span>`,
    `<span class="name">${esc(name)}</span> <span class="short-id">${esc(t.traceID.slice(0, 7))}</span>`,
    `<span class="duration">${esc(formatDuration(t.duration))}</span>`,
    '</a>',
    '<div class="trace-meta">',
    '<div class="counts">',
    `<span class="badge spans">${plural(t.spanCount, 'Span')}</span>`,
    t.errorCount ? `<span class="badge errors">${plural(t.errorCount, 'Error')}</span>` : '',
    '</div>',
    `<ul class="services">${services}</ul>`,
    `<div class="when"><time>${esc(dayLabel(t.start, nowMicros))} | ${esc(clockTime(t.start))}</time><span class="ago">${esc(timeAgo(t.start, nowMicros))}</span></div>`,
    '</div>',
    '</li>',
  ].join('');
}

/** Start time (x) against duration (y), a dot per trace sized by its spans, each a link. */
function renderScatter(traces: TraceSummary[]): string {
  const W = 600;
  const H = 150;
  const left = 64;
  const right = 16;
  const top = 12;
  const bottom = 24;
  const starts = traces.map((t) => t.start);
  const t0 = Math.min(...starts);
  const span = Math.max(1, Math.max(...starts) - t0);
  const dmax = Math.max(1, ...traces.map((t) => t.duration));
  // Within a minute, the axis shows milliseconds.
  const at = (us: number) => (span < 60_000_000 ? `${clockTime(us)}.${String(Math.floor(us / 1000) % 1000).padStart(3, '0')}` : clockTime(us));
  const dots = traces
    .map((t) => {
      const x = traces.length === 1 ? (left + W - right) / 2 : left + 10 + ((t.start - t0) / span) * (W - left - right - 20);
      const y = H - bottom - 6 - (t.duration / dmax) * (H - top - bottom - 12);
      const r = Math.min(9, 3 + Math.sqrt(t.spanCount));
      const label = `${t.rootService}: ${t.rootOperation} (${formatDuration(t.duration)})`;
      return `<a href="${esc(traceHref(t.traceID))}" data-nav><circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${r.toFixed(1)}"${t.errorCount ? ' class="erred"' : ''}><title>${esc(label)}</title></circle></a>`;
    })
    .join('');
  return [
    `<figure class="scatter"><svg viewBox="0 0 ${W} ${H}" role="img" aria-label="Duration against start time">`,
    `<line x1="${left}" y1="${H - bottom}" x2="${W - right}" y2="${H - bottom}"/><line x1="${left}" y1="${top}" x2="${left}" y2="${H - bottom}"/>`,
    `<text x="${left}" y="${H - 8}">${esc(at(t0))}</text><text x="${W - right}" y="${H - 8}" text-anchor="end">${esc(at(t0 + span))}</text>`,
    `<text x="${left - 6}" y="${top + 8}" text-anchor="end">${esc(formatDuration(dmax))}</text><text x="${left - 6}" y="${H - bottom}" text-anchor="end">0</text>`,
    dots,
    '</svg></figure>',
  ].join('');
}
