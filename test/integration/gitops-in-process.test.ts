import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cloneFilter, inProcessFetchUnavailable } from '#core/gitops/clone-command.js';
import { startCloneHeadStart } from '#core/gitops/clone-head-start.js';
import { fetchObjects, packOf, type LocalGit } from '#core/gitops/fetch-objects.js';
import { runTool } from '#core/exec/run-tool.js';
import { GitopsClone } from '#core/gitops/gitops-clone.js';
import { pktLine, FLUSH } from '#core/gitops/pkt-line.js';
import { remoteAccess } from '#core/gitops/remote-access.js';
import { resolveRepository } from '#core/gitops/repository-url.js';
import { PrivateDir } from '#core/exec/private-temp-dir.js';
import { startFaultProxy, type FaultProxy } from '../harness/fault-proxy.js';
import { startGitHttpServer, type GitHttpServer } from '../harness/git-http-server.js';
import { gitIn } from '../harness/git-repo.js';
import { gitopsOrigin } from './gitops-fixtures.js';

const TOKEN = 'ghs_inProcessFetchToken00000000000000000';
const localGit: LocalGit = (args, extra) => runTool(['git', ...args], extra);
const SERVER = { serverUrl: 'https://github.com', sshKey: false };
let server: GitHttpServer;
let proxy: FaultProxy;
let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gitops-in-process-'));
  server = await startGitHttpServer({ root, token: TOKEN });
  proxy = await startFaultProxy({ target: server.url });
});
afterAll(async () => {
  await proxy?.close();
  await server?.close();
});

function access(url: string, token = '') {
  const remote = resolveRepository(url, { ...SERVER, token: token !== '' });
  const dir = new PrivateDir(mkdtempSync(join(tmpdir(), 'gitops-access-')));
  return { remote, access: remoteAccess(remote, token ? { kind: 'token', token, scheme: 'basic' } : { kind: 'none' }, { dir, homeDir: dir.path }) };
}

/** The tree of `path` on main of a bare repository, and every object git says it reaches. */
function treeAndContents(bare: string, path: string): { tree: string; objects: Map<string, string> } {
  const tree = gitIn(bare, ['rev-parse', `main:${path}`]);
  const ids = gitIn(bare, ['rev-list', '--objects', '--no-walk', tree]).split('\n').map((l) => l.split(' ')[0]!);
  return { tree, objects: new Map(ids.map((oid) => [oid, gitIn(bare, ['cat-file', '-t', oid])])) };
}

