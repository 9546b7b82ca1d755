/**
 * The page script's text. A built kubetutor carries it (scripts/build.mjs
 * defines `__KUBETUTOR_JAEGER_WEB_JS__`); run from source, it is bundled with
 * esbuild (a development dependency) on first use and kept.
 */
declare const __KUBETUTOR_JAEGER_WEB_JS__: string | undefined;

let cached: Promise<string> | undefined;

export function clientScript(): Promise<string> {
  if (typeof __KUBETUTOR_JAEGER_WEB_JS__ === 'string') return Promise.resolve(__KUBETUTOR_JAEGER_WEB_JS__);
  cached ??= bundleFromSource().catch((err: unknown) => {
    cached = undefined;
    throw err;
  });
  return cached;
}

async function bundleFromSource(): Promise<string> {
  // A computed specifier, so the production bundle never tries to include esbuild.
  const bundler = new URL('../../../../scripts/jaeger-web-bundle.mjs', import.meta.url).href;
  const mod = (await import(bundler)) as { bundleJaegerWebScript: () => Promise<string> };
  return mod.bundleJaegerWebScript();
}
