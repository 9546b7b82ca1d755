/** Which of some commands are on PATH (executable files), the way a shell would find them. */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export function onPath(names: Iterable<string>, pathVar = process.env.PATH ?? ''): Set<string> {
  const dirs = pathVar.split(delimiter).filter(Boolean);
  const found = new Set<string>();
  for (const name of names) {
    for (const dir of dirs) {
      const file = join(dir, name);
      try {
        accessSync(file, constants.X_OK);
        if (statSync(file).isFile()) {
          found.add(name);
          break;
        }
      } catch {
        /* not here */
      }
    }
  }
  return found;
}
