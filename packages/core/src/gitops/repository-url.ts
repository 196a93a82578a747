import { InputError } from '../errors/errors.js';

/** The GitOps repository as git reaches it, and what we can say about it for links and pull requests. */
export interface GitopsRemote {
  /** What git fetches from and pushes to; never carries a credential. */
  url: string;
  transport: 'https' | 'http' | 'ssh' | 'file';
  /** `scheme://host[:port]/` for HTTP(S): the token's header is scoped to it, so a redirect elsewhere never gets it. */
  httpOrigin: string;
  /** The repository on the GitHub server the workflow runs on, when it is one. */
  github?: GitHubRepository;
}

export interface GitHubRepository {
  owner: string;
  repo: string;
  /** e.g. https://github.com/acme/gitops */
  webUrl: string;
}

const OWNER_NAME = /^([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)\/([A-Za-z0-9._-]+)$/;
// user@host:path, as git itself reads it: no '/' before the ':' and no '://'. Not `x::y`, which
// git reads as the remote helper x (ext:: runs commands), and nothing that could be an option.
const SCP_LIKE = /^([A-Za-z0-9_][A-Za-z0-9._-]*@)?([A-Za-z0-9][A-Za-z0-9.-]*):(?!\/\/|:|-)(\S+)$/;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function withoutGitSuffix(name: string): string {
  return name.endsWith('.git') ? name.slice(0, -'.git'.length) : name;
}

/** owner/name from the last two segments of a path on the GitHub server, when the path has exactly two. */
function githubFromPath(serverUrl: URL, path: string): GitHubRepository | undefined {
  const parts = path.replace(/^\/+|\/+$/g, '').split('/');
  const serverPath = serverUrl.pathname.replace(/^\/+|\/+$/g, '');
  const prefix = serverPath === '' ? [] : serverPath.split('/');
  if (parts.length !== prefix.length + 2 || prefix.some((p, i) => parts[i] !== p)) return undefined;
  const owner = parts[prefix.length]!;
  const repo = withoutGitSuffix(parts[prefix.length + 1]!);
  if (!OWNER_NAME.test(`${owner}/${repo}`)) return undefined;
  return { owner, repo, webUrl: `${serverUrl.origin}${serverPath ? `/${serverPath}` : ''}/${owner}/${repo}` };
}

function describe(input: string): string {
  return input.length > 100 ? `'${input.slice(0, 97)}...'` : `'${input}'`;
}

/**
 * Reads the `repository` input: `owner/name` on the workflow's GitHub server
 * (`${GITHUB_SERVER_URL}/owner/name.git`, or `git@host:owner/name.git` when an
 * SSH key is given), or a git URL. Credentials in a URL are refused: they
 * would end up in `.git/config` and in logs.
 */
export function resolveRepository(input: string, options: { serverUrl: string; sshKey: boolean; token: boolean }): GitopsRemote {
  const server = new URL(options.serverUrl || 'https://github.com');
  const text = input.trim();
  const shorthand = OWNER_NAME.exec(text);
  if (shorthand) {
    const owner = shorthand[1]!;
    const repo = withoutGitSuffix(shorthand[2]!);
    const serverPath = server.pathname.replace(/\/+$/, '');
    const github = { owner, repo, webUrl: `${server.origin}${serverPath}/${owner}/${repo}` };
    if (options.sshKey) {
      return { url: `git@${server.hostname}:${owner}/${repo}.git`, transport: 'ssh', httpOrigin: '', github };
    }
    return checkHttp({ url: `${github.webUrl}.git`, transport: server.protocol === 'http:' ? 'http' : 'https', httpOrigin: `${server.origin}/`, github }, options);
  }

  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new InputError(`input 'repository' is not a valid URL: ${describe(text)}`);
    }
    const scheme = url.protocol.slice(0, -1).toLowerCase();
    if (scheme === 'https' || scheme === 'http') {
      if (url.username || url.password) {
        throw new InputError(
          "input 'repository' must not carry credentials in the URL (they would be written to .git/config and logs); give the token in input 'token'",
        );
      }
      if (url.search || url.hash) throw new InputError(`input 'repository': a git URL has no query or fragment (got ${describe(text)})`);
      const github = url.host === server.host ? githubFromPath(server, url.pathname) : undefined;
      return checkHttp({ url: url.href, transport: scheme, httpOrigin: `${url.origin}/`, ...(github ? { github } : {}) }, options);
    }
    if (scheme === 'ssh') {
      if (url.password) throw new InputError("input 'repository' must not carry a password in the URL; use input 'ssh-key'");
      const github = url.hostname === server.hostname ? githubFromPath(server, url.pathname) : undefined;
      return checkSsh({ url: url.href, transport: 'ssh', httpOrigin: '', ...(github ? { github } : {}) }, options);
    }
    if (scheme === 'file') {
      if (options.sshKey) throw new InputError("input 'ssh-key' is for ssh:// repositories; this one is file://");
      return { url: url.href, transport: 'file', httpOrigin: '' };
    }
    throw new InputError(`input 'repository': the ${scheme}:// transport is not supported; use owner/name, https://, ssh:// or file://`);
  }

  const scp = SCP_LIKE.exec(text);
  if (scp && !text.startsWith('-')) {
    const host = scp[2]!;
    const github = host === server.hostname ? githubFromPath(server, `/${scp[3]!}`) : undefined;
    return checkSsh({ url: text, transport: 'ssh', httpOrigin: '', ...(github ? { github } : {}) }, options);
  }
  throw new InputError(
    `input 'repository' must be owner/name, or a git URL starting with https://, ssh:// or file:// (got ${describe(text)})`,
  );
}

function checkHttp(remote: GitopsRemote, options: { sshKey: boolean; token: boolean }): GitopsRemote {
  if (options.sshKey) {
    throw new InputError(`input 'ssh-key' needs an ssh repository (owner/name, ssh://… or git@host:path); ${remote.url} is ${remote.transport}`);
  }
  const host = new URL(remote.url).host.replace(/:\d+$/, '');
  if (remote.transport === 'http' && options.token && !LOOPBACK.has(host)) {
    throw new InputError(`refusing to send the token to ${remote.url} over plain http; use https`);
  }
  return remote;
}

function checkSsh(remote: GitopsRemote, options: { token: boolean }): GitopsRemote {
  if (options.token) throw new InputError(`input 'token' is for https repositories; ${remote.url} is reached over ssh: use input 'ssh-key'`);
  return remote;
}

/** The web page of a commit, for GitHub repositories; '' elsewhere. */
export function commitUrl(remote: GitopsRemote, sha: string): string {
  return remote.github && sha ? `${remote.github.webUrl}/commit/${sha}` : '';
}
