/**
 * curl inside simulated containers, with the options Istio's pages use:
 * -s -S -o FILE -w FORMAT -I -i -H -X -d -D FILE -L -f -v -A -m, their long
 * forms, several URLs in one call, the progress meter on stderr when the
 * output is not a terminal (why the docs add -s), and curl's exit codes and
 * `curl: (N) …` messages. Requests go through the pod's MeshClient.
 */
import type { Command, CommandContext } from './command-types.js';
import type { MeshResponse } from './mesh-client.js';

export const CURL_VERSION = '8.5.0';
const USER_AGENT = `curl/${CURL_VERSION}`;
const MAX_REDIRECTS = 50;

interface CurlOptions {
  silent: boolean;
  showError: boolean;
  output: string | null;
  writeOut: string | null;
  head: boolean;
  include: boolean;
  dumpHeader: string | null;
  headers: Array<[string, string]>;
  method: string | null;
  data: string[];
  location: boolean;
  fail: boolean;
  verbose: boolean;
  noMeter: boolean;
  userAgent: string;
  urls: string[];
}

/** Options that take a value, by every name they go by. */
const VALUE_OPTIONS: Record<string, string> = {
  '-o': 'output', '--output': 'output', '-w': 'writeOut', '--write-out': 'writeOut', '-H': 'header', '--header': 'header',
  '-X': 'method', '--request': 'method', '-d': 'data', '--data': 'data', '--data-raw': 'data', '--data-binary': 'data', '--data-ascii': 'data',
  '-D': 'dumpHeader', '--dump-header': 'dumpHeader', '-A': 'userAgent', '--user-agent': 'userAgent', '-m': 'ignore', '--max-time': 'ignore',
  '--connect-timeout': 'ignore', '--retry': 'ignore', '--retry-delay': 'ignore', '--retry-max-time': 'ignore', '-e': 'referer', '--referer': 'referer',
  '-b': 'cookie', '--cookie': 'cookie', '-u': 'user', '--user': 'user', '--resolve': 'ignore', '--cacert': 'ignore', '--cert': 'ignore', '--key': 'ignore',
  '-x': 'ignore', '--proxy': 'ignore', '--noproxy': 'ignore', '--url': 'url', '--max-redirs': 'ignore',
};
const FLAG_OPTIONS: Record<string, string> = {
  '-s': 'silent', '--silent': 'silent', '-S': 'showError', '--show-error': 'showError', '-I': 'head', '--head': 'head', '-i': 'include', '--include': 'include',
  '-L': 'location', '--location': 'location', '-f': 'fail', '--fail': 'fail', '--fail-with-body': 'fail', '-v': 'verbose', '--verbose': 'verbose',
  '-k': 'ignore', '--insecure': 'ignore', '--http1.1': 'ignore', '--http2': 'ignore', '-N': 'ignore', '--no-buffer': 'ignore', '--compressed': 'ignore',
  '-g': 'ignore', '--globoff': 'ignore', '-4': 'ignore', '-6': 'ignore', '--no-progress-meter': 'noMeter', '-#': 'ignore', '--progress-bar': 'ignore',
};

