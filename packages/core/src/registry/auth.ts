import type { RegistryCredentials } from './credentials.js';
import type { HttpResponse, HttpTransport } from './http.js';
import { describeStatus, RegistryAuthError, RegistryError, safeServerText } from './registry-error.js';
import type { Challenge } from './www-authenticate.js';

/**
 * The distribution auth flow. A request goes out anonymously; a 401 carries a
 * challenge. Basic: send the credentials to the registry. Bearer: ask the
 * realm the registry declared for a token covering the scopes, with the
 * credentials as Basic auth (or the identity token as an OAuth refresh
 * token), and send the token. Credentials go to the registry's origin and the
 * realm's, nowhere else; the transport keeps them off redirects to other
 * hosts. Tokens are cached per (realm, service, scopes) until shortly before
 * they expire.
 */

export type RepositoryAction = 'pull' | 'push';

/** `repository:acme/app:pull,push` */
export function repositoryScope(repository: string, actions: readonly RepositoryAction[]): string {
  return `repository:${repository}:${[...new Set(actions)].join(',')}`;
}

/** The token endpoint's URL: realm plus service and one `scope` parameter per scope, as docker sends them. */
export function tokenUrl(realm: string, service: string | undefined, scopes: readonly string[]): URL {
  const url = new URL(realm);
  if (service) url.searchParams.set('service', service);
  for (const scope of [...new Set(scopes)].sort()) url.searchParams.append('scope', scope);
  return url;
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

const DEFAULT_TOKEN_LIFETIME_S = 60; // the token spec's default when expires_in is absent
const MAX_TOKEN_RESPONSE = 1024 * 1024;

export interface AuthenticatorOptions {
  /** The registry as users name it, for messages. */
  registry: string;
  transport: HttpTransport;
  credentials?: RegistryCredentials;
  /** Where the credentials came from, named in "refused" messages. */
  credentialsSource?: string;
  /** Told each token obtained, so the runner can mask it. */
  onSecret?: (value: string) => void;
  now?: () => number;
}

/** What the caller is doing, for messages that say exactly what was refused. */
export interface AuthPurpose {
  repository: string;
  actions: readonly RepositoryAction[];
}

export class RegistryAuthenticator {
  private challenge: Challenge | undefined;
  private readonly tokens = new Map<string, CachedToken>();
  private readonly pending = new Map<string, Promise<string>>();
  private readonly secretValues = new Set<string>();
  private readonly now: () => number;
  /** Token requests made, by URL; tests and logs read it. */
  readonly tokenRequests: URL[] = [];

  constructor(private readonly options: AuthenticatorOptions) {
    this.now = options.now ?? Date.now;
    const c = options.credentials;
    if (c) for (const s of [c.password, c.identityToken ?? '', basicValue(c)]) if (s) this.secretValues.add(s);
  }

  /** Every secret this authenticator knows, for redacting messages. */
  get secrets(): readonly string[] {
    return [...this.secretValues];
  }

  get hasChallenge(): boolean {
    return this.challenge !== undefined;
  }

  get hasCredentials(): boolean {
    return this.options.credentials !== undefined;
  }

  /** Records the registry's challenge; later requests authenticate up front. */
  learn(challenge: Challenge): void {
    this.challenge = challenge;
  }

  /** The Authorization header for a request needing `scopes`; undefined while anonymous works. */
  async authorization(scopes: readonly string[], purpose: AuthPurpose): Promise<string | undefined> {
    const challenge = this.challenge;
    if (!challenge) return undefined;
    if (challenge.scheme === 'basic') {
      const c = this.options.credentials;
      return c ? `Basic ${basicValue(c)}` : undefined;
    }
    if (challenge.scheme === 'bearer') return `Bearer ${await this.token(challenge, scopes, purpose)}`;
    throw new RegistryError(this.options.registry, `asks for '${challenge.scheme}' authentication, which is not supported (only Basic and Bearer are)`);
  }

  /** Forget a token the registry refused, so the next attempt asks again. */
  dropToken(scopes: readonly string[]): void {
    const challenge = this.challenge;
    if (challenge?.scheme === 'bearer') this.tokens.delete(cacheKey(challenge, scopes));
  }

  /** One token request per key at a time: parallel blob copies share the answer instead of each asking. */
  private token(challenge: Challenge, scopes: readonly string[], purpose: AuthPurpose): Promise<string> {
    const key = cacheKey(challenge, scopes);
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt > this.now()) return Promise.resolve(cached.token);
    let pending = this.pending.get(key);
    if (!pending) {
      pending = this.fetchToken(challenge, key, scopes, purpose).finally(() => this.pending.delete(key));
      this.pending.set(key, pending);
    }
    return pending;
  }

  private async fetchToken(challenge: Challenge, key: string, scopes: readonly string[], purpose: AuthPurpose): Promise<string> {

    const realm = challenge.params.realm;
    if (!realm) throw new RegistryError(this.options.registry, 'sent a Bearer challenge without a realm, so there is nowhere to get a token');
    let url: URL;
    try {
      url = tokenUrl(realm, challenge.params.service, scopes);
    } catch {
      throw new RegistryError(this.options.registry, `declared a token realm that is not a URL: ${safeServerText(realm, [])}`);
    }
    this.options.transport.assertSchemeAllowed(url, `token realm of ${this.options.registry}`);
    this.tokenRequests.push(url);

    const c = this.options.credentials;
    let response: HttpResponse;
    if (c?.identityToken) {
      // docker's OAuth flow: the refresh token is posted, never put in a URL.
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: c.identityToken, client_id: 'gitops-actions' });
      if (challenge.params.service) form.set('service', challenge.params.service);
      form.set('scope', [...new Set(scopes)].sort().join(' '));
      const postUrl = new URL(realm);
      response = await this.options.transport.request({
        method: 'POST',
        url: postUrl,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: Buffer.from(form.toString()),
        retry: true,
        bufferBody: MAX_TOKEN_RESPONSE,
      });
    } else {
      response = await this.options.transport.request({
        method: 'GET',
        url,
        headers: { accept: 'application/json' },
        ...(c ? { authorization: `Basic ${basicValue(c)}` } : {}),
        bufferBody: MAX_TOKEN_RESPONSE,
      });
    }

    if (response.status === 401 || response.status === 403) {
      const text = await response.errorText();
      throw this.refused(response.status, describeStatus(response.status, text), purpose, url.host);
    }
    if (response.status !== 200) {
      const text = await response.errorText();
      throw new RegistryError(
        url.host,
        `token endpoint for ${this.options.registry} answered ${safeServerText(describeStatus(response.status, text), this.secrets)}`,
        response.status,
      );
    }
    const body = await response.bytes(MAX_TOKEN_RESPONSE);
    let parsed: { token?: unknown; access_token?: unknown; expires_in?: unknown; issued_at?: unknown };
    try {
      parsed = JSON.parse(body.toString('utf8')) as typeof parsed;
    } catch {
      throw new RegistryError(url.host, `token endpoint for ${this.options.registry} did not answer JSON`);
    }
    const token = typeof parsed.token === 'string' && parsed.token ? parsed.token : typeof parsed.access_token === 'string' ? parsed.access_token : '';
    if (!token) throw new RegistryError(url.host, `token endpoint for ${this.options.registry} answered without a token`);
    this.secretValues.add(token);
    this.options.onSecret?.(token);
    const lifetime = typeof parsed.expires_in === 'number' && parsed.expires_in > 0 ? parsed.expires_in : DEFAULT_TOKEN_LIFETIME_S;
    // Renew a little early: a token that expires in flight costs a 401 and a retry.
    const margin = Math.min(30, lifetime / 10);
    this.tokens.set(key, { token, expiresAt: this.now() + (lifetime - margin) * 1000 });
    return token;
  }

  /**
   * The error for a refusal, worded for what the user can do about it:
   * no credentials, wrong credentials, or credentials without the permission.
   */
  refused(status: number, detail: string, purpose: AuthPurpose, host = this.options.registry): RegistryAuthError {
    const registry = this.options.registry;
    const what = `${purpose.actions.includes('push') ? 'push to' : 'pull from'} repository ${purpose.repository}`;
    const shown = safeServerText(detail, this.secrets);
    const source = this.options.credentialsSource ? ` (credentials from ${this.options.credentialsSource})` : '';
    let message: string;
    if (!this.options.credentials) {
      message = `registry ${registry} requires authentication to ${what} (${shown}): provide a username and password for ${registry}`;
    } else if (status === 403 || /insufficient_scope|DENIED/i.test(detail)) {
      message = `registry ${registry} denied the credentials permission to ${what} (${shown})${source}: check that the account may ${purpose.actions.includes('push') ? 'push to' : 'read'} ${purpose.repository}`;
    } else {
      message = `registry ${registry} refused the credentials for repository ${purpose.repository} (${shown})${source}: check username/password`;
    }
    return new RegistryAuthError(message, host, status);
  }
}

function basicValue(c: RegistryCredentials): string {
  return Buffer.from(`${c.username}:${c.password}`).toString('base64');
}

function cacheKey(challenge: Challenge, scopes: readonly string[]): string {
  return JSON.stringify([challenge.params.realm ?? '', challenge.params.service ?? '', [...new Set(scopes)].sort()]);
}
