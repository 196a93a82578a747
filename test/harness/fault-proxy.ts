import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';

/**
 * A loopback HTTP proxy in front of the real registry that misbehaves on request: rate
 * limits, server errors, redirects to another host, hung or dropped connections, truncated
 * bodies. Everything it does not fault passes through untouched (bodies streamed both
 * ways, headers kept), so the registry's own behaviour stays real.
 */

/** What to do instead of (or while) forwarding a matching request. */
export type Fault =
  /** Answer with this status and headers (e.g. 429 + `Retry-After: 1`, 503, 500) without forwarding. */
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  /** Answer `status` (default 307) with `Location: <to><original path and query>`, e.g. to a recording server. */
  | { kind: 'redirect'; to: string; status?: 301 | 302 | 303 | 307 | 308 }
  /** Read the request and never answer, until the client gives up or the proxy closes. */
  | { kind: 'hang' }
  /** Close the connection without a response (the client sees EOF / "socket hang up"). */
  | { kind: 'close' }
  /** Reset the connection (TCP RST; the client sees ECONNRESET). */
  | { kind: 'reset' }
  /** Forward, send the response headers and the first `afterBytes` of the body, then drop the connection. */
  | { kind: 'truncate'; afterBytes: number };

/** Which requests a fault applies to, and how many times. */
export interface FaultMatch {
  /** HTTP method, case-insensitive; any when omitted. */
  method?: string;
  /** Tested against the request path including the query string; any when omitted. */
  path?: RegExp;
  /** How many matching requests get the fault; default 1. */
  times?: number;
}

export type FaultRule = Fault & FaultMatch;

export interface InjectedFault {
  readonly rule: FaultRule;
  /** How many requests got this fault so far. */
  readonly hits: number;
  /** How many more will. */
  readonly remaining: number;
}

export interface ProxiedRequest {
  method: string;
  /** Path and query string as the client sent them. */
  path: string;
  headers: IncomingHttpHeaders;
  hasAuthorization: boolean;
  /** The kind of the fault injected, if any. */
  fault?: Fault['kind'];
  /** The status the client got (absent for hang/close/reset, or while still in flight). */
  status?: number;
}

export interface FaultProxy {
  /** `http://127.0.0.1:PORT` — use instead of the registry's URL. */
  url: string;
  /** `127.0.0.1:PORT` — the registry part of image references that go through the proxy. */
  host: string;
  /** Faults apply first-injected first; a request gets at most one. */
  inject(rule: FaultRule): InjectedFault;
  clearFaults(): void;
  requests: ProxiedRequest[];
  close(): Promise<void>;
}

