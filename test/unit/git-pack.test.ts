import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseLsTree, parseTreeBody } from '#core/gitops/git-tree.js';
import { LocalObjects } from '#core/gitops/local-objects.js';
import { applyDelta, readPack } from '#core/gitops/pack-file.js';
import { DELIMITER, FLUSH, pktLine, readPktLines } from '#core/gitops/pkt-line.js';
import { readReport, writePack } from '#core/gitops/push-objects.js';

const ENV = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 'A', GIT_AUTHOR_EMAIL: 'a@x', GIT_COMMITTER_NAME: 'A', GIT_COMMITTER_EMAIL: 'a@x' };

function git(cwd: string, args: string[], input?: string | Buffer): Buffer {
  return execFileSync('git', args, { cwd, input, env: ENV, maxBuffer: 64 * 1024 * 1024 });
}

/**
 * A repository whose files are near-copies of each other across commits, so
 * git stores and sends many of them as deltas: what a real pack looks like.
 */
function repoWithDeltas(): { dir: string; commits: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'git-pack-'));
  git(dir, ['init', '--quiet', '--initial-branch=main']);
  const commits: string[] = [];
  const base = Array.from({ length: 200 }, (_, i) => `  key-${i}: value-${i} ${'x'.repeat(i % 40)}`).join('\n');
  for (let round = 0; round < 6; round++) {
    execFileSync('mkdir', ['-p', join(dir, 'app--staging', 'chart', 'templates')]);
    writeFileSync(join(dir, 'app--staging', 'chart', 'templates', 'config.yaml'), `data:\n${base.replace('value-7 ', `value-7-${round} `)}\n`);
    writeFileSync(join(dir, 'app--staging', 'chart', 'templates', 'other.yaml'), `data:\n${base}\nround: ${round}\n`);
    writeFileSync(join(dir, 'README.md'), `round ${round}\n`);
    git(dir, ['add', '-A']);
    git(dir, ['commit', '--quiet', '-m', `round ${round}`]);
    commits.push(git(dir, ['rev-parse', 'HEAD']).toString().trim());
  }
  return { dir, commits };
}

/** Every object of the history, as `git cat-file` has it. */
function allObjects(dir: string): Map<string, { type: string; body: Buffer }> {
  const ids = git(dir, ['rev-list', '--objects', '--all']).toString().trim().split('\n').map((l) => l.split(' ')[0]!);
  return new Map(ids.map((oid) => [oid, { type: git(dir, ['cat-file', '-t', oid]).toString().trim(), body: git(dir, ['cat-file', git(dir, ['cat-file', '-t', oid]).toString().trim(), oid]) }]));
}

describe('pkt-line framing', () => {
  test('lines, flush and delimiter round-trip; lengths count their own four digits', () => {
    const stream = Buffer.concat([pktLine('command=fetch\n'), DELIMITER, pktLine(Buffer.from([1, 2, 3])), FLUSH]);
    expect(stream.subarray(0, 4).toString()).toBe('0012');
    const read = [...readPktLines(stream)];
    expect(read.map((p) => p.kind)).toEqual(['data', 'delimiter', 'data', 'flush']);
    expect((read[0] as { payload: Buffer }).payload.toString()).toBe('command=fetch\n');
    expect([...(read[2] as { payload: Buffer }).payload]).toEqual([1, 2, 3]);
  });

  test('a stream that is not pkt-lines, or is cut short, is an error', () => {
    expect(() => [...readPktLines(Buffer.from('<html>'))]).toThrow(/not a pkt-line at byte 0/);
    expect(() => [...readPktLines(Buffer.from('0010abc'))]).toThrow(/claims 16 bytes; 7 are left/);
  });
});

