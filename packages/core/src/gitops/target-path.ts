import { basename } from 'node:path';
import { InputError } from '../errors/errors.js';

/**
 * One segment of a directory in the GitOps repository. Letters, digits, `.`,
 * `_` and `-`, starting with a letter or digit: that rules out `..`, `.git`,
 * hidden directories, glob characters and anything a shell or a pathspec
 * would read specially, and still allows every `<app>--<env>` name and
 * nested layouts such as `clusters/prod-eu/verity-api--production`.
 */
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const MAX_PATH = 255;

/** The target directory for the `path` input: itself, or by default the source directory's name; checked (validateTargetPath). */
export function targetPathFor(path: string, sourceDir: string): string {
  return validateTargetPath(path || basename(sourceDir));
}

/** Checks the `path` input (already defaulted) and returns it normalised (no trailing '/'). */
export function validateTargetPath(path: string): string {
  const shown = path.length > 80 ? `'${path.slice(0, 77)}...'` : `'${path}'`;
  if (path === '' || path === '.' || path === './' || path === '/') {
    throw new InputError(`input 'path' must name a directory inside the GitOps repository, not its root (got ${shown})`);
  }
  if (path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path)) {
    throw new InputError(`input 'path' must be relative to the GitOps repository root (got the absolute path ${shown})`);
  }
  if (path.includes('\\')) throw new InputError(`input 'path' must use '/' between directories (got ${shown})`);
  const trimmed = path.replace(/\/+$/, '');
  const segments = trimmed.split('/');
  if (segments.includes('..')) throw new InputError(`input 'path' must stay inside the GitOps repository: it contains '..' (got ${shown})`);
  if (segments.some((s) => s === '' || s === '.')) throw new InputError(`input 'path' has an empty or '.' segment (got ${shown})`);
  if (trimmed.length > MAX_PATH) throw new InputError(`input 'path' is longer than ${MAX_PATH} characters`);
  for (const segment of segments) {
    if (!SEGMENT.test(segment)) {
      throw new InputError(
        `input 'path': each directory name must start with a letter or digit and contain only letters, digits, '.', '_' and '-' (got '${segment}' in ${shown})`,
      );
    }
  }
  return trimmed;
}

/** App and environment from the canonical `<app>--<environment>` directory name; environment '' when the name has no `--`. */
export function appAndEnvironment(path: string): { app: string; environment: string } {
  const name = path.split('/').at(-1) ?? path;
  const at = name.lastIndexOf('--');
  if (at <= 0 || at + 2 >= name.length) return { app: name, environment: '' };
  return { app: name.slice(0, at), environment: name.slice(at + 2) };
}
