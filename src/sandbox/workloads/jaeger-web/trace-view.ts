/**
 * The trace page as HTML, from the project's trace model (src/traces/): a
 * header (Trace Start, Duration, Services, Depth, Total Spans), then the
 * timeline: one row per span in tree order with its service, kind and
 * operation, a bar at its place in the trace, and, folded under the row, the
 * span's details (tags, process, logs, references, and for a client/server
 * pair both halves' durations). Rows are `<details>` elements, so details
 * open without JavaScript too. Pure.
 */
import type { KeyValue, SpanNode, TraceModel } from '../../../traces/model-types.js';
import { formatDuration } from '../../../traces/trace-model.js';
import { type ColorOf, esc, fullTime, plural, serviceColors } from './display.js';

export interface TraceViewOptions {
  /** Where the back arrow goes (the search that found the trace). */
  backHref: string;
  /** The store's service list, for the services' colours (the same as on the search page). */
  services?: readonly string[];
}

const TICKS = 5;

export function renderTraceView(model: TraceModel, opts: TraceViewOptions): string {
  const color = serviceColors(opts.services ?? model.services.map((s) => s.name));
  const spanCount = model.order.length;
  const depth = spanCount ? (model.maxDepth ?? 0) + 1 : 0;
  const title = `${model.rootService}: ${model.rootOperation}`;
  const facts: Array<[string, string]> = [
    ['Trace Start', fullTime(model.start)],
    ['Duration', formatDuration(model.duration)],
    ['Services', String(model.services.length)],
    ['Depth', String(depth)],
    ['Total Spans', String(spanCount)],
  ];
  const ticks = Array.from({ length: TICKS }, (_, i) => {
    const at = (i / (TICKS - 1)) * 100;
    return `<span class="tick" style="left:${at}%">${esc(formatDuration((model.duration * i) / (TICKS - 1)))}</span>`;
  }).join('');
  const warnings = model.warnings.length
    ? `<ul class="warnings">${model.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`
    : '';
  return [
    `<article class="trace-page" data-trace-id="${esc(model.traceID)}">`,
    '<header class="trace-head">',
    `<a class="back" href="${esc(opts.backHref)}" data-nav aria-label="Back to the search" title="Back to the search">←</a>`,
    `<h1 id="trace-title"><span class="name">${esc(title)}</span> <span class="short-id">${esc(model.traceID.slice(0, 7))}</span></h1>`,
    `<a class="trace-json" href="api/traces/${esc(encodeURIComponent(model.traceID))}">Trace JSON</a>`,
    '</header>',
    `<dl class="trace-facts">${facts.map(([k, v]) => `<div><dt>${k}</dt><dd>${esc(v)}</dd></div>`).join('')}</dl>`,
    `<ul class="legend">${model.services.map((s) => `<li style="--svc:${color(s.name)}">${esc(s.name)} (${s.spans})</li>`).join('')}</ul>`,
    warnings,
    '<div class="timeline-tools js-only"><button type="button" data-action="expand-all">Open all details</button><button type="button" data-action="collapse-all">Close all details</button></div>',
    '<div class="timeline" id="timeline">',
    `<div class="tl-head"><div class="tl-name">Service &amp; Operation</div><div class="tl-ticks">${ticks}</div></div>`,
    ...model.order.map((id) => renderSpanRow(model, model.spans.get(id)!, color)),
    '</div>',
    '</article>',
  ].join('\n');
}

function pct(part: number, whole: number): number {
  return whole > 0 ? (part / whole) * 100 : 0;
}

function renderSpanRow(model: TraceModel, s: SpanNode, colorOf: ColorOf): string {
  const color = colorOf(s.service);
  const left = pct(s.offset, model.duration);
  const width = Math.max(0.2, pct(s.duration, model.duration));
  // The duration goes right of the bar; for a bar that ends near the right edge, left of it, or inside it when it also starts near 0.
  const labelStyle =
    left + width <= 80 ? `left:${(left + width).toFixed(3)}%` : left >= 12 ? `right:${(100 - left).toFixed(3)}%` : `right:${(100 - left - width).toFixed(3)}%`;
  const pair = s.pairedWith ? model.spans.get(s.pairedWith) : undefined;
  const classes = ['span-row', s.error ? 'erred' : '', pair ? `paired paired-${s.kind}` : '', s.children.length ? 'has-children' : ''].filter(Boolean).join(' ');
  const kind = s.kind === 'client' || s.kind === 'server' ? `<span class="kind kind-${s.kind}">${s.kind}</span>` : '';
  const pairMark = pair
    ? `<span class="pair-mark" title="${esc(`${s.kind === 'client' ? 'client' : 'server'} half of a call ${s.kind === 'client' ? 'to' : 'from'} ${pair.service}`)}">⇄</span>`
    : '';
  return [
    `<details class="${classes}" id="span-${esc(s.spanID)}" data-span-id="${esc(s.spanID)}" data-depth="${s.depth}" style="--depth:${s.depth};--svc:${color}">`,
    '<summary>',
    '<span class="tl-name">',
    s.children.length ? `<span class="toggle js-only" role="button" tabindex="0" title="Fold the spans below" data-action="fold">▾</span>` : '<span class="toggle-space"></span>',
    `<span class="svc">${esc(s.service)}</span>${s.error ? '<span class="err-mark" title="error">!</span>' : ''}`,
    kind,
    pairMark,
    `<span class="op" title="${esc(s.operation)}">${esc(s.operation)}</span>`,
    '</span>',
    '<span class="tl-bar">',
    `<span class="bar" style="left:${left.toFixed(3)}%;width:${width.toFixed(3)}%"></span>`,
    `<span class="bar-label" style="${labelStyle}">${esc(formatDuration(s.duration))}</span>`,
    '</span>',
    '</summary>',
    renderSpanDetail(model, s, pair),
    '</details>',
  ].join('');
}

