import { lstatSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors/errors.js';

/** A file of the desired state, by its path below the source directory. */
export interface SourceFile {
  /** Relative, '/'-separated, e.g. `monochart/templates/deployment.yaml`. */
  path: string;
  absolute: string;
  executable: boolean;
}

/**
 * The files of the rendered directory, checked before anything else happens.
 * Only regular files and directories: a symbolic link could point anywhere
 * (git would store the link, and Argo CD would read whatever it points to on
 * its side), and a `.git` inside would turn the directory into a submodule.
 * An empty source is refused: committing it would delete the app.
 */
export function scanSource(source: string, shown = source): SourceFile[] {
  const top = statSync(source, { throwIfNoEntry: false });
  if (!top) throw new InputError(`input 'source': ${shown} does not exist (give the rendered directory, e.g. the render step's 'path' output)`);
  if (!top.isDirectory()) throw new InputError(`input 'source': ${shown} is not a directory`);
  const files: SourceFile[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      const absolute = join(dir, entry.name);
      if (entry.name.toLowerCase() === '.git') {
        throw new InputError(`input 'source': ${shown}/${rel} is a git repository or link; the desired state must be plain files`);
      }
      // eslint-disable-next-line no-control-regex
      if (/[\u0000-\u001f\u007f]/.test(entry.name)) {
        throw new InputError(`input 'source': ${shown}/${JSON.stringify(rel).slice(1, -1)} has a control character in its name`);
      }
      if (entry.isSymbolicLink()) {
        throw new InputError(
          `input 'source': ${shown}/${rel} is a symbolic link; refusing, the desired state must be plain files (a link could point outside the source)`,
        );
      }
      if (entry.isDirectory()) walk(absolute, rel);
      else if (entry.isFile()) files.push({ path: rel, absolute, executable: (lstatSync(absolute).mode & 0o111) !== 0 });
      else throw new InputError(`input 'source': ${shown}/${rel} is not a regular file or directory`);
    }
  };
  walk(source, '');
  if (files.length === 0) {
    throw new InputError(
      `input 'source': ${shown} has no files; refusing to commit an empty desired state, which would delete the app from the cluster ` +
        '(did the render step run, and is this its output?)',
    );
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
