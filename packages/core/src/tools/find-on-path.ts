import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/**
 * The first executable file called `name` in the directories of `searchPath`
 * (a PATH value), as a shell would find it; undefined when there is none.
 *
 * Relative entries (`.`, an empty entry, `bin`) are skipped: they would make
 * the answer depend on the working directory, which in a workflow is the
 * checkout, so a repository could bring its own `helm`.
 */
export function findOnPath(name: string, searchPath: string = process.env.PATH ?? ''): string | undefined {
  if (!name || name.includes('/') || name.includes('\\')) throw new Error(`findOnPath needs a bare command name (got '${name}')`);
  for (const dir of searchPath.split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // missing or not executable here: keep looking, as a shell does
    }
  }
  return undefined;
}
