import type { getOctokit } from '@actions/github';

/**
 * The only module that touches @actions/github, and only through a dynamic
 * import(): the library adds about 0.6 MB to a minified bundle and about
 * 100 ms to start-up (measured with ncc 0.45 on Node 20), which push mode must
 * not pay. ncc turns the import() into a separate chunk next to the bundle
 * (`dist/<name>/<id>.index.js`, not minified by ncc: about 1.2 MB) that is
 * read only when pull-request mode asks for it.
 *
 * Loading it has side effects we accept: @actions/github reads and parses
 * GITHUB_EVENT_PATH for its `context`, and picks its proxy agent for
 * GITHUB_API_URL from the environment (HTTPS_PROXY/NO_PROXY).
 */

export type Octokit = ReturnType<typeof getOctokit>;

export interface OctokitLog {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface LoadedOctokit {
  octokit: Octokit;
  /** How long the import took, for the debug log and the benchmark. */
  loadMs: number;
}

export async function loadOctokit(options: { token: string; baseUrl: string; userAgent: string; log: OctokitLog }): Promise<LoadedOctokit> {
  const started = performance.now();
  const github = await import('@actions/github');
  const loadMs = performance.now() - started;
  // getOctokit keeps @actions/github's request defaults (its proxy-aware fetch); only baseUrl,
  // user agent and log are ours. The token becomes an `Authorization: token …` header and is
  // redacted from octokit's own error objects.
  const octokit = github.getOctokit(options.token, { baseUrl: options.baseUrl, userAgent: options.userAgent, log: options.log });
  return { octokit, loadMs };
}
