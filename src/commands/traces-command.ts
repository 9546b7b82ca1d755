/**
 * `kubetutor traces [--jaeger URL | --file F] [--service S] [--trace ID] [--plain | --json]`:
 * the trace viewer outside a lesson, against any Jaeger, or a saved API response.
 */
import { readFileSync } from 'node:fs';
import { parse } from '../cli.js';
import { userError } from '../cluster/target.js';
import type { JaegerTrace } from '../sandbox/workloads/jaeger-model.js';
import type { TraceSummary } from '../traces/model-types.js';
import { recordOpened as record } from '../traces/opened-marker.js';
import { BIG_TRACE_TEXT, releaseMemory } from '../traces/release-memory.js';
import { displayText, inertJson, inertStrings } from '../text/display-text.js';

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
  });
  if (positionals.length) throw userError(`unexpected argument "${positionals[0]}"`);
  if (values.jaeger && values.file) throw userError('choose either --jaeger URL or --file F');
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw userError(`--limit must be a positive number, not "${values.limit}"`);
  const { JaegerClient, JaegerError, parseJaegerFile } = await import('../traces/jaeger-client.js');
  const { buildTraceModel, summarizeTrace } = await import('../traces/trace-model.js');

  // Where the traces come from: a file, or a Jaeger query service.
  let summaries: TraceSummary[];
  let load: (id: string) => Promise<JaegerTrace>;
  try {
    if (values.file) {
      let text: string;
      try {
        text = readFileSync(values.file, 'utf8');
      } catch (e) {
        throw userError(`cannot read ${values.file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
      }
      const traces = parseJaegerFile(text);
      if (text.length > BIG_TRACE_TEXT) {
        text = '';
        releaseMemory();
      }
      const byId = new Map(traces.map((t) => [t.traceID, t]));
      summaries = traces.map(summarizeTrace);
      load = async (id) => byId.get(id) ?? Promise.reject(userError(`no trace ${id} in ${values.file}`));
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
          if (!match) throw userError(service ? `Jaeger at ${url} has no service "${service}" (it has: ${services.join(', ') || 'none'}); send some traffic first` : `Jaeger at ${url} has no services yet: send some traffic first`);
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
    if (!summaries.length) throw userError(`no trace ${values.trace} in ${values.file}`);
  }

  const plain = values.plain || values.json || !process.stdout.isTTY || !process.stdin.isTTY;
  if (plain) {
    if (!summaries.length) throw userError('no traces found');
    // The most recent trace (or the one asked for), as text or JSON.
    const latest = [...summaries].sort((a, b) => b.start - a.start)[0];
    const trace = await load(values.trace ?? latest.traceID);
    recordOpened(trace);
    const { traceToJson, traceToText } = await import('../traces/plain-tree.js');
    // --json is the exact data (escaped, so inert); the tree is display text, laid out as it shows.
    process.stdout.write(values.json ? inertJson(traceToJson(buildTraceModel(trace)), 2) + '\n' : traceToText(buildTraceModel(inertStrings(trace))).map((l) => displayText(l)).join('\n') + '\n');
    if (!values.json && !values.trace && summaries.length > 1) process.stdout.write(`(the most recent of ${summaries.length} traces; --trace ID picks another)\n`);
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
      initialTraceId: values.trace,
      onQuit: () => app?.unmount(),
      onOpened: (id: string) => void load(id).then(recordOpened, () => undefined),
      color: !process.env.NO_COLOR,
    }),
    { exitOnCtrlC: true, patchConsole: false },
  );
  await app.waitUntilExit();
  return 0;
}
