import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { ToolError } from '../errors/errors.js';
import { oneRequest } from '../http/one-request.js';
import { inProcessFetchUnavailable } from './clone-command.js';
import { classifyGitFailure, LOST_RACE, type PushOutcome } from './git-failure.js';
import type { LocalGit } from './fetch-objects.js';
import type { ObjectFormat } from './git-tree.js';
import type { PackedObject } from './pack-file.js';
import { FLUSH, pktLine, readPktLines } from './pkt-line.js';
import type { RemoteAccess } from './remote-access.js';
import type { GitopsRemote } from './repository-url.js';

const TYPE_NUMBERS = { commit: 1, tree: 2, blob: 3, tag: 4 } as const;
const TIMEOUT_MS = 5 * 60_000;
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/** The remote did not take our push request at all (nothing was stored): git push can do it. */
export class PushNotHandled extends Error {}

/** One ref moved from `old` (undefined: the ref does not exist yet) to `new`. */
export interface RefUpdate {
  ref: string;
  old: string | undefined;
  new: string;
}

/** A pack of whole objects (no deltas: a push of one directory is a handful of small objects). */
export function writePack(objects: readonly PackedObject[], format: ObjectFormat): Buffer {
  const header = Buffer.alloc(12);
  header.write('PACK', 0, 'latin1');
  header.writeUInt32BE(2, 4);
  header.writeUInt32BE(objects.length, 8);
  const parts: Buffer[] = [header];
  for (const object of objects) {
    const head: number[] = [];
    let size = object.body.length;
    let byte = (TYPE_NUMBERS[object.type] << 4) | (size & 15);
    size = Math.floor(size / 16);
    while (size > 0) {
      head.push(byte | 0x80);
      byte = size & 0x7f;
      size = Math.floor(size / 128);
    }
    head.push(byte);
    parts.push(Buffer.from(head), deflateSync(object.body, { level: 1 }));
  }
  const content = Buffer.concat(parts);
  return Buffer.concat([content, createHash(format).update(content).digest()]);
}

/**
 * One push of our own, without a git process on our side: the ref update and
 * a pack of the objects the remote lacks, sent to its receive-pack as git's
 * smart protocol has it (stateless, as over HTTP: `git receive-pack
 * --stateless-rpc` for file://, a POST for http(s)). The remote applies the
 * update only if the ref still holds `old` (its lock compares it), so losing
 * a race is an answer like git push's, never an overwrite. The answer is
 * read as git push reads it (report-status), into the same outcomes.
 */
export async function pushObjects(
  remote: GitopsRemote,
  access: RemoteAccess,
  update: RefUpdate,
  objects: readonly PackedObject[],
  format: ObjectFormat,
  git: LocalGit,
): Promise<PushOutcome> {
  const unavailable = inProcessFetchUnavailable(remote);
  if (unavailable) throw new Error(unavailable);
  const zero = '0'.repeat(format === 'sha256' ? 64 : 40);
  const capabilities = ['report-status', 'side-band-64k', 'quiet', 'agent=git/gitops-actions', ...(format === 'sha256' ? ['object-format=sha256'] : [])];
  const request = Buffer.concat([pktLine(`${update.old ?? zero} ${update.new} ${update.ref}\0${capabilities.join(' ')}\n`), FLUSH, writePack(objects, format)]);

  let answer: Buffer;
  if (remote.transport === 'file') {
    try {
      answer = (await git(['receive-pack', '--stateless-rpc', '--', fileURLToPath(remote.url)], { input: request, maxStdoutBytes: MAX_ANSWER_BYTES })).stdoutBytes;
    } catch (e) {
      if (!(e instanceof ToolError)) throw e;
      return { kind: 'failed', failure: classifyGitFailure(e.stderrTail) === 'other' ? 'transient' : classifyGitFailure(e.stderrTail), text: `${e.reason}\n${e.stderrTail}`.trim() };
    }
  } else {
    let response;
    try {
      response = await oneRequest(new URL(`${remote.url.replace(/\/+$/, '')}/git-receive-pack`), {
        method: 'POST',
        headers: {
          ...access.httpHeaders,
          'Content-Type': 'application/x-git-receive-pack-request',
          Accept: 'application/x-git-receive-pack-result',
          'User-Agent': 'git/gitops-actions',
        },
        body: request,
        timeoutMs: TIMEOUT_MS,
        maxBytes: MAX_ANSWER_BYTES,
        tooLarge: 'fail',
      });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? '';
      const unreachable = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code);
      return { kind: 'failed', failure: unreachable ? 'unreachable' : 'transient', text: `${remote.url}: ${(e as Error).message}` };
    }
    if ((response.status >= 300 && response.status < 400) || [400, 405, 406, 411, 413, 415, 501].includes(response.status)) {
      // Not handled at all (a redirect: git follows one for its first request only, then posts there; a server that
      // wants git's exact exchange): nothing was stored, so git push can do it instead.
      throw new PushNotHandled(`the server answered HTTP ${response.status} to our push`);
    }
    if (response.status !== 200) {
      const failure = response.status === 401 ? 'auth' : response.status === 403 ? 'permission' : response.status === 404 ? 'not-found' : response.status >= 500 ? 'transient' : 'other';
      // What the server says about it, as git shows it ("remote: Permission to … denied").
      const said = response.body
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== '' && !line.startsWith('<'))
        .slice(0, 3)
        .map((line) => `remote: ${line.slice(0, 300)}`);
      return { kind: 'failed', failure, text: [`the server answered HTTP ${response.status} to the push`, ...said].join('\n') };
    }
    answer = response.bytes;
  }
  return readReport(answer, update.ref);
}

