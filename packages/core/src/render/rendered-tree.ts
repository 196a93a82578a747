import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { InputError } from '../errors/errors.js';

/** One file of the rendered tree, by its path below `<app>--<environment>/`. */
export interface RenderedFile {
  path: string;
  content: string;
}

export interface WrittenTree {
  /** `<output>/<app>--<environment>` */
  dir: string;
  files: string[];
  /** sha256 over every path and content, in path order: equal inputs give equal digests. */
  digest: string;
}

export function treeDigest(files: readonly RenderedFile[]): string {
  const hash = createHash('sha256');
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    hash.update(`${f.path}\0${createHash('sha256').update(f.content).digest('hex')}\n`);
  }
  return `sha256:${hash.digest('hex')}`;
}

/**
 * Writes the tree as a fresh directory: built next to the target, then
 * swapped in, so a template removed from the chart leaves no stale file and
 * a failed render leaves the previous tree untouched. Paths are checked
 * before anything is written: nothing lands outside the directory.
 */
export function writeRenderedTree(output: string, name: string, rendered: readonly RenderedFile[]): WrittenTree {
  const files = rendered.map((f) => ({ path: f.path, content: f.content.replace(/\r\n?/g, '\n') }));
  for (const f of files) {
    const n = normalize(f.path);
    if (isAbsolute(f.path) || n.startsWith(`..${sep}`) || n === '..' || n.includes(`${sep}..${sep}`)) {
      throw new InputError(`rendered file '${f.path}' would land outside ${name}/`);
    }
  }
  const dir = join(output, name);
  const staging = join(output, `.${name}.rendering-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    // Every file of a chart shares `<chart>/templates/`: one mkdir per directory, not per file.
    for (const d of new Set([staging, ...files.map((f) => dirname(join(staging, f.path)))])) mkdirSync(d, { recursive: true });
    for (const f of files) writeFileSync(join(staging, f.path), f.content);
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  return { dir, files: files.map((f) => f.path).sort(), digest: treeDigest(files) };
}