function parse(args: string[]): CurlOptions | { error: string } {
  const o: CurlOptions = { noMeter: false, silent: false, showError: false, output: null, writeOut: null, head: false, include: false, dumpHeader: null, headers: [], method: null, data: [], location: false, fail: false, verbose: false, userAgent: USER_AGENT, urls: [] };
  const setValue = (key: string, value: string): void => {
    switch (key) {
      case 'header': {
        const colon = value.indexOf(':');
        if (colon > 0) o.headers.push([value.slice(0, colon).trim(), value.slice(colon + 1).trim()]);
        break;
      }
      case 'data': o.data.push(value); break;
      case 'url': o.urls.push(value); break;
      case 'referer': o.headers.push(['Referer', value]); break;
      case 'cookie': o.headers.push(['Cookie', value]); break;
      case 'user': o.headers.push(['Authorization', `Basic ${Buffer.from(value).toString('base64')}`]); break;
      case 'ignore': break;
      default: (o as unknown as Record<string, string>)[key] = value;
    }
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq === -1 ? a : a.slice(0, eq);
      if (FLAG_OPTIONS[name]) {
        (o as unknown as Record<string, boolean>)[FLAG_OPTIONS[name]!] = true;
        continue;
      }
      const key = VALUE_OPTIONS[name];
      if (!key) return { error: `option ${a}: is unknown` };
      const value = eq === -1 ? args[++i] : a.slice(eq + 1);
      if (value === undefined) return { error: `option ${name}: requires parameter` };
      setValue(key, value);
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let k = 1; k < a.length; k++) {
        const f = `-${a[k]}`;
        if (FLAG_OPTIONS[f]) {
          (o as unknown as Record<string, boolean>)[FLAG_OPTIONS[f]!] = true;
          continue;
        }
        const key = VALUE_OPTIONS[f];
        if (!key) return { error: `option ${f}: is unknown` };
        const value = k + 1 < a.length ? a.slice(k + 1) : args[++i];
        if (value === undefined) return { error: `option ${f}: requires parameter` };
        setValue(key, value);
        break;
      }
      continue;
    }
    o.urls.push(a);
  }
  return o;
}

/** curl's size format in the progress meter: at most 5 characters. */
function meterSize(n: number): string {
  if (n < 100_000) return String(Math.round(n));
  const units = ['k', 'M', 'G', 'T'];
  let v = n;
  for (const u of units) {
    v /= 1024;
    if (v < 10) return `${v.toFixed(1)}${u}`;
    if (v < 1000) return `${Math.round(v)}${u}`;
  }
  return `${Math.round(v)}P`;
}

function progressMeter(size: number, ms: number): string {
  const speed = meterSize(ms > 0 ? (size * 1000) / ms : size);
  const pct = size > 0 ? '100' : '  0';
  const line = (p: string, s: number, sp: string): string =>
    `${p.padStart(3)} ${meterSize(s).padStart(5)} ${p.padStart(4)} ${meterSize(s).padStart(5)}    0     0 ${sp.padStart(6)}      0 --:--:-- --:--:-- --:--:-- ${sp.padStart(5)}`;
  return (
    '  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n' +
    '                                 Dload  Upload   Total   Spent    Left  Speed\n' +
    `\r${line('  0', 0, '0')}\r${line(pct, size, speed)}\n`
  );
}

interface Transfer {
  url: URL;
  method: string;
  response: MeshResponse | null;
  exitCode: number;
  errorMessage: string;
  ms: number;
  redirects: number;
  requestBytes: number;
}