/**
 * The answer of receive-pack with side-band-64k: band 1 carries the
 * report-status pkt-lines (`unpack ok`, `ok <ref>` or `ng <ref> <reason>`),
 * band 2 the remote's messages (hooks, rules), band 3 a fatal error.
 */
export function readReport(answer: Buffer, ref: string): PushOutcome {
  const report: Buffer[] = [];
  const remoteLines: string[] = [];
  let fatal = '';
  try {
    for (const pkt of readPktLines(answer)) {
      if (pkt.kind !== 'data') continue;
      const band = pkt.payload[0];
      const text = pkt.payload.subarray(1);
      if (band === 1) report.push(text);
      else if (band === 2) remoteLines.push(...text.toString('utf8').split(/\r?\n|\r/).map((l) => l.trimEnd()).filter((l) => l.trim() !== ''));
      else if (band === 3) fatal += text.toString('utf8');
    }
  } catch (e) {
    return { kind: 'failed', failure: 'transient', text: `the answer to the push was cut short: ${(e as Error).message}` };
  }
  if (fatal) return { kind: 'failed', failure: classifyGitFailure(fatal) === 'other' ? 'transient' : classifyGitFailure(fatal), text: fatal.trim() };
  const lines: string[] = [];
  try {
    for (const pkt of readPktLines(Buffer.concat(report))) if (pkt.kind === 'data') lines.push(pkt.payload.toString('utf8').replace(/\n$/, ''));
  } catch (e) {
    return { kind: 'failed', failure: 'transient', text: `the push's report was cut short: ${(e as Error).message}` };
  }
  const unpack = lines.find((l) => l.startsWith('unpack '));
  const status = lines.find((l) => l.startsWith(`ok ${ref}`) || l.startsWith(`ng ${ref} `));
  if (!unpack || !status) return { kind: 'failed', failure: 'transient', text: `no report for ${ref} in the answer to the push${remoteLines.length ? `\n${remoteLines.join('\n')}` : ''}` };
  if (unpack !== 'unpack ok') return { kind: 'failed', failure: 'transient', text: `the remote could not store the objects: ${unpack.slice('unpack '.length)}` };
  if (status.startsWith('ok ')) return { kind: 'pushed' };
  const reason = status.slice(`ng ${ref} `.length);
  if (LOST_RACE.test(reason) || remoteLines.some((l) => /cannot lock ref|is at [0-9a-f]+ but expected/i.test(l))) return { kind: 'lost-race', reason };
  return { kind: 'refused', reason: `[remote rejected] (${reason})`, remoteLines };
}
