import { InputError } from '../errors/errors.js';

/**
 * The Argo CD server the step talks to. The token travels in a header on
 * every request, so plain HTTP is refused unless the workflow says
 * `insecure` (a test cluster); credentials, a query or a fragment in the URL
 * are refused outright: they would end up in logs and in the requests we build.
 */
export interface ArgoCdServer {
  /** Origin plus any path prefix (Argo CD behind `--rootpath`), without a trailing slash. */
  readonly base: URL;
  /** Skip TLS certificate checks and allow http://. */
  readonly insecure: boolean;
}

export function parseArgoCdUrl(raw: string, insecure: boolean, name = 'argocd-url'): ArgoCdServer {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new InputError(`input '${name}' must be the Argo CD server's URL, e.g. https://argocd.example.com (got '${shorten(raw)}')`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(`input '${name}' must be an https:// URL (got ${url.protocol}//…)`);
  }
  if (url.protocol === 'http:' && !insecure) {
    throw new InputError(
      `input '${name}' is plain http (${url.host}): the token would cross the network unencrypted. Use https://, or set 'insecure: true' for a test cluster`,
    );
  }
  if (url.username || url.password) throw new InputError(`input '${name}' must not carry credentials; pass the token as 'argocd-token'`);
  if (url.search || url.hash) throw new InputError(`input '${name}' must not have a query or fragment (got '${shorten(url.origin + url.pathname)}…')`);
  const base = new URL(url.href.replace(/\/+$/, ''));
  return { base, insecure };
}

/** `GET /api/v1/applications/{name}` under the server's base path. */
export function applicationUrl(server: ArgoCdServer, application: string, query: Record<string, string> = {}): URL {
  return apiUrl(server, `/api/v1/applications/${encodeURIComponent(application)}`, query);
}

/** `GET /api/v1/applications/{name}/manifests`: the manifests Argo CD generates for the Application (at `?revision=`). */
export function applicationManifestsUrl(server: ArgoCdServer, application: string, query: Record<string, string> = {}): URL {
  return apiUrl(server, `/api/v1/applications/${encodeURIComponent(application)}/manifests`, query);
}

function apiUrl(server: ArgoCdServer, path: string, query: Record<string, string>): URL {
  const url = new URL(`${server.base.href.replace(/\/+$/, '')}${path}`);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return url;
}

function shorten(raw: string): string {
  return raw.length > 80 ? `${raw.slice(0, 77)}...` : raw;
}