function headerBlock(r: MeshResponse): string {
  return `HTTP/${r.httpVersion} ${r.status}${r.statusText ? ` ${r.statusText}` : ''}\r\n${r.headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
}

function writeOut(format: string, t: Transfer, ctx: CommandContext): string {
  const r = t.response;
  const secs = (t.ms / 1000).toFixed(6);
  const header = (name: string): string => r?.headers.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1] ?? '';
  const vars: Record<string, () => string> = {
    http_code: () => String(r?.status ?? 0).padStart(3, '0'),
    response_code: () => String(r?.status ?? 0).padStart(3, '0'),
    http_version: () => (r ? (r.httpVersion === '1.1' ? '1.1' : r.httpVersion) : '0'),
    time_total: () => secs,
    time_connect: () => (t.ms / 4000).toFixed(6),
    time_namelookup: () => (t.ms / 8000).toFixed(6),
    time_appconnect: () => '0.000000',
    time_pretransfer: () => (t.ms / 4000).toFixed(6),
    time_starttransfer: () => ((t.ms * 0.9) / 1000).toFixed(6),
    time_redirect: () => '0.000000',
    size_download: () => String(r?.body.length ?? 0),
    size_header: () => String(r ? Buffer.byteLength(headerBlock(r)) : 0),
    size_request: () => String(t.requestBytes),
    size_upload: () => '0',
    speed_download: () => String(Math.round(t.ms > 0 ? ((r?.body.length ?? 0) * 1000) / t.ms : 0)),
    content_type: () => header('content-type'),
    url_effective: () => t.url.href,
    url: () => t.url.href,
    remote_ip: () => r?.remoteIp ?? '',
    remote_port: () => String(r?.remotePort ?? ''),
    local_ip: () => ctx.info.podIp,
    local_port: () => '40000',
    num_redirects: () => String(t.redirects),
    redirect_url: () => (r && r.status >= 300 && r.status < 400 ? header('location') : ''),
    scheme: () => t.url.protocol.replace(':', '').toUpperCase(),
    method: () => t.method,
    exitcode: () => String(t.exitCode),
    errormsg: () => t.errorMessage,
  };
  return format
    .replace(/\\([nrt\\])/g, (_m, c: string) => ({ n: '\n', r: '\r', t: '\t', '\\': '\\' } as Record<string, string>)[c]!)
    .replace(/%\{([a-z_]+)(?::([^}]*))?\}|%%|%\{header\{([^}]+)\}\}/g, (m, name?: string, _arg?: string, hdr?: string) => {
      if (m === '%%') return '%';
      if (hdr) return header(hdr);
      if (name === 'header_json' || name === 'json') return '{}';
      const fn = name ? vars[name] : undefined;
      if (!fn) {
        ctx.stderr(`curl: unknown --write-out variable: '${name}'\n`);
        return '';
      }
      return fn();
    });
}

export const curl: Command = async (ctx) => {
  const parsed = parse(ctx.argv.slice(1));
  const tryHelp = "curl: try 'curl --help' or 'curl --manual' for more information\n";
  if ('error' in parsed) {
    ctx.stderr(`curl: ${parsed.error}\n${tryHelp}`);
    return 2;
  }
  const o = parsed;
  if (o.urls.length === 0) {
    ctx.stderr(`curl: no URL specified\n${tryHelp}`);
    return 2;
  }
  const showErrors = !o.silent || o.showError;
  const meter = !o.silent && !o.noMeter && !o.verbose && (o.output !== null || !ctx.stdoutIsTerminal);
  let last = 0;
  for (const raw of o.urls) {
    const code = await transfer(ctx, o, raw, meter);
    if (code.exitCode !== 0 && showErrors) ctx.stderr(`curl: (${code.exitCode}) ${code.errorMessage}\n`);
    last = code.exitCode;
  }
  return last;
};

async function transfer(ctx: CommandContext, o: CurlOptions, raw: string, meter: boolean): Promise<Transfer> {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    return { url: new URL('http://invalid/'), method: 'GET', response: null, exitCode: 3, errorMessage: 'URL rejected: Malformed input to a URL function', ms: 0, redirects: 0, requestBytes: 0 };
  }
  const started = Date.now();
  let method = o.method ?? (o.head ? 'HEAD' : o.data.length > 0 ? 'POST' : 'GET');
  const body = o.data.length > 0 ? Buffer.from(o.data.join('&'), 'utf8') : undefined;
  const t: Transfer = { url, method, response: null, exitCode: 0, errorMessage: '', ms: 0, redirects: 0, requestBytes: 0 };
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    t.exitCode = 1;
    t.errorMessage = `Protocol "${url.protocol.replace(':', '')}" not supported`;
    return t;
  }
  for (;;) {
    const headers: Array<[string, string]> = [['Host', url.host], ['User-Agent', o.userAgent], ['Accept', '*/*']];
    for (const [k, v] of o.headers) {
      const existing = headers.findIndex(([h]) => h.toLowerCase() === k.toLowerCase());
      if (existing >= 0) {
        if (v === '') headers.splice(existing, 1);
        else headers[existing] = [k, v];
      } else if (v !== '') headers.push([k, v]);
    }
    if (body && method !== 'GET' && method !== 'HEAD') {
      if (!headers.some(([h]) => h.toLowerCase() === 'content-type')) headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
      headers.push(['Content-Length', String(body.length)]);
    }
    const requestHead = `${method} ${url.pathname}${url.search} HTTP/1.1\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
    t.requestBytes += Buffer.byteLength(requestHead);
    if (o.verbose) {
      ctx.stderr(`* Host ${url.host} was resolved.\n*   Trying ${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}...\n`);
    }
    const result = await ctx.mesh.request({ url, method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : body, signal: ctx.signal });
    t.url = url;
    t.method = method;
    if (!result.ok) {
      t.exitCode = result.code;
      t.errorMessage = result.message;
      t.ms = Date.now() - started;
      if (o.writeOut) ctx.stdout(writeOut(o.writeOut, t, ctx));
      return t;
    }
    const r = result.response;
    t.response = r;
    if (o.verbose) {
      ctx.stderr(`* Connected to ${url.hostname} (${r.remoteIp}) port ${r.remotePort}\n${requestHead.split('\r\n').slice(0, -1).map((l) => `> ${l}\r\n`).join('')}`);
      ctx.stderr(`${headerBlock(r).split('\r\n').slice(0, -1).map((l) => `< ${l}\r\n`).join('')}`);
    }
    const location = r.headers.find(([k]) => k.toLowerCase() === 'location')?.[1];
    if (o.location && location && r.status >= 300 && r.status < 400 && t.redirects < MAX_REDIRECTS) {
      if (o.include || o.head) emitHeaders(ctx, o, r);
      else if (o.dumpHeader) dumpHeaders(ctx, o, r);
      t.redirects++;
      url = new URL(location, url);
      if ((r.status === 301 || r.status === 302 || r.status === 303) && method === 'POST') method = 'GET';
      continue;
    }
    t.ms = Math.max(1, Date.now() - started);
    if (o.fail && r.status >= 400) {
      t.exitCode = 22;
      t.errorMessage = `The requested URL returned error: ${r.status}`;
      if (meter) ctx.stderr(progressMeter(0, t.ms));
      if (o.writeOut) ctx.stdout(writeOut(o.writeOut, t, ctx));
      return t;
    }
    if (o.dumpHeader && !o.include && !o.head) dumpHeaders(ctx, o, r);
    const out: Buffer[] = [];
    if (o.include || o.head) out.push(Buffer.from(headerBlock(r), 'utf8'));
    if (!o.head) out.push(r.body);
    const payload = Buffer.concat(out);
    if (meter) ctx.stderr(progressMeter(o.head ? 0 : r.body.length, t.ms));
    if (o.output !== null && o.output !== '-') {
      try {
        ctx.fs.write(o.output, payload);
      } catch {
        t.exitCode = 23;
        t.errorMessage = `Failure writing output to destination, passed ${payload.length} returned 0`;
        return t;
      }
    } else ctx.stdout(payload);
    if (o.verbose) ctx.stderr(`* Connection #0 to host ${url.hostname} left intact\n`);
    if (o.writeOut) ctx.stdout(writeOut(o.writeOut, t, ctx));
    return t;
  }
}

function emitHeaders(ctx: CommandContext, o: CurlOptions, r: MeshResponse): void {
  if (o.output !== null && o.output !== '-') return;
  ctx.stdout(headerBlock(r));
}

function dumpHeaders(ctx: CommandContext, o: CurlOptions, r: MeshResponse): void {
  if (o.dumpHeader === '-') ctx.stdout(headerBlock(r));
  else if (o.dumpHeader) {
    try {
      ctx.fs.write(o.dumpHeader, Buffer.from(headerBlock(r), 'utf8'), true);
    } catch {
      // curl goes on with the transfer when the header file cannot be written.
    }
  }
}
