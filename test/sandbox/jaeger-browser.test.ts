/**
 * The Jaeger dashboard as a learner meets it: Debian's Chromium, headless,
 * driven through playwright-core, opens the page through a real
 * `kubectl port-forward` to the sandbox (the lesson's two forwards: the
 * gateway pod's 15032 in the seed doc's world, the Jaeger pod's 16686 under
 * /jaeger in Istio 1.1), picks productpage, presses Find Traces, opens the
 * newest trace and a span's details. With JavaScript off the same walk works
 * on the server-rendered pages. With KT_SCREENSHOTS=DIR, a screenshot of every
 * page goes to DIR for a person to look at (off by default: nothing asserts on
 * them, and Chromium drew them in software for more CPU than the tests took).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import type { JaegerTrace } from '../../src/sandbox/workloads/index.js';
import { eventually, kubectl, kubectlPortForward, startFastSandbox } from '../helpers/sandbox.js';

/** The system Chromium (Debian's `chromium` package; .ci/run installs it). */
function chromiumPath(): string {
  const fromEnv = process.env.KUBETUTOR_CHROMIUM;
  if (fromEnv) return fromEnv;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const found = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
      if (found && existsSync(found)) return found;
    } catch {
      // try the next name
    }
  }
  throw new Error('no Chromium on PATH: install it (`apt-get install -y chromium`) or set KUBETUTOR_CHROMIUM');
}

const shots = process.env.KT_SCREENSHOTS;
let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  if (shots) {
    mkdirSync(shots, { recursive: true });
    console.log(`Jaeger page screenshots: ${shots}`);
  }
});
afterAll(async () => {
  await browser?.close();
});

interface World {
  scenario: string;
  /** How the lesson forwards the dashboard in this world: the pod's label and port. */
  podLabel: string;
  podPort: number;
  base: string;
  productpage: string;
  reviews: string;
  ratings: string;
  policy: boolean;
  /** The gateway pod's HTTP port (modern gateways run unprivileged on 8080). */
  gatewayPort: number;
}

const WORLDS: World[] = [
  { scenario: 'ready', podLabel: 'app=istio-ingressgateway', podPort: 15032, base: '', productpage: 'productpage.default', reviews: 'reviews.default', ratings: 'ratings.default', policy: true, gatewayPort: 80 },
  { scenario: 'istio-1.1', podLabel: 'app=jaeger', podPort: 16686, base: '/jaeger', productpage: 'productpage.default', reviews: 'reviews.default', ratings: 'ratings.default', policy: true, gatewayPort: 80 },
  { scenario: 'modern', podLabel: 'app=jaeger', podPort: 16686, base: '/jaeger', productpage: 'productpage.default', reviews: 'reviews.default', ratings: 'ratings.default', policy: false, gatewayPort: 8080 },
];

