/**
 * `kubetutor traffic [--url URL | --path /productpage] [-n N] [--concurrency C]`:
 * loads a page through the ingress gateway N times, with a progress bar, then
 * the status codes and latency percentiles. Without --url it finds
 * GATEWAY_URL itself: from the environment, or from the cluster.
 */
import { existsSync } from 'node:fs';
import { parse } from './args.js';
import { defaultKubeconfigFiles } from '../cluster/target.js';
import { userError } from '../user-error.js';
import type { RequestResult } from '../traffic/generator.js';
import { displayText } from '../text/display-text.js';
import { t } from '../i18n/index.js';

export const DEFAULT_PATH = '/productpage';
export const DEFAULT_COUNT = 10;

export async function trafficCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    url: { type: 'string' },
    path: { type: 'string' },
    count: { type: 'string', short: 'n', default: String(DEFAULT_COUNT) },
    concurrency: { type: 'string', short: 'c', default: '1' },
    timeout: { type: 'string', default: '10' },
  });
  if (positionals.length) throw userError(t('cli.unexpectedArgument', { arg: positionals[0] }));
  if (values.url && values.path) throw userError(t('cmd.traffic.urlOrPath'));
  const count = positiveInt(values.count, '-n');
  const concurrency = positiveInt(values.concurrency, '--concurrency');
  const timeoutS = Number(values.timeout);
  if (!(timeoutS > 0)) throw userError(t('cmd.traffic.badTimeout', { value: String(values.timeout) }));

  let url: string;
  if (values.url) url = withScheme(values.url);
  else {
    const path = values.path ?? DEFAULT_PATH;
    const gateway = await gatewayUrl();
    process.stdout.write(`${displayText(`GATEWAY_URL=${gateway.url} (${gateway.how})`)}\n`); // read from the cluster
    url = `http://${gateway.url}${path.startsWith('/') ? '' : '/'}${path}`;
  }

  const { generateTraffic, progressBar, formatReport, failureReason, outcomeKey, statusOrder } = await import('../traffic/generator.js');
  const progress = makeProgress(process.stderr, count, progressBar, outcomeKey, statusOrder);
  const stop = new AbortController();
  const onSigint = () => stop.abort();
  process.once('SIGINT', onSigint);
  let report;
  try {
    report = await generateTraffic({ url, count, concurrency, timeoutMs: timeoutS * 1000, signal: stop.signal, onResult: progress.update });
  } catch (e) {
    if (e instanceof TypeError) throw userError(e.message);
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
    progress.end();
  }
  process.stdout.write(formatReport(report).map((l) => displayText(l)).join('\n') + '\n');
  const reason = failureReason(report);
  if (reason) {
    process.stderr.write(`kubetutor traffic: ${displayText(reason)}\n`);
    return 1;
  }
  return 0;
}

function positiveInt(v: string | undefined, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw userError(t('cmd.traffic.badInt', { flag, value: String(v) }));
  return n;
}

/** `127.0.0.1:31380/productpage` → `http://127.0.0.1:31380/productpage`. */
function withScheme(url: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`;
}

/** GATEWAY_URL from the environment, else from the cluster the kubeconfig points at. */
async function gatewayUrl(): Promise<{ url: string; how: string }> {
  const fromEnv = process.env.GATEWAY_URL?.trim();
  if (fromEnv) return { url: fromEnv.replace(/^https?:\/\//, '').replace(/\/+$/, ''), how: t('cmd.traffic.fromEnv') };
  const files = defaultKubeconfigFiles();
  const file = files.find((f) => existsSync(f));
  if (!file) {
    throw userError(t('cmd.traffic.noKubeconfig', { files: files.join(', '), path: DEFAULT_PATH }));
  }
  const { KubeClient, ClusterError } = await import('../cluster/kube-client.js');
  const { findGatewayUrl, GatewayUrlError } = await import('../cluster/gateway-url.js');
  try {
    return await findGatewayUrl(KubeClient.fromFile(file));
  } catch (e) {
    if (e instanceof ClusterError || e instanceof GatewayUrlError) throw userError(t('cmd.traffic.cannotFind', { why: e.message }));
    throw e;
  }
}

interface Progress {
  update(r: RequestResult, done: number, total: number): void;
  end(): void;
}

/**
 * On a terminal: one line redrawn in place (\r), at most every 50 ms.
 * Otherwise (a pipe, the lesson runner): a line at every 10% of the way.
 */
function makeProgress(
  out: NodeJS.WriteStream,
  total: number,
  bar: (done: number, total: number, width: number) => string,
  key: (r: RequestResult) => string,
  order: (keys: string[]) => string[],
): Progress {
  const tty = !!out.isTTY && !process.env.NO_PROGRESS;
  const counts: Record<string, number> = {};
  let lastDraw = 0;
  let lastDecile = 0;
  let printedAt = 0;
  let drawn = false;
  let done = 0;
  const line = () => {
    const tally = order(Object.keys(counts)).map((k) => `${k}: ${counts[k]}`).join(' · ');
    const text = displayText(`${bar(done, total, 30)}  ${tally}`);
    // A redrawn line must not wrap, or \r no longer returns to its start.
    const width = tty && out.columns ? out.columns - 1 : Infinity;
    return text.length > width ? `${text.slice(0, Math.max(width - 1, 0))}…` : text;
  };
  return {
    update(r, d) {
      done = d;
      counts[key(r)] = (counts[key(r)] ?? 0) + 1;
      if (tty) {
        const now = Date.now();
        if (d === total || now - lastDraw >= 50) {
          lastDraw = now;
          drawn = true;
          out.write(`\r${line()}\x1b[K`);
        }
        return;
      }
      const decile = Math.floor((d * 10) / total);
      if (decile > lastDecile) {
        lastDecile = decile;
        printedAt = d;
        out.write(`${line()}\n`);
      }
    },
    end() {
      if (tty && drawn) out.write(`\r${line()}\x1b[K\n`);
      else if (!tty && done > 0 && printedAt !== done) out.write(`${line()}\n`); // stopped between two marks
    },
  };
}