describe('fetchObjects: one protocol v2 fetch of our own', () => {
  test('over file://: a tree comes with its subtrees and blobs, and nothing else', async () => {
    const origin = gitopsOrigin();
    const { tree, objects } = treeAndContents(origin.dir, 'billing--staging');
    const { remote, access: a } = access(origin.url);
    const got = await fetchObjects(remote, a, [tree], 'sha1', localGit);
    expect(new Map([...got].map(([oid, o]) => [oid, o.type]))).toEqual(objects);
    for (const [oid, object] of got) expect(object.body.equals(execFileSync('git', ['cat-file', object.type, oid], { cwd: origin.dir })), oid).toBe(true);
  });

  test('over smart HTTP: the token goes in the Authorization header only', async () => {
    const { dir } = gitopsOrigin(undefined, { root, name: 'acme/fetch-http.git' });
    const { tree, objects } = treeAndContents(dir, 'web--staging');
    const url = `${server.url}/acme/fetch-http.git`;
    const { remote, access: a } = access(url, TOKEN);
    const since = server.requests.length;
    const got = await fetchObjects(remote, a, [tree], 'sha1', localGit);
    expect(new Set(got.keys())).toEqual(new Set(objects.keys()));
    const requests = server.requests.slice(since);
    expect(requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['POST /acme/fetch-http.git/git-upload-pack 200']);
    expect(requests[0]!.authorization).toBe(`basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`);
  });

  test('a wrong token: an error naming the status, without the token', async () => {
    gitopsOrigin(undefined, { root, name: 'acme/fetch-denied.git' });
    const { remote, access: a } = access(`${server.url}/acme/fetch-denied.git`, 'ghs_wrongToken000000000000000000000000000');
    const failure = fetchObjects(remote, a, ['1'.repeat(40)], 'sha1', localGit);
    await expect(failure).rejects.toThrow(/HTTP 401/);
    await expect(failure).rejects.not.toThrow(/wrongToken/);
  });

  test("an object the server does not have: the server's own words", async () => {
    const origin = gitopsOrigin();
    const { remote, access: a } = access(origin.url);
    await expect(fetchObjects(remote, a, ['1'.repeat(40)], 'sha1', localGit)).rejects.toThrow(/not our ref|upload-pack/);
  });

  test('an answer with ERR or an error band is the server refusing; one without a pack is an error too', () => {
    expect(() => packOf(Buffer.concat([pktLine('ERR access denied\n'), FLUSH]))).toThrow(/^the server said: access denied$/);
    expect(() => packOf(Buffer.concat([pktLine('packfile\n'), pktLine(Buffer.concat([Buffer.from([3]), Buffer.from('disk full')])), FLUSH]))).toThrow(/^the server said: disk full$/);
    expect(() => packOf(FLUSH)).toThrow(/no pack/);
  });

  test('remotes reached only through git: ssh, or a proxy or TLS setting git would use', () => {
    const ssh = resolveRepository('git@github.com:acme/gitops.git', { ...SERVER, sshKey: true, token: false });
    const https = resolveRepository('acme/gitops', { ...SERVER, token: true });
    expect(inProcessFetchUnavailable(ssh)).toMatch(/ssh/);
    expect(inProcessFetchUnavailable(https, {})).toBeUndefined();
    expect(inProcessFetchUnavailable(https, { HTTPS_PROXY: 'http://proxy:3128' })).toBe('HTTPS_PROXY is set');
    expect(inProcessFetchUnavailable(https, { GIT_SSL_CAINFO: '/etc/ca.pem' })).toBe('GIT_SSL_CAINFO is set');
    // Plain http (a server on loopback) has no TLS for those to change.
    expect(inProcessFetchUnavailable(resolveRepository('http://127.0.0.1:8080/acme/gitops.git', { ...SERVER, token: true }), { GIT_SSL_CAINFO: '/etc/ca.pem' })).toBeUndefined();
    expect(cloneFilter(ssh, 'app--staging', { pushMode: true, extraFiles: false })).toBe('blob:none');
    expect(cloneFilter(resolveRepository('file:///srv/gitops.git', { ...SERVER, token: false }), 'clusters/eu/app--prod', { pushMode: true, extraFiles: false })).toBe('tree:3');
    expect(cloneFilter(resolveRepository('file:///srv/gitops.git', { ...SERVER, token: false }), 'app--prod', { pushMode: false, extraFiles: false })).toBe('blob:none');
    expect(cloneFilter(resolveRepository('file:///srv/gitops.git', { ...SERVER, token: false }), 'app--prod', { pushMode: true, extraFiles: true })).toBe('blob:none');
  });
});

describe('GitopsClone.targetManifests', () => {
  test('a tree-filtered clone gets the directory in one fetch of our own; no git checkout runs', async () => {
    const origin = gitopsOrigin();
    const { remote, access: a } = access(origin.url);
    const commands: string[] = [];
    const dir = join(mkdtempSync(join(tmpdir(), 'gitops-clone-')), 'clone');
    const { clone } = await GitopsClone.clone(dir, remote, 'billing--staging', 'main', a, (args) => commands.push(args[0]!), { filter: 'tree:1' });
    const head = await clone.head('main');
    expect(head.kind).toBe('directory');
    const read = await clone.targetManifests(head);
    expect(read.via).toBe('protocol');
    const expectedFiles = gitIn(origin.dir, ['ls-tree', '-r', '--name-only', 'main:billing--staging']).split('\n');
    expect(read.files.map((f) => f.path).sort()).toEqual(expectedFiles);
    expect(commands).toEqual(['clone', 'upload-pack']);
    // The directory's objects are in the clone now: git reads them with the origin gone.
    renameSync(origin.dir, `${origin.dir}-gone`);
    expect(gitIn(dir, ['ls-tree', '-r', '--name-only', `${head.commit}:billing--staging`]).split('\n')).toEqual(expectedFiles);
    expect(gitIn(dir, ['cat-file', 'blob', `${head.commit}:billing--staging/${expectedFiles[0]}`])).toContain('billing');
  });

  test('when our fetch fails (here the server answers 500), a sparse checkout reads the directory instead', async () => {
    gitopsOrigin(undefined, { root, name: 'acme/fallback.git' });
    const { remote, access: a } = access(`${proxy.url}/acme/fallback.git`, TOKEN);
    const dir = join(mkdtempSync(join(tmpdir(), 'gitops-clone-')), 'clone');
    const commands: string[] = [];
    const { clone } = await GitopsClone.clone(dir, remote, 'web--staging', 'main', a, (args) => commands.push(args[0]!), { filter: 'tree:1' });
    const head = await clone.head('main');
    proxy.inject({ method: 'POST', path: /\/acme\/fallback\.git\/git-upload-pack$/, kind: 'status', status: 500, body: 'boom' });
    const read = await clone.targetManifests(head);
    expect(read).toMatchObject({ via: 'checkout', fallbackReason: 'the server answered HTTP 500' });
    const expectedFiles = gitIn(join(root, 'acme/fallback.git'), ['ls-tree', '-r', '--name-only', 'main:web--staging']).split('\n');
    expect(read.files.map((f) => f.path).sort()).toEqual(expectedFiles);
    expect(commands).toEqual(['clone', 'checkout']); // over http our fetch is a request, not a process
  });

  test('a server that refuses the tree filter gets a blob:none clone', async () => {
    const origin = gitopsOrigin();
    gitIn(origin.dir, ['config', 'uploadpackfilter.tree.maxDepth', '0']);
    const { remote, access: a } = access(origin.url);
    const commands: string[] = [];
    const dir = join(mkdtempSync(join(tmpdir(), 'gitops-clone-')), 'clone');
    const { clone, found } = await GitopsClone.clone(dir, remote, 'billing--staging', 'main', a, (args) => commands.push(args.find((x) => x.startsWith('--filter'))!), { filter: 'tree:1' });
    expect(found).toBe(true);
    expect(commands).toEqual(['--filter=tree:1', '--filter=blob:none']);
    expect((await clone.head('main')).kind).toBe('directory');
  });
});

