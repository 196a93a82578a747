import { homedir } from 'node:os';
import { join } from 'node:path';
import { Git } from '../git/git.js';
import { githubContext } from './github-runtime.js';
import type { RunContext } from './runtime.js';

/**
 * The run context outside the Actions runner: the CLI on a laptop or in
 * another CI. `GITHUB_*` variables win when present, so a pipeline elsewhere
 * can hand over the provenance it knows; what is missing comes from the git
 * checkout the command runs in. Nothing here fails: outside a repository the
 * git fields are simply empty, as they are for a runner without a checkout.
 */
export async function localContext(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Promise<RunContext> {
  const fromEnv = githubContext(env);
  const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const git = new Git({ cwd });
  // Each answer is optional: no git, no repository, a detached HEAD or no origin all leave the field empty.
  const ask = (args: string[]) => git.text(args, { timeoutMs: 10_000 }).catch(() => '');
  const [sha, ref, origin] = await Promise.all([
    fromEnv.sha || ask(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']),
    fromEnv.ref || ask(['symbolic-ref', '--quiet', 'HEAD']),
    fromEnv.repository ? '' : ask(['remote', 'get-url', 'origin']),
  ]);
  return {
    ...fromEnv,
    sha,
    ref,
    repository: fromEnv.repository || githubRepositoryOf(origin, hostOf(serverUrl)),
    // Paths on a command line are relative to where it was typed, not to GITHUB_WORKSPACE.
    workspace: cwd,
    serverUrl,
    apiUrl: env.GITHUB_API_URL || (serverUrl === 'https://github.com' ? 'https://api.github.com' : `${serverUrl}/api/v3`),
    // A terminal has no per-job tool cache; a per-user one saves downloading helm on every run.
    toolCache: fromEnv.toolCache || join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'gitops-actions', 'tools'),
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}

const SEGMENT = /^[A-Za-z0-9_.-]+$/;

/**
 * `owner/name` when `remote` is a repository on the GitHub server `host`
 * (https, ssh:// or scp-like `git@host:owner/name.git`); '' for any other
 * remote. Credentials a URL may carry are never part of the answer.
 */
export function githubRepositoryOf(remote: string, host = 'github.com'): string {
  const text = remote.trim();
  if (!text || !host) return '';
  let remoteHost: string;
  let path: string;
  const scp = /^(?:[^@/:]+@)?([^/:]+):(?!\/)(.+)$/.exec(text);
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    remoteHost = scp[1]!;
    path = scp[2]!;
  } else {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return '';
    }
    if (!['https:', 'http:', 'ssh:', 'git:'].includes(url.protocol)) return '';
    remoteHost = url.hostname;
    path = decodeURIComponent(url.pathname);
  }
  if (remoteHost.toLowerCase() !== host.toLowerCase()) return '';
  const segments = path.replace(/^\/+/, '').replace(/\/+$/, '').replace(/\.git$/, '').split('/');
  if (segments.length !== 2 || !segments.every((s) => SEGMENT.test(s) && s !== '.' && s !== '..')) return '';
  return segments.join('/');
}
