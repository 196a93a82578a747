import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A loopback HTTP server that serves files from memory the way a release
 * host does (200 with Content-Length, 404 for anything unknown), and
 * misbehaves on request: wrong statuses, redirects, bodies cut short, and a
 * barrier that holds requests until several are in flight (to make installs
 * race for real).
 */

/** Instead of (or before) serving a matching request. */
export type FileFault =
  /** Answer this status with a small text body. */
  | { kind: 'status'; status: number }
  /** Answer `status` (default 302) with `Location: to` (absolute, or a path on this server). */
  | { kind: 'redirect'; to: string; status?: 301 | 302 | 303 | 307 | 308 }
  /** Send the headers (with the full Content-Length) and the first `afterBytes` of the body, then drop the connection. */
  | { kind: 'truncate'; afterBytes: number }
  /** Send the headers and the first `afterBytes` of the body, then nothing more until the client gives up or the server closes. */
  | { kind: 'stall'; afterBytes: number };

export interface FileFaultRule {
  /** Tested against the request path (query string included). */
  path: RegExp;
  fault: FileFault;
  /** How many matching requests get the fault; default 1, `Infinity` for all. */
  times?: number;
}

export interface ServedRequest {
  method: string;
  path: string;
  /** The status sent, or the fault applied. */
  outcome: number | 'truncated' | 'stalled';
}

export interface FileServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  /** Every request, in arrival order. */
  requests: ServedRequest[];
  /** Serves `body` at `path` (exact, starting with `/`) from now on. */
  file(path: string, body: Buffer | string): void;
  fault(rule: FileFaultRule): void;
  /** Holds requests matching `path` until `count` of them are waiting, then answers all of them. */
  barrier(path: RegExp, count: number): void;
  close(): Promise<void>;
}

export async function startFileServer(): Promise<FileServer> {
  const files = new Map<string, Buffer>();
  const faults: { rule: FileFaultRule; remaining: number }[] = [];
  const barriers: { path: RegExp; count: number; waiting: (() => void)[] }[] = [];
  const requests: ServedRequest[] = [];
  const sockets = new Set<Socket>();

  const takeFault = (path: string): FileFault | undefined => {
    const entry = faults.find((f) => f.remaining > 0 && f.rule.path.test(path));
    if (!entry) return undefined;
    entry.remaining--;
    return entry.rule.fault;
  };

  const answer = (req: IncomingMessage, res: ServerResponse, record: ServedRequest): void => {
    const path = req.url ?? '/';
    const fault = takeFault(path);
    const body = files.get(path.split('?')[0] as string);
    if (fault?.kind === 'status' || (!fault && !body)) {
      const status = fault?.kind === 'status' ? fault.status : 404;
      const text = `${status}\n`;
      record.outcome = status;
      res.writeHead(status, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    if (fault?.kind === 'redirect') {
      const status = fault.status ?? 302;
      record.outcome = status;
      res.writeHead(status, { Location: fault.to, 'Content-Length': 0 });
      res.end();
      return;
    }
    const content = body ?? Buffer.alloc(0);
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': content.length });
    if (fault?.kind === 'truncate') {
      record.outcome = 'truncated';
      res.write(content.subarray(0, fault.afterBytes), () => res.socket?.destroy());
      return;
    }
    if (fault?.kind === 'stall') {
      record.outcome = 'stalled';
      res.write(content.subarray(0, fault.afterBytes));
      return;
    }
    record.outcome = 200;
    res.end(content);
  };

  const server = createServer((req, res) => {
    const record: ServedRequest = { method: req.method ?? '', path: req.url ?? '/', outcome: 0 };
    requests.push(record);
    req.resume();
    const barrier = barriers.find((b) => b.path.test(record.path));
    if (!barrier) {
      answer(req, res, record);
      return;
    }
    barrier.waiting.push(() => answer(req, res, record));
    if (barrier.waiting.length >= barrier.count) {
      barriers.splice(barriers.indexOf(barrier), 1);
      for (const release of barrier.waiting) release();
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    file(path, body) {
      if (!path.startsWith('/')) throw new Error(`file server paths start with '/' (got ${path})`);
      files.set(path, Buffer.isBuffer(body) ? body : Buffer.from(body));
    },
    fault(rule) {
      faults.push({ rule, remaining: rule.times ?? 1 });
    },
    barrier(path, count) {
      barriers.push({ path, count, waiting: [] });
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