describe('readPack reads what git pack-objects writes', () => {
  const { dir, commits } = repoWithDeltas();
  const expected = allObjects(dir);
  const pack = (extra: string[]) => git(dir, ['pack-objects', '--revs', '--stdout', '-q', ...extra], `${commits.at(-1)}\n`);

  test.each([
    ['offset deltas', ['--delta-base-offset']],
    ['ref deltas', []],
  ])('%s: every object, with its id and bytes', (_, extra) => {
    const bytes = pack(extra);
    // The pack holds deltas, so they were applied here, not just copied.
    const file = join(mkdtempSync(join(tmpdir(), 'git-pack-file-')), 'test.pack');
    writeFileSync(file, bytes);
    git(dir, ['index-pack', file]);
    expect(git(dir, ['verify-pack', '-v', file.replace(/\.pack$/, '.idx')]).toString()).toMatch(/chain length = 1: [1-9]/);
    const objects = readPack(bytes, 'sha1');
    expect([...objects.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [oid, object] of objects) {
      expect(object.type, oid).toBe(expected.get(oid)!.type);
      expect(object.body.equals(expected.get(oid)!.body), oid).toBe(true);
    }
  });

  test('a damaged or cut pack is refused, never read as other objects', () => {
    const bytes = pack(['--delta-base-offset']);
    const damaged = Buffer.from(bytes);
    damaged[40] = damaged[40]! ^ 0xff;
    expect(() => readPack(damaged, 'sha1')).toThrow(/checksum does not match/);
    expect(() => readPack(bytes.subarray(0, bytes.length - 30), 'sha1')).toThrow(/checksum|ends inside/);
    expect(() => readPack(Buffer.from('<html>not a pack</html>....................'), 'sha1')).toThrow(/not a git pack/);
  });

  test('a delta for another base is refused', () => {
    const delta = Buffer.from([5, 3, 0x90, 3]); // base size 5, result 3: copy 3 bytes from offset 0
    expect(applyDelta(Buffer.from('hello'), delta).toString()).toBe('hel');
    expect(() => applyDelta(Buffer.from('hi'), delta)).toThrow(/made for another base/);
  });
});

describe('LocalObjects reads a clone’s store like git does', () => {
  const { dir, commits } = repoWithDeltas();
  git(dir, ['gc', '--quiet']);
  const expected = allObjects(dir);

  test('packed objects (through the index), deltas resolved', () => {
    const store = new LocalObjects(join(dir, '.git'), 'sha1');
    for (const [oid, object] of expected) {
      const read = store.read(oid);
      expect(read?.type, oid).toBe(object.type);
      expect(read?.body.equals(object.body), oid).toBe(true);
    }
  });

  test('loose objects, and undefined for an object it does not have', () => {
    const loose = git(dir, ['hash-object', '-w', '--stdin'], 'only loose\n').toString().trim();
    const store = new LocalObjects(join(dir, '.git'), 'sha1');
    expect(store.read(loose)?.body.toString()).toBe('only loose\n');
    expect(store.read('0'.repeat(40))).toBeUndefined();
  });

  test('a tree read this way lists what ls-tree lists', () => {
    const store = new LocalObjects(join(dir, '.git'), 'sha1');
    const root = git(dir, ['rev-parse', `${commits.at(-1)}^{tree}`]).toString().trim();
    expect(parseTreeBody(store.read(root)!.body)).toEqual(parseLsTree(git(dir, ['ls-tree', '-z', root]).toString()));
  });
});

describe('writePack and readReport: the two halves of a push of our own', () => {
  test('a pack written here is one git indexes, and reads back the same', () => {
    const objects = [
      { type: 'blob' as const, body: Buffer.from('kind: ConfigMap\n') },
      { type: 'blob' as const, body: Buffer.alloc(70_000, 'x') }, // a size needing three header bytes
    ];
    const pack = writePack(objects, 'sha1');
    const dir = mkdtempSync(join(tmpdir(), 'git-pack-written-'));
    git(dir, ['init', '--quiet', '--bare']);
    const ids = git(dir, ['index-pack', '--stdin', '--strict'], pack).toString();
    expect(ids).toMatch(/^pack\t[0-9a-f]{40}\n$/);
    const read = readPack(pack, 'sha1');
    expect([...read.values()].map((o) => o.body.length).sort((a, b) => a - b)).toEqual([16, 70_000]);
  });

  const answer = (...report: string[]) =>
    Buffer.concat([
      ...report.map((line) => pktLine(Buffer.concat([Buffer.from([1]), pktLine(`${line}\n`)]))),
      pktLine(Buffer.concat([Buffer.from([1]), FLUSH])),
      FLUSH,
    ]);
  const band = (n: number, text: string) => pktLine(Buffer.concat([Buffer.from([n]), Buffer.from(text)]));

  test('ok: pushed', () => {
    expect(readReport(answer('unpack ok', 'ok refs/heads/main'), 'refs/heads/main')).toEqual({ kind: 'pushed' });
  });

  test('the ref moved first: a lost race, whatever words the server chose', () => {
    expect(readReport(answer('unpack ok', 'ng refs/heads/main failed to update ref'), 'refs/heads/main')).toEqual({ kind: 'lost-race', reason: 'failed to update ref' });
    const withMessage = Buffer.concat([band(2, "error: cannot lock ref 'refs/heads/main': is at 1111 but expected 2222\n"), answer('unpack ok', 'ng refs/heads/main failed')]);
    expect(readReport(withMessage, 'refs/heads/main')).toMatchObject({ kind: 'lost-race' });
  });

  test('a hook or rule refusing: refused, with what the remote said', () => {
    const refused = Buffer.concat([band(2, 'GH006: Protected branch update failed for refs/heads/main.\nerror: At least 1 approving review is required\n'), answer('unpack ok', 'ng refs/heads/main protected branch hook declined')]);
    expect(readReport(refused, 'refs/heads/main')).toEqual({
      kind: 'refused',
      reason: '[remote rejected] (protected branch hook declined)',
      remoteLines: ['GH006: Protected branch update failed for refs/heads/main.', 'error: At least 1 approving review is required'],
    });
  });

  test('no answer about the ref: failed, so the next attempt checks whether it landed', () => {
    expect(readReport(answer('unpack index-pack abnormal exit', 'ng refs/heads/main unpacker error'), 'refs/heads/main')).toMatchObject({ kind: 'failed', failure: 'transient' });
    expect(readReport(band(3, 'fatal: the remote end hung up'), 'refs/heads/main')).toMatchObject({ kind: 'failed', failure: 'transient' });
    expect(readReport(answer('unpack ok', 'ok refs/heads/main').subarray(0, 9), 'refs/heads/main')).toMatchObject({ kind: 'failed', failure: 'transient' });
    expect(readReport(Buffer.alloc(0), 'refs/heads/main')).toMatchObject({ kind: 'failed', failure: 'transient' });
  });
});
