/** The page's style sheet (served as static/kubetutor-jaeger.css). System fonts only. */
export const STYLES = `
:root { --ink: #1b1b1b; --muted: #666; --line: #ddd; --soft: #f5f5f5; --accent: #11939a; --bad: #c62828; --name-w: 36%; }
* { box-sizing: border-box; }
html { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); }
body { margin: 0; min-height: 100vh; display: flex; flex-direction: column; background: #fff; }
a { color: #1565c0; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.92em; }
.js-only { display: none !important; }
html.js .js-only { display: revert !important; }
.topnav { display: flex; align-items: center; gap: 16px; background: #151515; color: #eee; padding: 0 16px; height: 46px; }
.topnav a { color: #ddd; text-decoration: none; }
.topnav .brand { font-weight: 600; color: #fff; font-size: 15px; }
.topnav nav a { padding: 4px 8px; border-radius: 3px; background: #2d2d2d; }
.lookup input { width: 260px; padding: 5px 8px; border: 1px solid #444; border-radius: 3px; background: #262626; color: #eee; }
main { flex: 1; padding: 16px; }
.foot { border-top: 1px solid var(--line); color: var(--muted); padding: 10px 16px; font-size: 12.5px; background: var(--soft); }
.search-page { display: grid; grid-template-columns: minmax(230px, 25%) 1fr; gap: 20px; align-items: start; }
.search-side { background: var(--soft); border: 1px solid var(--line); border-radius: 4px; padding: 12px 14px; }
.search-form h2 { margin: 0 0 10px; font-size: 17px; }
.search-form label { display: block; font-weight: 600; margin: 10px 0 4px; }
.search-form .count { color: var(--muted); font-weight: 400; }
.search-form select, .search-form input { width: 100%; padding: 5px 6px; border: 1px solid #bbb; border-radius: 3px; font: inherit; background: #fff; }
.pair-fields { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; }
#find-traces { margin-top: 14px; width: 100%; padding: 8px; font: inherit; font-weight: 600; color: #fff; background: var(--accent); border: 0; border-radius: 3px; cursor: pointer; }
.empty { color: var(--muted); padding: 40px 0; text-align: center; }
.error-box { border: 1px solid #e57373; background: #fdecea; color: #7f1d1d; padding: 10px 12px; border-radius: 4px; }
.scatter { margin: 0 0 12px; border: 1px solid var(--line); border-radius: 4px; padding: 4px; }
.scatter svg { width: 100%; height: 150px; display: block; }
.scatter line { stroke: #bbb; }
.scatter text { font-size: 10px; fill: var(--muted); }
.scatter circle { fill: rgba(17, 147, 154, 0.55); stroke: #0b6a6f; }
.scatter circle.erred { fill: rgba(198, 40, 40, 0.55); stroke: var(--bad); }
.results-head { display: flex; align-items: baseline; justify-content: space-between; border-bottom: 1px solid var(--line); margin-bottom: 8px; }
.results-head h2 { font-size: 17px; margin: 4px 0 8px; }
.sort-note { color: var(--muted); }
.trace-list { list-style: none; margin: 0; padding: 0; }
.trace-item { border: 1px solid var(--line); border-radius: 4px; margin-bottom: 10px; overflow: hidden; }
.trace-title { position: relative; display: flex; align-items: center; gap: 8px; padding: 7px 10px; background: #fafafa; color: var(--ink); text-decoration: none; border-bottom: 1px solid var(--line); }
.trace-title:hover .name { text-decoration: underline; }
.trace-title .fill { position: absolute; left: 0; top: 0; bottom: 0; background: #e3eef0; z-index: 0; }
.trace-title > :not(.fill) { position: relative; z-index: 1; }
.trace-title .name { font-weight: 600; overflow-wrap: anywhere; }
.short-id { color: var(--muted); font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; }
.trace-title .duration { margin-left: auto; font-weight: 600; white-space: nowrap; }
.trace-meta { display: grid; grid-template-columns: auto 1fr auto; gap: 10px; align-items: start; padding: 8px 10px; }
.badge { display: inline-block; padding: 1px 7px; border-radius: 3px; background: #eee; margin-right: 4px; white-space: nowrap; }
.badge.errors { background: #fdecea; color: var(--bad); font-weight: 600; }
.services, .legend { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 10px; }
.services li, .legend li { border-left: 4px solid var(--svc); padding-left: 5px; }
.when { text-align: right; white-space: nowrap; }
.when .ago { display: block; color: var(--muted); font-size: 12px; }
.trace-head { display: flex; align-items: center; gap: 12px; }
.trace-head h1 { font-size: 19px; margin: 0; overflow-wrap: anywhere; }
.trace-head .back { font-size: 20px; text-decoration: none; padding: 0 6px; border: 1px solid var(--line); border-radius: 3px; }
.trace-json { margin-left: auto; white-space: nowrap; }
.trace-facts { display: flex; flex-wrap: wrap; gap: 6px 26px; margin: 10px 0; }
.trace-facts div { display: flex; gap: 6px; }
.trace-facts dt { font-weight: 600; }
.trace-facts dd { margin: 0; }
.legend { margin: 4px 0 10px; }
.warnings { color: #8a5a00; background: #fff8e1; border: 1px solid #ffe082; padding: 6px 10px 6px 26px; border-radius: 4px; }
.timeline-tools { margin: 0 0 6px; }
.timeline-tools button { font: inherit; padding: 3px 8px; margin-right: 6px; border: 1px solid #bbb; background: #fff; border-radius: 3px; cursor: pointer; }
.timeline { border: 1px solid var(--line); border-radius: 4px; }
.tl-head, .span-row > summary { display: grid; grid-template-columns: var(--name-w) 1fr; }
.tl-head { background: var(--soft); border-bottom: 1px solid var(--line); font-weight: 600; height: 28px; align-items: center; }
.tl-head .tl-name { padding: 0 8px; }
.tl-ticks { position: relative; height: 100%; margin: 0 56px 0 4px; }
.tick { position: absolute; top: 6px; transform: translateX(-50%); font-weight: 400; font-size: 12px; color: var(--muted); white-space: nowrap; }
.tick:first-child { transform: none; }
.tick:last-child { transform: translateX(-100%); }
.span-row { border-bottom: 1px solid #eee; }
.span-row > summary { list-style: none; cursor: pointer; min-height: 26px; align-items: center; }
.span-row > summary::-webkit-details-marker { display: none; }
.span-row > summary:hover, .span-row[open] > summary { background: #f0f7f8; }
.span-row .tl-name { display: flex; flex-wrap: wrap; align-items: center; gap: 0 5px; padding: 3px 6px 3px calc(var(--depth) * 14px + 4px); border-right: 1px solid var(--line); min-width: 0; align-self: stretch; }
.span-row .svc { font-weight: 600; border-left: 4px solid var(--svc); padding-left: 4px; }
.span-row .op { flex-basis: 100%; padding-left: 17px; color: var(--muted); font-size: 12.5px; overflow-wrap: anywhere; line-height: 1.25; }
.toggle, .toggle-space { width: 12px; flex: none; color: var(--muted); }
.toggle { cursor: pointer; }
.span-row.folded .toggle { transform: rotate(-90deg); }
.span-row.hidden-by-fold { display: none; }
.err-mark { color: #fff; background: var(--bad); border-radius: 50%; width: 15px; height: 15px; font-size: 11px; text-align: center; line-height: 15px; font-weight: 700; flex: none; }
.kind { font-size: 11px; padding: 0 4px; border-radius: 3px; border: 1px solid; flex: none; }
.kind-client { color: #1e5aa8; border-color: #90b4e0; }
.kind-server { color: #2e7d32; border-color: #9ccc9f; }
.pair-mark { color: #6a3fb5; font-weight: 700; flex: none; }
.tl-bar { position: relative; height: 24px; margin: 0 56px 0 4px; }
.bar { position: absolute; top: 6px; height: 12px; min-width: 2px; border-radius: 2px; background: var(--svc); }
.paired-client .bar { background: repeating-linear-gradient(135deg, var(--svc) 0 5px, transparent 5px 8px); outline: 1px solid var(--svc); }
.erred .bar { box-shadow: 0 0 0 2px var(--bad); }
.bar-label { position: absolute; top: 4px; padding: 0 4px; font-size: 11.5px; line-height: 16px; color: #444; white-space: nowrap; background: rgba(255, 255, 255, 0.85); border-radius: 3px; }
.span-detail { margin: 0 8px 10px calc(var(--depth) * 14px + 8px); padding: 8px 12px; background: #fbfbfb; border: 1px solid var(--line); border-left: 4px solid var(--svc); border-radius: 3px; cursor: auto; }
.span-detail h3 { margin: 0 0 6px; font-size: 15px; overflow-wrap: anywhere; }
.span-facts { display: flex; flex-wrap: wrap; gap: 4px 20px; margin: 0 0 6px; }
.span-facts div { display: flex; gap: 4px; }
.span-facts dt { color: var(--muted); }
.span-facts dd { margin: 0; font-weight: 600; }
.pair-note { margin: 4px 0 8px; padding: 5px 8px; background: #f3effb; border-radius: 3px; }
.section { margin: 6px 0; }
.section > summary { cursor: pointer; font-weight: 600; }
table.kv { border-collapse: collapse; margin: 4px 0 4px 14px; font-size: 12.5px; }
table.kv th, table.kv td { text-align: left; vertical-align: top; padding: 2px 10px 2px 0; border-bottom: 1px solid #eee; }
table.kv th { font-weight: 400; color: var(--muted); white-space: nowrap; }
table.kv td { font-family: ui-monospace, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
.log { margin: 4px 0 4px 14px; }
.log-at { font-weight: 600; }
.note, .none { color: var(--muted); margin: 2px 0 2px 14px; }
.refs { margin: 2px 0; }
.span-id { color: var(--muted); text-align: right; font-size: 12px; }
@media (max-width: 760px) { .search-page { grid-template-columns: 1fr; } :root { --name-w: 48%; } .lookup input { width: 150px; } }
`;
