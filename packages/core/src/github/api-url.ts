import { InputError } from '../errors/errors.js';
import { neutraliseLine } from '../log/neutralise.js';

/**
 * Where GitHub's APIs are for a given server. On a runner GITHUB_API_URL says
 * it; elsewhere (the CLI, another CI) it follows from the server URL the way
 * GitHub lays its products out.
 */

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** The API root as a URL; plain http only on loopback, so a token never crosses a network in clear text. */
export function parseApiUrl(apiUrl: string): URL {
  let url: URL;
  try {
    url = new URL(apiUrl.trim());
  } catch {
    throw new InputError(`GitHub API URL '${neutraliseLine(apiUrl)}' is not a URL (expected e.g. https://api.github.com, the runner's GITHUB_API_URL)`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new InputError(`GitHub API URL '${neutraliseLine(url.origin)}' must use https (plain http is accepted only on loopback)`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new InputError('GitHub API URL must not carry credentials, a query or a fragment');
  }
  return url;
}

/** The REST root as octokit's baseUrl: no trailing slash, so `/repos/…` appends cleanly. */
export function restBaseUrl(api: URL): string {
  return `${api.origin}${api.pathname.replace(/\/+$/, '')}`;
}

/** GraphQL root for a REST root: `…/api/v3` (Enterprise Server) becomes `…/api`; elsewhere it is the same host. */
export function graphqlBaseUrl(rest: URL): string {
  return restBaseUrl(rest).replace(/\/api\/v3$/, '/api');
}

/**
 * The REST root for a server URL when GITHUB_API_URL is not set:
 * github.com → api.github.com; SUBDOMAIN.ghe.com → api.SUBDOMAIN.ghe.com;
 * any other host (GitHub Enterprise Server) → HOST/api/v3.
 */
export function apiUrlForServer(serverUrl: string): string {
  let server: URL;
  try {
    server = new URL(serverUrl.trim() || 'https://github.com');
  } catch {
    throw new InputError(`GitHub server URL '${neutraliseLine(serverUrl)}' is not a URL (expected e.g. https://github.com)`);
  }
  if (server.hostname === 'github.com') return 'https://api.github.com';
  if (server.hostname.endsWith('.ghe.com')) return `${server.protocol}//api.${server.host}`;
  return `${server.origin}/api/v3`;
}
