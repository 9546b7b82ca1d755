/**
 * Bundles the sandbox's Jaeger web page script (src/sandbox/workloads/jaeger-web/browser.ts)
 * for the browser and returns its text. scripts/build.mjs puts that text into
 * dist/ at build time; when kubetutor runs from source (the tests), the page
 * calls this on its first script request instead.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

export async function bundleJaegerWebScript(root = fileURLToPath(new URL('..', import.meta.url))) {
  const out = await build({
    absWorkingDir: root,
    entryPoints: ['src/sandbox/workloads/jaeger-web/browser.ts'],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  return out.outputFiles[0].text;
}
