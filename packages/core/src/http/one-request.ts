import type { IncomingHttpHeaders } from 'node:http';

/** An HTTP answer read whole, as text. */
export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The same answer as bytes (a binary protocol's). */
  bytes: Buffer;
}

export interface OneRequestOptions {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: Buffer;
  timeoutMs: number;
  /** The most of the answer kept. */
  maxBytes: number;
  /** Past `maxBytes`: `truncate` keeps the first part (the status is what counts); `fail` ends the request with code ETOOBIG. */
  tooLarge: 'truncate' | 'fail';
  /** Verify the server's TLS certificate (https only); default true. */
  verifyTls?: boolean;
}

/**
 * One request on a connection of its own (`agent: false`: closed after it,
 * so nothing keeps the step alive), with a deadline for the whole exchange
 * (ETIMEDOUT) and a cap on what is read. node:http(s) is loaded only when a
 * request is made, so a step that sends none does not pay for it at start-up.
 */
export async function oneRequest(url: URL, options: OneRequestOptions): Promise<HttpAnswer> {
  const https = url.protocol === 'https:';
  const { request } = https ? await import('node:https') : await import('node:http');
  const { method, headers, body, timeoutMs, maxBytes, tooLarge } = options;
  return new Promise<HttpAnswer>((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        agent: false,
        ...(https && options.verifyTls === false ? { rejectUnauthorized: false } : {}),
        headers: body ? { ...headers, 'Content-Length': String(body.length) } : headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= maxBytes) chunks.push(chunk);
          else if (tooLarge === 'fail') req.destroy(Object.assign(new Error(`the answer is larger than ${maxBytes / 1024 / 1024} MB`), { code: 'ETOOBIG' }));
        });
        res.on('end', () => {
          clearTimeout(timer);
          const bytes = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: bytes.toString('utf8'), bytes });
        });
        res.on('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
      },
    );
    const timer = setTimeout(() => {
      req.destroy(Object.assign(new Error(`no answer within ${timeoutMs / 1000} s`), { code: 'ETIMEDOUT' }));
    }, timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(body);
  });
}