export async function startFaultProxy(options: { target: string }): Promise<FaultProxy> {
  const target = new URL(options.target);
  if (target.protocol !== 'http:') throw new Error(`fault proxy target must be http:// (got ${options.target})`);
  const requests: ProxiedRequest[] = [];
  const faults: { rule: FaultRule; hits: number; remaining: number }[] = [];
  // A private agent so close() can drop upstream connections too.
  const agent = new Agent({ keepAlive: true });
  let proxyOrigin = '';

  const takeFault = (req: IncomingMessage): FaultRule | undefined => {
    const entry = faults.find(
      (f) =>
        f.remaining > 0 &&
        (f.rule.method === undefined || f.rule.method.toUpperCase() === req.method) &&
        (f.rule.path === undefined || f.rule.path.test(req.url ?? '')),
    );
    if (!entry) return undefined;
    entry.remaining--;
    entry.hits++;
    return entry.rule;
  };

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const record: ProxiedRequest = {
      method: req.method ?? '',
      path: req.url ?? '/',
      headers: { ...req.headers },
      hasAuthorization: req.headers.authorization !== undefined,
    };
    requests.push(record);
    const fault = takeFault(req);
    if (fault) record.fault = fault.kind;
    const respond = (status: number, headers: OutgoingHttpHeaders, body?: string) => {
      record.status = status;
      res.writeHead(status, headers);
      res.end(body);
    };

    switch (fault?.kind) {
      case 'status':
        req.resume();
        respond(fault.status, { 'Content-Type': 'application/json', ...fault.headers }, fault.body ?? '');
        return;
      case 'redirect':
        req.resume();
        respond(fault.status ?? 307, { Location: `${fault.to.replace(/\/$/, '')}${req.url ?? '/'}`, 'Content-Length': 0 });
        return;
      case 'hang':
        req.resume();
        return;
      case 'close':
        req.socket.destroy();
        return;
      case 'reset':
        req.socket.resetAndDestroy();
        return;
      default:
        break;
    }

    const headers: OutgoingHttpHeaders = { ...req.headers, host: target.host };
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent },
      (upstreamRes) => {
        const responseHeaders: OutgoingHttpHeaders = { ...upstreamRes.headers };
        const location = upstreamRes.headers.location;
        // Absolute Locations (upload URLs, redirects) name the registry; clients must keep
        // talking to the proxy, or faults would silently stop applying mid-push.
        if (location?.startsWith(target.origin)) responseHeaders.location = proxyOrigin + location.slice(target.origin.length);
        record.status = upstreamRes.statusCode ?? 502;
        res.writeHead(record.status, upstreamRes.statusMessage, responseHeaders);
        if (fault?.kind === 'truncate') {
          let budget = fault.afterBytes;
          upstreamRes.on('data', (chunk: Buffer) => {
            if (budget <= 0) return;
            const part = chunk.subarray(0, budget);
            budget -= part.length;
            res.write(part);
            if (budget <= 0) {
              upstreamRes.destroy();
              // Give the written bytes to the kernel before the connection goes away.
              res.socket?.end(() => res.socket?.destroy());
            }
          });
          upstreamRes.on('end', () => res.end()); // shorter than afterBytes: nothing to cut
          return;
        }
        upstreamRes.pipe(res);
      },
    );
    // A client that gives up mid-request must not leave the upstream request running.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    upstream.on('error', (error) => {
      if (res.headersSent) res.socket?.destroy();
      else respond(502, { 'Content-Type': 'text/plain' }, `fault proxy: upstream error: ${error.message}\n`);
    });
    req.pipe(upstream);
  };

  const server: Server = createServer(handler);
  const sockets = trackSockets(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  proxyOrigin = `http://127.0.0.1:${port}`;

  return {
    url: proxyOrigin,
    host: `127.0.0.1:${port}`,
    inject(rule) {
      const entry = { rule, hits: 0, remaining: rule.times ?? 1 };
      faults.push(entry);
      return {
        rule,
        get hits() {
          return entry.hits;
        },
        get remaining() {
          return entry.remaining;
        },
      };
    },
    clearFaults() {
      faults.length = 0;
    },
    requests,
    close: once(async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      agent.destroy();
      await closed;
    }),
  };
}

export interface RecordedRequest {
  method: string;
  /** Path and query string. */
  path: string;
  /** The Host header: shows which name the client used (127.0.0.1 or localhost). */
  hostHeader: string;
  headers: IncomingHttpHeaders;
  /** Whether any Authorization header arrived — a client must not carry registry credentials here. */
  hasAuthorization: boolean;
  authorization: string | undefined;
  bodyBytes: number;
}

