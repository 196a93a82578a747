import { fileURLToPath } from 'node:url';
import type { ToolResult } from '../exec/run-tool.js';
import { oneRequest } from '../http/one-request.js';
import type { ObjectFormat } from './git-tree.js';
import { readPack, type PackedObject } from './pack-file.js';
import { DELIMITER, FLUSH, pktLine, readPktLines } from './pkt-line.js';
import { inProcessFetchUnavailable } from './clone-command.js';
import type { RemoteAccess } from './remote-access.js';
import type { GitopsRemote } from './repository-url.js';

/** The biggest answer taken: a directory of manifests is kilobytes; this bounds a hostile server. */
const MAX_PACK_BYTES = 256 * 1024 * 1024;
const TIMEOUT_MS = 60_000;

/**
 * Objects by id, with everything they reach (a tree brings its subtrees and
 * blobs), in one protocol v2 `fetch` of our own: for file:// one
 * `git upload-pack --stateless-rpc`, for http(s) one POST to the smart HTTP
 * endpoint with the access's header. No git client process, no index-pack,
 * no checkout: the answer is read in memory. This is what git's own lazy
 * fetch of a partial clone asks the server for, so any server that serves
 * a partial clone serves this.
 */
export async function fetchObjects(
  remote: GitopsRemote,
  access: RemoteAccess,
  wants: readonly string[],
  format: ObjectFormat,
  git: LocalGit,
): Promise<Map<string, PackedObject>> {
  const unavailable = inProcessFetchUnavailable(remote);
  if (unavailable) throw new Error(unavailable);
  const request = Buffer.concat([
    pktLine('command=fetch\n'),
    pktLine('agent=git/gitops-actions\n'),
    ...(format === 'sha256' ? [pktLine('object-format=sha256\n')] : []),
    DELIMITER,
    pktLine('no-progress\n'),
    pktLine('ofs-delta\n'),
    ...wants.map((oid) => pktLine(`want ${oid}\n`)),
    pktLine('done\n'),
    FLUSH,
  ]);
  const answer =
    remote.transport === 'file'
      ? (await git(['upload-pack', '--stateless-rpc', '--', fileURLToPath(remote.url)], { input: request, env: { GIT_PROTOCOL: 'version=2' }, maxStdoutBytes: MAX_PACK_BYTES })).stdoutBytes
      : await overHttp(remote, access, request);
  return readPack(packOf(answer), format);
}

/**
 * A git command run on the local side of a file:// remote (its upload-pack or
 * receive-pack): the caller's runner, with its environment, secrets and
 * command hook.
 */
export type LocalGit = (args: readonly string[], extra: { input: Buffer; env?: Record<string, string>; maxStdoutBytes: number }) => Promise<ToolResult>;

async function overHttp(remote: GitopsRemote, access: RemoteAccess, request: Buffer): Promise<Buffer> {
  const answer = await oneRequest(new URL(`${remote.url.replace(/\/+$/, '')}/git-upload-pack`), {
    method: 'POST',
    headers: {
      ...access.httpHeaders,
      'Content-Type': 'application/x-git-upload-pack-request',
      Accept: 'application/x-git-upload-pack-result',
      'Git-Protocol': 'version=2',
      'User-Agent': 'git/gitops-actions',
    },
    body: request,
    timeoutMs: TIMEOUT_MS,
    maxBytes: MAX_PACK_BYTES,
    tooLarge: 'fail',
  });
  if (answer.status !== 200) throw new Error(`the server answered HTTP ${answer.status}`);
  if (answer.headers['content-type'] !== 'application/x-git-upload-pack-result') {
    throw new Error(`the server answered ${String(answer.headers['content-type'] ?? 'no content type')}, not a git result`);
  }
  return answer.bytes;
}

/**
 * The pack of a v2 fetch answer: the `packfile` section's band 1, in order.
 * Band 2 is progress (not asked for); band 3 and ERR lines are the server's
 * error, returned as one.
 */
export function packOf(answer: Buffer): Buffer {
  const parts: Buffer[] = [];
  let inPack = false;
  for (const pkt of readPktLines(answer)) {
    if (pkt.kind !== 'data') {
      if (inPack) break;
      continue;
    }
    if (!inPack) {
      const line = pkt.payload.toString('utf8').replace(/\n$/, '');
      if (line.startsWith('ERR ')) throw new Error(`the server said: ${line.slice(4)}`);
      if (line === 'packfile') inPack = true;
      continue;
    }
    const band = pkt.payload[0];
    if (band === 1) parts.push(pkt.payload.subarray(1));
    else if (band === 3) throw new Error(`the server said: ${pkt.payload.subarray(1).toString('utf8').trim()}`);
  }
  if (!inPack) throw new Error('the answer has no pack');
  return Buffer.concat(parts);
}