describe('startCloneHeadStart: the clone begun before the action has loaded', () => {
  const inputs = (values: Record<string, string>) => (name: string) => values[name] ?? '';

  test('taken by a run for the same remote, branch, token and filter: the clone is there', async () => {
    const origin = gitopsOrigin();
    const runnerTemp = mkdtempSync(join(tmpdir(), 'gitops-runner-temp-'));
    const early = startCloneHeadStart(inputs({ repository: origin.url, source: '/w/out/billing--staging' }), { RUNNER_TEMP: runnerTemp });
    expect(early).toBeDefined();
    expect(early!.claim({ url: origin.url, branch: 'other', token: '', filter: 'tree:1' })).toBeUndefined();
    expect(early!.claim({ url: origin.url, branch: 'main', token: '', filter: 'blob:none' })).toBeUndefined();
    const claimed = early!.claim({ url: origin.url, branch: 'main', token: '', filter: 'tree:1' })!;
    await claimed.started;
    expect(gitIn(claimed.dir, ['rev-parse', 'origin/main'])).toBe(gitIn(origin.dir, ['rev-parse', 'main']));
    expect(early!.claim({ url: origin.url, branch: 'main', token: '', filter: 'tree:1' })).toBeUndefined();
    await early!.discard();
    expect(readdirSync(runnerTemp)).toEqual([]);
  });

  test('not taken: stopped and removed, nothing left behind', async () => {
    const origin = gitopsOrigin();
    const runnerTemp = mkdtempSync(join(tmpdir(), 'gitops-runner-temp-'));
    const early = startCloneHeadStart(inputs({ repository: origin.url, source: 'billing--staging', branch: 'main' }), { RUNNER_TEMP: runnerTemp });
    await early!.discard();
    await early!.discard();
    expect(readdirSync(runnerTemp)).toEqual([]);
  });

  test.each([
    ['gitops.yaml may name another repository or branch', { config: 'gitops.yaml' }],
    ['an ssh key needs its key file', { 'ssh-key': '-----BEGIN OPENSSH PRIVATE KEY-----' }],
    ['pull-request mode clones the base branch', { mode: 'pull-request' }],
    ['a repository that does not parse', { repository: 'not a url' }],
    ['a branch git would refuse', { branch: 'a..b' }],
    ['a path that escapes', { path: '../x' }],
    ['no source', { source: '' }],
  ])('nothing starts early when %s', (_, extra) => {
    const runnerTemp = mkdtempSync(join(tmpdir(), 'gitops-runner-temp-'));
    expect(startCloneHeadStart(inputs({ repository: 'file:///srv/gitops.git', source: 'out/app--staging', ...extra }), { RUNNER_TEMP: runnerTemp })).toBeUndefined();
    expect(existsSync(runnerTemp) && readdirSync(runnerTemp)).toEqual([]);
  });
});
