import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { InputError } from '../errors/errors.js';
import { applyDefaults, deepFreeze } from '../schema/apply-defaults.js';
import { checkValues, isPlainObject, type ValueProblem } from '../schema/check-values.js';
import { pathSegments } from '../schema/value-path.js';
import { loadYamlWithPositions } from '../yaml/load-yaml.js';
import type { YamlPositions } from '../yaml/yaml-positions.js';
import { checkConfigSemantics } from './config-checks.js';
import { gitopsConfigDescription, SECRET_KEYS, type GitopsConfigValues } from './gitops-config-description.js';
import { GitopsConfigError, type ConfigProblem } from './gitops-config-error.js';

/** The usual name, at the root of the app repository. */
export const DEFAULT_CONFIG_FILE = 'gitops.yaml';

/** gitops.yaml is a page of settings; anything near this size is not one. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** Where a loaded gitops.yaml came from, to resolve its relative paths and to point at its lines. */
export interface ConfigSource {
  /** The file as messages name it: relative to the workspace, e.g. `gitops.yaml` or `services/api/gitops.yaml`. */
  readonly file: string;
  /** Its directory relative to the workspace, with '/' separators; '' at the root. Paths in the file are relative to it. */
  readonly directory: string;
  /** A problem at a JSON path of the file, placed at the line that wrote it (or the closest one that did). */
  problemAt(path: string, message: string): ConfigProblem;
  /** The error for problems found after loading (missing values files, a step's missing settings). */
  error(problems: readonly ConfigProblem[]): GitopsConfigError;
}

/** gitops.yaml, checked and typed. Settings the file leaves out are absent: the actions apply their own defaults. */
export type GitopsConfig = GitopsConfigValues & { readonly source: ConfigSource };

/**
 * Reads and checks gitops.yaml. Every problem is reported at once, each at
 * `file:line:column` with its path and, for a mistyped key or value, the
 * closest valid one: first the structure (types, unknown keys, patterns),
 * then, on a file that has the right structure, what relates keys to each
 * other (promote-from names an environment, no cycles, no two environments
 * writing one directory). `path` is relative to `workspace` and must stay
 * inside it.
 */
export function loadGitopsConfig(path: string, options: { workspace: string }): GitopsConfig {
  const workspace = resolve(options.workspace);
  const absolute = resolve(workspace, path);
  const inside = relative(workspace, absolute);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) {
    throw new InputError(`the config file ${path} must be a file inside the workspace ${workspace}`);
  }
  const file = inside.split(sep).join('/');
  const stat = statSync(absolute, { throwIfNoEntry: false });
  if (!stat) throw new InputError(`${file} does not exist in the workspace ${workspace} (the config file describes the app and its environments)`);
  if (!stat.isFile()) throw new InputError(`${file} is not a file`);
  if (stat.size > MAX_CONFIG_BYTES) throw new InputError(`${file} is ${stat.size} bytes; a config file may have at most ${MAX_CONFIG_BYTES}`);

  const text = readFileSync(absolute, 'utf8');
  const loaded = loadYamlWithPositions(text, { file }, { maxBytes: MAX_CONFIG_BYTES });
  const directory = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
  const source = configSource(file, directory, text, loaded.positions);

  if (loaded.value === undefined || loaded.value === null) {
    throw source.error([{ path: '', message: 'the file is empty; it needs at least app and environments' }]);
  }
  if (!isPlainObject(loaded.value)) {
    throw source.error([{ ...source.problemAt('', ''), message: 'expected a map of settings (app, image, environments, …) at the top level' }]);
  }
  const given = withEmptyEnvironments(loaded.value);
  const structural = checkValues(gitopsConfigDescription, given);
  if (structural.length > 0) throw source.error(placed(source, structural, given));
  const config = applyDefaults(gitopsConfigDescription, given) as GitopsConfigValues;
  const semantic = checkConfigSemantics(config);
  if (semantic.length > 0) throw source.error(placed(source, semantic, given));
  return deepFreeze({ ...config, source });
}

/**
 * `preview:` with nothing under it is an environment that takes everything
 * from the top level. In the values layering a null unsets a key; here it
 * would make the environment vanish, so it is read as `{}`.
 */
function withEmptyEnvironments(value: Record<string, unknown>): Record<string, unknown> {
  const environments = value.environments;
  if (!isPlainObject(environments)) return value;
  const filled = Object.fromEntries(Object.entries(environments).map(([name, env]) => [name, env === null ? {} : env]));
  return { ...value, environments: filled };
}

function placed(source: ConfigSource, problems: readonly ValueProblem[], given: unknown): ConfigProblem[] {
  const located = problems.map((p) => {
    const problem = source.problemAt(p.path, p.message);
    return holdsSecret(given, pathSegments(p.path) ?? []) ? { ...problem, sensitive: true } : problem;
  });
  // In the file's order, as a compiler lists them; a stable sort keeps the checker's order within a line.
  return located.sort((a, b) => (a.location?.line ?? Infinity) - (b.location?.line ?? Infinity) || (a.location?.column ?? 0) - (b.location?.column ?? 0));
}

/** A value under a key secrets are written under, or a URL with a password in it. */
function holdsSecret(given: unknown, segments: readonly (string | number)[]): boolean {
  if (segments.some((segment) => typeof segment === 'string' && SECRET_KEYS.has(segment))) return true;
  let value = given;
  for (const segment of segments) value = typeof value === 'object' && value !== null ? (value as Record<string | number, unknown>)[segment] : undefined;
  return typeof value === 'string' && /:\/\/[^/\s@]*:[^/\s@]*@/.test(value);
}

function configSource(file: string, directory: string, text: string, positions: () => YamlPositions): ConfigSource {
  return {
    file,
    directory,
    problemAt(path, message) {
      const segments = pathSegments(path);
      const location = segments ? positions().locationOf(segments) : undefined;
      return location ? { path, message, location } : { path, message };
    },
    error(problems) {
      return new GitopsConfigError(file, problems, text);
    },
  };
}
