/**
 * The package's root folder (where package.json and lessons/ sit). The code
 * runs from src/ under the test runner and from bundled chunks in dist/ after
 * the build, at different depths, so the root is found by walking up.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'kubetutor') return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error(`kubetutor's package.json not found above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}
