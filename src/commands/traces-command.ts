/**
 * `kubetutor traces [--jaeger URL | --file F] [--service S] [--trace ID] [--plain | --json]`:
 * the trace viewer outside a lesson, against any Jaeger, or a saved API response.
 * Also `--compare A B` (two traces aligned), `--stats` (the statistics table)
 * and `--json --format otlp` (the trace as OTLP JSON, for other tools).
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse } from './args.js';
import { userError } from '../user-error.js';
import type { JaegerTrace } from '../traces/jaeger-model.js';
import type { TraceSummary } from '../traces/model-types.js';
import { recordOpened as record } from '../traces/opened-marker.js';
import { BIG_TRACE_TEXT, releaseMemory } from '../traces/release-memory.js';
import { displayText, inertJson, inertStrings } from '../text/display-text.js';
import { displayModel } from '../traces/display-model.js';
import { t } from '../i18n/index.js';

const recordOpened = (t: JaegerTrace) => record(process.env.KUBETUTOR_SESSION_DIR, t);

export const DEFAULT_JAEGER = 'http://localhost:15032';

export async function tracesCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    jaeger: { type: 'string' },
    file: { type: 'string' },
    service: { type: 'string' },
    trace: { type: 'string' },
    limit: { type: 'string', default: '20' },
    plain: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    compare: { type: 'string' },
    stats: { type: 'boolean', default: false },
    'group-by': { type: 'string', default: 'service' },
    sort: { type: 'string', default: 'total' },
    format: { type: 'string', default: 'jaeger' },
  });
  const compareB = values.compare !== undefined ? positionals[0] : undefined;
  if (values.compare !== undefined && compareB === undefined) throw userError(t('cmd.traces.compareTwo'));
  if (positionals.length > (values.compare !== undefined ? 1 : 0)) throw userError(t('cli.unexpectedArgument', { arg: positionals[values.compare !== undefined ? 1 : 0] }));
  if (values.format !== 'jaeger' && values.format !== 'otlp') throw userError(`--format must be jaeger or otlp, not "${values.format}"`);
  if (values.format === 'otlp' && !values.json) throw userError(t('cmd.traces.otlpJson'));
  if (values.format === 'otlp' && (values.compare !== undefined || values.stats)) throw userError(t('cmd.traces.otlpNotWith'));
  if (values.compare !== undefined && values.stats) throw userError(t('cmd.traces.compareOrStats'));
  const { parseGrouping, STATS_COLUMN_IDS } = await import('../traces/trace-stats.js');
  const grouping = parseGrouping(values['group-by']!);
  if (!grouping) throw userError(`--group-by must be service, operation or tag:KEY, not "${values['group-by']}"`);
  const [sortBy, sortDir = 'desc'] = values.sort!.split(':');
  if (!(STATS_COLUMN_IDS as readonly string[]).includes(sortBy) || !['asc', 'desc'].includes(sortDir)) {
    throw userError(`--sort must be COLUMN or COLUMN:asc, a column being one of ${STATS_COLUMN_IDS.join(', ')}; not "${values.sort}"`);
  }
  if (values.jaeger && values.file) throw userError(t('cmd.traces.jaegerOrFile'));
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw userError(`--limit must be a positive number, not "${values.limit}"`);
  const { JaegerClient, JaegerError, parseJaegerFile } = await import('../traces/jaeger-client.js');
  const { buildTraceModel, summarizeTrace } = await import('../traces/trace-model.js');

  // Where the traces come from: a file, or a Jaeger query service (not needed to compare two files).
  let summaries: TraceSummary[] = [];
  let load: (id: string) => Promise<JaegerTrace> = async (id) => {
    throw userError(t('cmd.traces.noTraceWhere', { id }));
  };
  let initialCompare: [string, string] | undefined;
  const isFileRef = (ref: string) => existsSync(ref) && !/^[0-9a-f]{1,32}$/i.test(ref);
  const needSource = !(values.compare !== undefined && isFileRef(values.compare) && isFileRef(compareB!) && !values.file && !values.jaeger);
  try {
    if (!needSource) {
      // Both sides are files: nothing to list or look up.
    } else if (values.file) {
      let text: string;
      try {
        text = readFileSync(values.file, 'utf8');
      } catch (e) {
        throw userError(t('cmd.traces.cannotRead', { file: values.file, why: (e as NodeJS.ErrnoException).code === 'ENOENT' ? t('file.noSuch') : (e as Error).message }));
      }
      const traces = parseJaegerFile(text);
      if (text.length > BIG_TRACE_TEXT) {
        text = '';
        releaseMemory();
      }
      const byId = new Map(traces.map((t) => [t.traceID, t]));
      summaries = traces.map(summarizeTrace);
      load = async (id) => byId.get(id) ?? Promise.reject(userError(t('cmd.traces.noTraceIn', { id, file: values.file! })));
    } else {
      const url = values.jaeger ?? DEFAULT_JAEGER;
      const client = await JaegerClient.connect(url);
      if (values.trace) {
        const t = await client.trace(values.trace);
        summaries = [summarizeTrace(t)];
        load = async () => t;
      } else {
        let service = values.service;
        const services = await client.services();
        if (!service || !services.includes(service)) {
          // Istio 1.1+ names services `app.namespace`; accept the short name the lessons use.
          const match = services.find((s) => s === service || (service && s.startsWith(`${service}.`))) ?? (service ? undefined : services.find((s) => /^productpage(\.|$)/.test(s)) ?? services[0]);
          if (!match) throw userError(service ? t('cmd.traces.noService', { url, service, services: services.join(', ') || t('check.common.none') }) : t('cmd.traces.noServices', { url }));
          service = match;
        }
        const traces = await client.search({ service, limit });
        const byId = new Map(traces.map((t) => [t.traceID, t]));
        summaries = traces.map(summarizeTrace);
        load = async (id) => byId.get(id) ?? client.trace(id);
      }
    }
  } catch (e) {
    if (e instanceof JaegerError) throw userError(e.message);
    throw e;
  }
  if (values.trace && values.file) {
    summaries = summaries.filter((s) => s.traceID.replace(/^0+/, '') === values.trace!.replace(/^0+/, ''));
    if (!summaries.length) throw userError(t('cmd.traces.noTraceIn', { id: values.trace!, file: values.file! }));
  }

  const plain = values.plain || values.json || !process.stdout.isTTY || !process.stdin.isTTY;
  if (values.compare !== undefined) {
    // A and B: a file holding a trace, or a trace id from the source (--jaeger, or --file).
    const side = async (ref: string): Promise<JaegerTrace> => {
      if (isFileRef(ref)) {
        let traces: JaegerTrace[];
        try {
          traces = parseJaegerFile(readFileSync(ref, 'utf8'));
        } catch (e) {
          throw userError(`${ref}: ${(e as Error).message}`);
        }
        if (!traces.length) throw userError(t('cmd.traces.holdsNone', { ref }));
        if (traces.length > 1) throw userError(t('cmd.traces.holdsMany', { ref, count: traces.length }));
        return traces[0];
      }
      try {
        return await load(ref);
      } catch (e) {
        if (e instanceof JaegerError) throw userError(e.message);
        throw e;
      }
    };
    const [ta, tb] = [await side(values.compare), await side(compareB!)];
    const { compareTraces, comparisonToJson, comparisonToText } = await import('../traces/trace-compare.js');
    if (plain) {
      // --json is the exact data (escaped, so inert); the tree is display text.
      const out = values.json
        ? inertJson(comparisonToJson(compareTraces(buildTraceModel(ta), buildTraceModel(tb))), 2)
        : comparisonToText(compareTraces(buildTraceModel(inertStrings(ta)), buildTraceModel(inertStrings(tb)))).map((l) => displayText(l)).join('\n');
      process.stdout.write(out + '\n');
      return 0;
    }
    summaries = [summarizeTrace(ta), summarizeTrace(tb)];
    const both = new Map([ta, tb].map((t) => [t.traceID, t]));
    const before = load;
    load = async (id) => both.get(id) ?? before(id);
    initialCompare = [ta.traceID, tb.traceID];
  }
  if (plain) {
    if (!summaries.length) throw userError(t('cmd.traces.noneFound'));
    // The most recent trace (or the one asked for), as text or JSON.
    const latest = [...summaries].sort((a, b) => b.start - a.start)[0];
    const trace = await load(values.trace ?? latest.traceID);
    recordOpened(trace);
    if (values.stats) {
      const { traceStats, sortStatsRows, statsToJson, statsToText } = await import('../traces/trace-stats.js');
      const model = buildTraceModel(values.json ? trace : inertStrings(trace));
      const base = traceStats(model, grouping);
      const stats = { ...base, rows: sortStatsRows(base.rows, sortBy as never, sortDir === 'desc') };
      process.stdout.write(values.json ? inertJson(statsToJson(model, stats), 2) + '\n' : statsToText(model, stats).map((l) => displayText(l)).join('\n') + '\n');
      return 0;
    }
    if (values.format === 'otlp') {
      const { jaegerToOtlp } = await import('../traces/otlp.js');
      process.stdout.write(inertJson(jaegerToOtlp([trace]), 2) + '\n');
      return 0;
    }
    const { traceToJson, traceToText } = await import('../traces/plain-tree.js');
    // --json is the exact data (escaped, so inert); the tree is display text, laid out as it shows.
    process.stdout.write(values.json ? inertJson(traceToJson(buildTraceModel(trace)), 2) + '\n' : traceToText(displayModel(buildTraceModel(trace))).map((l) => displayText(l)).join('\n') + '\n');
    if (!values.json && !values.trace && summaries.length > 1) process.stdout.write(`${t('cmd.traces.mostRecent', { count: summaries.length })}\n`);
    return 0;
  }

  if (process.env.NO_COLOR) process.env.FORCE_COLOR = '0';
  const { loadInk } = await import('./start-command.js');
  const { render, React } = await loadInk();
  const { TraceViewer } = await import('../ui/TraceViewer.js');
  let app: ReturnType<typeof render> | undefined;
  app = render(
    React.createElement(TraceViewer, {
      traces: summaries,
      loadTrace: load,
      initialTraceId: initialCompare ? undefined : values.trace ?? (values.stats ? [...summaries].sort((a, b) => b.start - a.start)[0]?.traceID : undefined),
      ...(initialCompare ? { initialCompare } : {}),
      ...(values.stats ? { initialStats: true } : {}),
      onQuit: () => app?.unmount(),
      onOpened: (id: string) => void load(id).then(recordOpened, () => undefined),
      color: !process.env.NO_COLOR,
    }),
    { exitOnCtrlC: true, patchConsole: false },
  );
  await app.waitUntilExit();
  return 0;
}