export interface RecordedReply {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface RecordingServerOptions {
  /** Builds each reply; default 200 with an empty body. */
  respond?: (request: RecordedRequest) => RecordedReply | Promise<RecordedReply>;
  /**
   * Instead of `respond`, forward each request to this origin (path and query kept), as blob
   * storage behind a registry redirect would serve it. The client's Authorization header is
   * never forwarded; `forwardHeaders` stands in for what a presigned URL would carry.
   */
  forwardTo?: string;
  forwardHeaders?: Record<string, string>;
}

export interface RecordingServer {
  /** `http://127.0.0.1:PORT` — a different port, so a different origin than the registry. */
  url: string;
  /** `http://localhost:PORT` — the same server under a different host name. */
  localhostUrl: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * The "other host" a redirect points at. It records every request, including whether an
 * Authorization header arrived. Listens on 127.0.0.1 and, where the machine has IPv6
 * loopback, on [::1] with the same port, so `localhostUrl` works whichever address
 * `localhost` resolves to.
 */
export async function startRecordingServer(options: RecordingServerOptions = {}): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const agent = new Agent({ keepAlive: false });

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const record: RecordedRequest = {
      method: req.method ?? '',
      path: req.url ?? '/',
      hostHeader: req.headers.host ?? '',
      headers: { ...req.headers },
      hasAuthorization: req.headers.authorization !== undefined,
      authorization: req.headers.authorization,
      bodyBytes: 0,
    };
    requests.push(record);
    if (options.forwardTo) {
      const target = new URL(options.forwardTo);
      const headers: OutgoingHttpHeaders = { ...req.headers, host: target.host, ...options.forwardHeaders };
      if (!options.forwardHeaders?.authorization && !options.forwardHeaders?.Authorization) delete headers.authorization;
      req.on('data', (chunk: Buffer) => (record.bodyBytes += chunk.length));
      const upstream = httpRequest(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent },
        (upstreamRes) => {
          res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
          upstreamRes.pipe(res);
        },
      );
      upstream.on('error', (error) => {
        if (res.headersSent) res.socket?.destroy();
        else res.writeHead(502, { 'Content-Type': 'text/plain' }).end(`recording server: ${error.message}\n`);
      });
      req.pipe(upstream);
      return;
    }
    req.on('data', (chunk: Buffer) => (record.bodyBytes += chunk.length));
    req.on('end', () => {
      void Promise.resolve(options.respond ? options.respond(record) : { status: 200 }).then(
        (reply) => res.writeHead(reply.status, reply.headers ?? {}).end(reply.body ?? ''),
        (error: unknown) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`respond() threw: ${String(error)}\n`),
      );
    });
  };

  const v4 = createServer(handler);
  const sockets = trackSockets(v4);
  await new Promise<void>((resolve) => v4.listen(0, '127.0.0.1', resolve));
  const { port } = v4.address() as AddressInfo;
  const servers: Server[] = [v4];
  const v6 = createServer(handler);
  trackSockets(v6, sockets);
  const v6Listening = await new Promise<boolean>((resolve) => {
    v6.once('error', () => resolve(false)); // no IPv6 loopback here: 127.0.0.1 serves alone
    v6.listen(port, '::1', () => resolve(true));
  });
  if (v6Listening) servers.push(v6);

  return {
    url: `http://127.0.0.1:${port}`,
    localhostUrl: `http://localhost:${port}`,
    requests,
    close: once(async () => {
      const closed = Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
      for (const socket of sockets) socket.destroy();
      agent.destroy();
      await closed;
    }),
  };
}

export interface DeadEndpoint {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `127.0.0.1:PORT` */
  host: string;
  close(): Promise<void>;
}

/**
 * "Registry down": a loopback port that refuses connections (bound, then released, so
 * nothing listens there; a later test could in theory take it, which loopback ports
 * picked by the kernel make unlikely).
 */
export async function refusingEndpoint(): Promise<DeadEndpoint> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return { url: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}`, close: async () => {} };
}

/**
 * "Registry hung": accepts TCP connections and reads whatever arrives, but never answers,
 * so only the client's own timeout can end a request.
 */
export async function silentEndpoint(): Promise<DeadEndpoint & { connections(): number }> {
  let connections = 0;
  const server: NetServer = createNetServer((socket) => {
    connections++;
    socket.resume();
    socket.on('error', () => {});
  });
  const sockets = trackSockets(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    connections: () => connections,
    close: once(async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    }),
  };
}

function trackSockets(server: Server | NetServer, sockets = new Set<Socket>()): Set<Socket> {
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A client hanging up mid-fault is expected; it must not crash the test process.
    socket.on('error', () => {});
  });
  return sockets;
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= fn());
}