describe.each(WORLDS)('the Jaeger page in Chromium, scenario $scenario', (w) => {
  let sb: Sandbox;
  const children: ChildProcess[] = [];
  let url: string;
  let newest: JaegerTrace;

  beforeAll(async () => {
    sb = await startFastSandbox({ scenario: w.scenario });
    await eventually(() => sb.objects('', 'pods').every((p) => (p.status as { phase?: string }).phase === 'Running'), 20_000, 'pods running');
    // Traffic through the gateway's port 80, until the newest trace is one whose reviews called ratings.
    const gw = await kubectlPortForward(sb, ['-n', 'istio-system', 'port-forward', 'deployment/istio-ingressgateway', `:${w.gatewayPort}`], children);
    const pod = (await kubectl(sb, ['-n', 'istio-system', 'get', 'pod', '-l', w.podLabel, '-o', 'jsonpath={.items[0].metadata.name}'])).stdout;
    const pf = await kubectlPortForward(sb, ['-n', 'istio-system', 'port-forward', pod, `:${w.podPort}`], children);
    url = `http://127.0.0.1:${pf.port}`;
    newest = await eventually(async () => {
      expect((await fetch(`http://127.0.0.1:${gw.port}/productpage`)).status).toBe(200);
      const body = (await (await fetch(`${url}${w.base}/api/traces?service=${w.productpage}&limit=1`)).json()) as { data: JaegerTrace[] };
      const t = body.data[0];
      return t && Object.values(t.processes).some((p) => p.serviceName === w.ratings) ? t : undefined;
    }, 20_000, 'a trace with a ratings call');
  });
  afterAll(async () => {
    for (const c of children) c.kill('SIGTERM');
    await sb?.stop();
  });

  const shot = async (page: Page, name: string) => {
    if (shots) await page.screenshot({ path: join(shots, `${w.scenario}-${name}.png`), fullPage: true });
  };

  test('Find Traces, the newest trace, a span\'s details, with JavaScript', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const foreign: string[] = [];
    const problems: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(url)) foreign.push(r.url());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    try {
      // The address the lesson opens.
      await page.goto(`${url}/`);
      await expect(page.title()).resolves.toBe('Jaeger UI');
      await page.locator('#service option', { hasText: w.productpage }).first().waitFor({ state: 'attached' });
      expect(await page.locator('footer').textContent()).toMatch(/kubetutor's sandbox stand-in for Jaeger's UI \(the scenario runs Jaeger \d/);
      await shot(page, '1-search');

      // The Operation list follows the Service.
      await page.selectOption('#service', w.productpage);
      await page.locator('#operation option').nth(1).waitFor({ state: 'attached' });
      const ops = await page.locator('#operation option').allTextContents();
      expect(ops).toContain(`${w.reviews.split('.')[0]}.default.svc.cluster.local:9080/*`);

      await page.click('#find-traces');
      await page.locator('.trace-item').first().waitFor();
      expect(new URL(page.url()).pathname).toBe(`${w.base}/search`);
      expect(new URL(page.url()).searchParams.get('service')).toBe(w.productpage);
      const first = page.locator('.trace-item').first();
      await expect(first.getAttribute('data-trace-id')).resolves.toBe(newest.traceID);
      const title = await first.locator('.trace-title .name').textContent();
      expect(title).toMatch(/^istio-ingressgateway(\.istio-system)?: productpage\.default\.svc\.cluster\.local:9080\/productpage$/);
      expect(await first.locator('.badge.spans').textContent()).toBe(`${newest.spans.length} Spans`);
      expect(await first.locator('.services').textContent()).toContain(`${w.ratings} (`);
      await shot(page, '2-results');

      // The newest trace.
      await first.locator('.trace-title').click();
      await page.locator('.trace-page').waitFor();
      expect(new URL(page.url()).pathname).toBe(`${w.base}/trace/${newest.traceID}`);
      const facts = await page.locator('.trace-facts').textContent();
      expect(facts).toContain(`Total Spans${newest.spans.length}`);
      for (const k of ['Trace Start', 'Duration', 'Services', 'Depth']) expect(facts).toContain(k);
      const rows = page.locator('#timeline .span-row');
      expect(await rows.count()).toBe(newest.spans.length);
      const row = (svc: string, kind: string, op: RegExp) =>
        rows.filter({ has: page.locator('.svc', { hasText: new RegExp(`^${svc.replace('.', '\\.')}$`) }) }).filter({ has: page.locator(`.kind-${kind}`) }).filter({ has: page.locator('.op', { hasText: op }) });
      const reviewsOp = /^reviews\.default\.svc\.cluster\.local:9080\/\*$/;
      const ratingsOp = /^ratings\.default\.svc\.cluster\.local:9080\/\*$/;
      await expect(row(w.productpage, 'client', reviewsOp).count()).resolves.toBe(1);
      await expect(row(w.reviews, 'server', reviewsOp).count()).resolves.toBe(1);
      await expect(row(w.reviews, 'client', ratingsOp).count()).resolves.toBe(1);
      await expect(row(w.ratings, 'server', ratingsOp).count()).resolves.toBe(1);
      const checks = await rows.filter({ has: page.locator('.svc', { hasText: /^istio-policy$/ }) }).filter({ has: page.locator('.op', { hasText: '/istio.mixer.v1.Mixer/Check' }) }).count();
      if (w.policy) expect(checks).toBeGreaterThan(0);
      else expect(checks).toBe(0);
      // The pair is marked on both rows.
      await expect(row(w.productpage, 'client', reviewsOp).locator('.pair-mark').count()).resolves.toBe(1);
      await expect(row(w.reviews, 'server', reviewsOp).locator('.pair-mark').count()).resolves.toBe(1);
      await shot(page, '3-trace');

      // Span details: productpage's client span for reviews.
      const client = row(w.productpage, 'client', reviewsOp);
      await client.locator('summary .tl-name').click();
      const detail = client.locator('.span-detail');
      await detail.waitFor({ state: 'visible' });
      const detailText = (await detail.textContent()) ?? '';
      expect(detailText).toMatch(new RegExp(`Client/server pair: ${w.productpage.replace('.', '\\.')} client [\\d.]+ms → ${w.reviews.replace('.', '\\.')} server [\\d.]+ms`));
      expect(detailText).toContain('Tags (');
      expect(detailText).toContain('http.status_code200');
      expect(detailText).toContain('span.kindclient');
      expect(detailText).toMatch(/Process \(\d+\)hostnameproductpage-v1-/);
      await client.scrollIntoViewIfNeeded();
      await shot(page, '4-span-details');

      // "Show the server span" opens the other half.
      await detail.locator('.pair-note [data-action="show-span"]').click();
      await expect(row(w.reviews, 'server', reviewsOp).getAttribute('open')).resolves.toBe('');

      // Folding productpage's server span hides everything beneath it; unfolding brings it back.
      const pp = rows.filter({ has: page.locator('.kind-server') }).filter({ has: page.locator('.svc', { hasText: new RegExp(`^${w.productpage.replace('.', '\\.')}$`) }) });
      await pp.locator('[data-action="fold"]').click();
      await expect(page.locator('#timeline .span-row:not(.hidden-by-fold)').count()).resolves.toBe(2);
      await pp.locator('[data-action="fold"]').click();
      await expect(page.locator('#timeline .span-row:not(.hidden-by-fold)').count()).resolves.toBe(newest.spans.length);

      // Back goes to the results; the trace URL also loads by itself.
      await page.goBack();
      await page.locator('.trace-item').first().waitFor();
      await page.goto(`${url}${w.base}/trace/${newest.traceID}`);
      expect(await page.locator('#timeline .span-row').count()).toBe(newest.spans.length);
      // The top bar's lookup box opens a trace by its id.
      await page.click('.brand');
      await page.locator('#search-form').waitFor();
      await page.fill('.lookup input', newest.traceID);
      await page.press('.lookup input', 'Enter');
      await page.locator(`.trace-page[data-trace-id="${newest.traceID}"]`).waitFor();
      expect(new URL(page.url()).pathname).toBe(`${w.base}/trace/${newest.traceID}`);

      expect(foreign).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test.runIf(w.scenario === 'ready')('span text is shown as text, never run as markup', async () => {
    const evilService = '<img src=x onerror="window.__pwned=1">';
    const evilOp = '<script>window.__pwned=2</script>';
    const t = structuredClone(newest);
    t.traceID = 'bad0000000000001';
    t.spans = [{ ...t.spans[0], traceID: t.traceID, spanID: 'bad0000000000002', operationName: evilOp, references: [], tags: [{ key: '<b>key</b>', type: 'string', value: '"><svg onload="window.__pwned=3">' }] }];
    t.processes = { p1: { serviceName: evilService, tags: [] } };
    t.spans[0].processID = 'p1';
    sb.workloads.traces.add(t);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    try {
      await page.goto(`${url}/`);
      await page.selectOption('#service', evilService);
      await page.click('#find-traces');
      await page.locator('.trace-item').first().waitFor();
      expect(await page.locator('.trace-item .name').first().textContent()).toBe(`${evilService}: ${evilOp}`);
      await page.locator('.trace-title').first().click();
      await page.locator('.trace-page').waitFor();
      await page.locator('#timeline .span-row summary .tl-name').first().click();
      expect(await page.locator('.span-detail table.kv').first().textContent()).toContain('"><svg onload="window.__pwned=3">');
      // Rendered in place by the script, then by the server.
      await expect(page.evaluate('typeof window.__pwned')).resolves.toBe('undefined');
      await page.reload();
      await expect(page.evaluate('typeof window.__pwned')).resolves.toBe('undefined');
      expect(await page.locator('img, svg [onload]').count()).toBe(0);
      await shot(page, '7-escaped');
    } finally {
      await context.close();
    }
  });

  test('with JavaScript off: results and the trace are rendered by the server', async () => {
    // Plain HTTP first, through the same port-forward.
    const html = await (await fetch(`${url}${w.base}/search?service=${w.productpage}&lookback=1h&limit=20`)).text();
    expect(html).toContain(`<li class="trace-item" data-trace-id="${newest.traceID}">`);
    const trace = await (await fetch(`${url}${w.base}/trace/${newest.traceID}`)).text();
    expect(trace).toContain(`<dt>Total Spans</dt><dd>${newest.spans.length}</dd>`);
    expect(trace).toContain('>ratings.default.svc.cluster.local:9080/*</span>');

    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    try {
      await page.goto(`${url}/`);
      await page.selectOption('#service', w.productpage);
      await page.click('#find-traces');
      await page.waitForURL(/\/search\?/);
      const first = page.locator('.trace-item').first();
      await expect(first.getAttribute('data-trace-id')).resolves.toBe(newest.traceID);
      await shot(page, '5-nojs-results');
      await first.locator('.trace-title').click();
      await page.waitForURL(new RegExp(`/trace/${newest.traceID}$`));
      const rows = page.locator('#timeline .span-row');
      expect(await rows.count()).toBe(newest.spans.length);
      // Details open without script: they are <details> elements.
      const reviewsServer = rows.filter({ has: page.locator('.kind-server') }).filter({ has: page.locator('.svc', { hasText: new RegExp(`^${w.reviews.replace('.', '\\.')}$`) }) });
      await reviewsServer.locator('summary .tl-name').click();
      await reviewsServer.locator('.span-detail').waitFor({ state: 'visible' });
      expect(await reviewsServer.locator('.span-detail').textContent()).toContain('span.kindserver');
      await expect(page.locator('[data-action="fold"]').first().isVisible()).resolves.toBe(false);
      await shot(page, '6-nojs-trace');
    } finally {
      await context.close();
    }
  });
});
