import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GitHttpServer {
  /** Base URL; a repository `<root>/x.git` is at `${url}/x.git`. */
  url: string;
  /** Every request's method, path and Authorization header, for assertions about what the client sent. */
  requests: { method: string; path: string; authorization: string | undefined; status: number }[];
  close(): Promise<void>;
}

export interface GitHttpServerOptions {
  /** Directory holding the bare repositories (`<root>/acme/gitops.git`). */
  root: string;
  /** The token that may read and push. */
  token: string;
  /** Tokens that may read but not push, as a GitHub token without `contents: write`. */
  readOnlyTokens?: readonly string[];
}

/** The token a request carries: the password of HTTP Basic (any user name), or a Bearer token. */
function presentedToken(authorization: string): string {
  const space = authorization.indexOf(' ');
  const scheme = authorization.slice(0, Math.max(space, 0)).toLowerCase();
  const credentials = authorization.slice(space + 1).trim();
  if (scheme === 'basic') return Buffer.from(credentials, 'base64').toString('utf8').split(':').slice(1).join(':');
  if (scheme === 'bearer') return credentials;
  return '';
}

/**
 * Smart HTTP in front of real `git http-backend`, enforcing what GitHub
 * enforces: the token as the password of HTTP Basic auth (any user name) or
 * as a Bearer token, 401 with a WWW-Authenticate challenge otherwise, and 403
 * for a push with a token that may only read. Listens on loopback only.
 */
export async function startGitHttpServer(options: GitHttpServerOptions): Promise<GitHttpServer> {
  const requests: GitHttpServer['requests'] = [];
  const expected = options.token;
  const readOnly = new Set(options.readOnlyTokens ?? []);

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const record = { method: req.method ?? '', path: url.pathname, authorization: req.headers.authorization, status: 0 };
    requests.push(record);
    res.on('finish', () => (record.status = res.statusCode));
    const token = presentedToken(req.headers.authorization ?? '');
    if (token === '' || (token !== expected && !readOnly.has(token))) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="GitHub"', 'Content-Type': 'text/plain' });
      res.end('Invalid username or token.\n');
      return;
    }
    const wantsPush = url.searchParams.get('service') === 'git-receive-pack' || url.pathname.endsWith('/git-receive-pack');
    if (wantsPush && token !== expected) {
      req.resume();
      const repository = url.pathname.replace(/^\//, '').replace(/\/(info\/refs|git-receive-pack)$/, '');
      res.writeHead(403, { 'Content-Type': 'text/plain' });
      res.end(`Permission to ${repository} denied to x-access-token.\n`);
      return;
    }
    const cgi = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH,
        GIT_PROJECT_ROOT: options.root,
        GIT_HTTP_EXPORT_ALL: '1',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        REQUEST_METHOD: req.method ?? 'GET',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
        GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
        REMOTE_USER: 'x-access-token',
        REMOTE_ADDR: '127.0.0.1',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    req.pipe(cgi.stdin);
    let head = Buffer.alloc(0);
    let headersDone = false;
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      headersDone = true;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of head.subarray(0, end).toString('utf8').split('\r\n')) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0]);
        else headers[name] = value;
      }
      res.writeHead(status, headers);
      res.write(head.subarray(end + 4));
    });
    cgi.stdout.on('end', () => res.end());
    cgi.on('error', () => {
      res.writeHead(500);
      res.end();
    });
  };

  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
