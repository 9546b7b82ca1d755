/**
 * vitest globalSetup: with KT_HOLD_15032=1, the whole run happens while 127.0.0.1:15032 (the
 * lesson's dashboard port) is held by something else that answers HTTP 200 to every request, as a
 * learner's own port-forward or a lesson left open would. A test that needs 15032 free, or that
 * reaches the dashboard there instead of at its moved port, then fails: the suite proves that no
 * test depends on the fixed port. Already held by another process: that holds it just as well.
 */
import http from 'node:http';

const PORT = 15032;

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.KT_HOLD_15032 !== '1') return undefined;
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html><body>not the Jaeger dashboard: 127.0.0.1:15032 is held by the test run (KT_HOLD_15032=1)</body></html>\n');
  });
  const held = await new Promise<boolean>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => (e.code === 'EADDRINUSE' ? resolve(false) : reject(e)));
    server.listen(PORT, '127.0.0.1', () => resolve(true));
  });
  console.log(held ? `KT_HOLD_15032: the test run holds 127.0.0.1:${PORT}` : `KT_HOLD_15032: 127.0.0.1:${PORT} is already held by another process`);
  if (!held) return undefined;
  return () => new Promise<void>((r) => server.close(() => r()));
}