function kvTable(rows: readonly KeyValue[]): string {
  if (rows.length === 0) return '<p class="none">none</p>';
  return `<table class="kv"><tbody>${rows
    .map((t) => `<tr><th scope="row">${esc(t.key)}</th><td>${esc(String(t.value))}</td></tr>`)
    .join('')}</tbody></table>`;
}

function renderSpanDetail(model: TraceModel, s: SpanNode, pair: SpanNode | undefined): string {
  const facts = [
    ['Service', s.service],
    ['Duration', formatDuration(s.duration)],
    ['Start Time', formatDuration(s.offset)],
  ];
  if (s.kind !== 'unknown') facts.push(['Kind', s.kind]);
  const parts = [
    '<div class="span-detail">',
    `<h3>${esc(s.operation)}</h3>`,
    `<dl class="span-facts">${facts.map(([k, v]) => `<div><dt>${k}:</dt><dd>${esc(v)}</dd></div>`).join('')}</dl>`,
  ];
  if (pair) {
    const client = s.kind === 'client' ? s : pair;
    const server = s.kind === 'client' ? pair : s;
    parts.push(
      `<p class="pair-note">⇄ Client/server pair: <b>${esc(client.service)}</b> client ${esc(formatDuration(client.duration))} → <b>${esc(server.service)}</b> server ${esc(formatDuration(server.duration))}; ${esc(formatDuration(client.duration - server.duration))} between the two sidecars. <a href="#span-${esc(pair.spanID)}" data-action="show-span">Show the ${pair === server ? 'server' : 'client'} span</a></p>`,
    );
  }
  if (s.warnings?.length) parts.push(`<ul class="warnings">${s.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`);
  parts.push(`<details class="section" open><summary>Tags (${s.tags.length})</summary>${kvTable(s.tags)}</details>`);
  parts.push(`<details class="section" open><summary>Process (${s.processTags.length})</summary>${kvTable(s.processTags)}</details>`);
  if (s.logs.length) {
    const logs = s.logs
      .map((l) => `<div class="log"><div class="log-at">${esc(formatDuration(l.timestamp - model.start))}</div>${kvTable(l.fields)}</div>`)
      .join('');
    parts.push(`<details class="section" open><summary>Logs (${s.logs.length})</summary><p class="note">Log times count from the start of the whole trace.</p>${logs}</details>`);
  }
  if (s.references.length) {
    const refs = s.references
      .map((r) => {
        const here = model.spans.has(r.spanID);
        const target = here ? `<a href="#span-${esc(r.spanID)}" data-action="show-span">${esc(r.spanID)}</a>` : `${esc(r.spanID)} (not in this trace)`;
        return `<li>${esc(r.refType)} ${target}</li>`;
      })
      .join('');
    parts.push(`<details class="section"><summary>${plural(s.references.length, 'Reference')}</summary><ul class="refs">${refs}</ul></details>`);
  }
  parts.push(`<div class="span-id">SpanID: <code>${esc(s.spanID)}</code></div>`, '</div>');
  return parts.join('');
}

/** The page for a trace id the store does not hold. */
export function renderTraceMissing(traceID: string, backHref: string): string {
  return [
    '<article class="trace-page missing">',
    `<header class="trace-head"><a class="back" href="${esc(backHref)}" data-nav aria-label="Back to the search">←</a><h1>Trace not found</h1></header>`,
    `<div class="error-box" role="alert">HTTP Error: trace not found: no trace with the ID <code>${esc(traceID)}</code> is in this sandbox's trace store, which keeps only the newest traces.</div>`,
    '</article>',
  ].join('\n');
}
