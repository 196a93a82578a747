import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadYamlDocuments } from './load-yaml.js';

const MANIFEST = /\.(ya?ml|json)$/i;

/** A YAML or JSON file of a rendered directory. */
export interface ManifestFile {
  /** Below the directory, '/'-separated. */
  path: string;
  text: string;
  /** Its documents; throws InputError when it is not YAML. Parsed on demand: a caller may skip a file by its text. */
  documents(): unknown[];
}

/** A file of a rendered directory held in memory (read from git objects); undefined unless its name is a manifest's. */
export function manifestFile(path: string, text: string): ManifestFile | undefined {
  if (!MANIFEST.test(path)) return undefined;
  return { path, text, documents: () => loadYamlDocuments(text, { file: path }) };
}

/**
 * The YAML and JSON files below a rendered directory (a GitOps checkout of
 * it, usually). Symbolic links are never followed: in a clone of somebody
 * else's repository they could point anywhere. No directory: no files.
 */
export function manifestFiles(dir: string): ManifestFile[] {
  const files: ManifestFile[] = [];
  const walk = (current: string, prefix: string) => {
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      const absolute = join(current, entry.name);
      if (entry.isDirectory()) walk(absolute, path);
      else if (entry.isFile() && MANIFEST.test(entry.name)) files.push(manifestFile(path, readFileSync(absolute, 'utf8'))!);
    }
  };
  if (lstatSync(dir, { throwIfNoEntry: false })?.isDirectory()) walk(dir, '');
  return files;
}

/** Every document of every file that parses; a file that does not is left out (its caller reports it, or it shows as drift). */
export function manifestDocuments(dir: string): unknown[] {
  return manifestFiles(dir).flatMap((file) => {
    try {
      return file.documents();
    } catch {
      return [];
    }
  });
}
