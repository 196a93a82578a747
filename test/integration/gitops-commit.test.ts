import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { InputError } from '#core/errors/errors.js';
import { commitToGitops, type CommitToGitopsDeps } from '#core/gitops/commit-to-gitops.js';
import { cloneOf, gitIn } from '../harness/git-repo.js';
import {
  defaultGitopsFiles,
  filesAt,
  gitopsOrigin,
  manifest,
  renderedFiles,
  stepOptions,
  subjects,
  treeListing,
  writeDir,
} from './gitops-fixtures.js';

const APP = 'verity-api--staging';

function deps(extra: Partial<CommitToGitopsDeps> = {}): CommitToGitopsDeps & { lines: string[]; waits: number[] } {
  const lines: string[] = [];
  const waits: number[] = [];
  return {
    lines,
    waits,
    log: (l) => lines.push(l),
    warning: (l) => lines.push(`warning: ${l}`),
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...extra,
  };
}

/** Another pipeline landing a commit on the origin's main, as a separate full clone. */
function landElsewhere(originUrl: string, files: Record<string, string>, message: string): string {
  const other = cloneOf(originUrl);
  const sha = other.commit(message, files);
  other.git('push', '--quiet', 'origin', 'HEAD:main');
  return sha;
}

describe('commit-to-gitops over file://', () => {
  test('lands exactly the target directory with provenance trailers; every other path byte-identical', async () => {
    const origin = gitopsOrigin();
    const before = treeListing(origin.dir);
    const source = writeDir(renderedFiles('verity-api', '1.4.0'));
    const d = deps();
    const r = await commitToGitops(stepOptions({ repository: origin.url, source }), d);

    expect(r).toMatchObject({ changed: true, attempts: 1, path: APP, version: '1.4.0', previousVersion: '', commitUrl: '' });
    expect(r.diff).toEqual({
      added: [`${APP}/monochart/templates/deployment.yaml`, `${APP}/monochart/templates/service.yaml`],
      changed: [],
      removed: [],
    });
    expect(gitIn(origin.dir, ['rev-parse', 'main'])).toBe(r.commitSha);
    expect(gitIn(origin.dir, ['log', '-1', '--format=%B', 'main'])).toBe(
      'deploy(verity-api): staging 1.4.0\n\n' +
        'Source-Repository: https://github.com/acme/verity-api\n' +
        `Source-Commit: ${'e'.repeat(40)}\n` +
        'Version: 1.4.0\n' +
        'Environment: staging\n' +
        'Workflow-Run: https://github.com/acme/verity-api/actions/runs/4242',
    );
    expect(gitIn(origin.dir, ['log', '-1', '--format=%an <%ae>|%cn', 'main'])).toBe(
      'github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>|github-actions[bot]',
    );
    expect(filesAt(origin.dir, APP)).toEqual(renderedFiles('verity-api', '1.4.0'));
    expect(treeListing(origin.dir).filter((l) => !l.includes(`\t${APP}/`))).toEqual(before);
    expect(r.patch).toContain(`+++ b/${APP}/monochart/templates/deployment.yaml`);
    expect(d.lines).toContain('version 1.4.0: from the provenance annotations in the source');
  });

  test('replaces the directory: stale files deleted, changed ones updated, modes kept', async () => {
    const origin = gitopsOrigin();
    const first = writeDir(renderedFiles('verity-api', '1.4.0', { 'monochart/templates/old-configmap.yaml': manifest('ConfigMap', 'old', '1.4.0') }));
    await commitToGitops(stepOptions({ repository: origin.url, source: first }), deps());
    const untouched = treeListing(origin.dir).filter((l) => !l.includes(`\t${APP}/`));

    const second = writeDir(renderedFiles('verity-api', '1.5.0', { 'hooks/smoke.sh': '#!/bin/sh\nexit 0\n' }));
    chmodSync(join(second, 'hooks/smoke.sh'), 0o755);
    const r = await commitToGitops(stepOptions({ repository: origin.url, source: second }), deps());
    expect(r.diff).toEqual({
      added: [`${APP}/hooks/smoke.sh`],
      changed: [`${APP}/monochart/templates/deployment.yaml`, `${APP}/monochart/templates/service.yaml`],
      removed: [`${APP}/monochart/templates/old-configmap.yaml`],
    });
    expect(r.previousVersion).toBe('1.4.0');
    expect(Object.keys(filesAt(origin.dir, APP)).sort()).toEqual(['hooks/smoke.sh', 'monochart/templates/deployment.yaml', 'monochart/templates/service.yaml']);
    expect(gitIn(origin.dir, ['ls-tree', 'main', `${APP}/hooks/smoke.sh`])).toMatch(/^100755 /);
    expect(treeListing(origin.dir).filter((l) => !l.includes(`\t${APP}/`))).toEqual(untouched);
  });

  test('a nested path: new directories on the way are created, siblings kept', async () => {
    const origin = gitopsOrigin({ ...defaultGitopsFiles(), 'clusters/eu/web--production/cm.yaml': manifest('ConfigMap', 'web', '1.0.0') });
    const before = treeListing(origin.dir);
    const r = await commitToGitops(
      stepOptions({ repository: origin.url, source: writeDir(renderedFiles('verity-api', '1.4.0')), path: 'clusters/eu/verity-api--production' }),
      deps(),
    );
    expect(r).toMatchObject({ changed: true, path: 'clusters/eu/verity-api--production' });
    expect(filesAt(origin.dir, 'clusters/eu/verity-api--production')).toEqual(renderedFiles('verity-api', '1.4.0'));
    expect(treeListing(origin.dir).filter((l) => !l.includes('\tclusters/eu/verity-api--production/'))).toEqual(before);
    expect(gitIn(origin.dir, ['log', '-1', '--format=%s', 'main'])).toBe('deploy(verity-api): production 1.4.0');
    const deeper = await commitToGitops(
      stepOptions({ repository: origin.url, source: writeDir(renderedFiles('x', '1.0.0')), path: 'clusters/us/east/x--production' }),
      deps(),
    );
    expect(deeper.diff.added).toHaveLength(2);
    expect(filesAt(origin.dir, 'clusters/us/east/x--production')).toEqual(renderedFiles('x', '1.0.0'));
  });

  test('no difference: no commit, changed=false, commit-sha is the head', async () => {
    const origin = gitopsOrigin();
    const source = writeDir(renderedFiles('verity-api', '1.4.0'));
    await commitToGitops(stepOptions({ repository: origin.url, source }), deps());
    const head = gitIn(origin.dir, ['rev-parse', 'main']);
    const d = deps();
    const again = await commitToGitops(stepOptions({ repository: origin.url, source }), d);
    expect(again).toMatchObject({ changed: false, commitSha: head, attempts: 0, diff: { added: [], changed: [], removed: [] }, patch: '' });
    expect(gitIn(origin.dir, ['rev-parse', 'main'])).toBe(head);
    expect(d.lines).toContain(`no difference: main already holds this desired state in ${APP}; nothing to commit`);
  });

  test('the clone is shallow and partial: no history, no other app\'s trees or contents', async () => {
    const origin = gitopsOrigin();
    for (let i = 0; i < 5; i++) landElsewhere(origin.url, { [`web--staging/extra-${i}.yaml`]: manifest('ConfigMap', `x${i}`, '2.0.0') }, `deploy(web): ${i}`);
    await commitToGitops(stepOptions({ repository: origin.url, source: writeDir(renderedFiles('verity-api', '1.4.0')) }), deps());
    const cloneDir = join(mkdtempSync(join(tmpdir(), 'gitops-kept-')), 'clone');
    const commands: string[] = [];
    const before = gitIn(origin.dir, ['rev-parse', 'main']);
    await commitToGitops(
      stepOptions({ repository: origin.url, source: writeDir(renderedFiles('verity-api', '1.5.0')), cloneDir }),
      deps({ onGitCommand: (args) => commands.push(args.join(' ')) }),
    );
    // One git process reads the remote: the clone of the root tree alone. The target directory came in a fetch of our own.
    expect(commands.filter((c) => /^(clone|fetch|checkout)/.test(c))).toEqual([
      `clone --quiet --no-checkout --template= --depth=1 --filter=tree:1 --single-branch --branch=main --no-tags -- ${origin.url} ${cloneDir}`,
    ]);
    // Every git process of the run: the clone, the remote's own upload-pack and receive-pack for
    // our fetch and push (file://; over http those are requests), and the diff for the summary.
    expect(commands.map((c) => c.split(' ')[0]).sort()).toEqual(['clone', 'diff-tree', 'receive-pack', 'upload-pack']);
    expect(readFileSync(join(cloneDir, '.git', 'shallow'), 'utf8').trim().split('\n')).toHaveLength(1);
    expect(gitIn(cloneDir, ['config', 'remote.origin.partialclonefilter'])).toBe('tree:1');
    // Listed without lazy fetching (--missing=print): every other app's tree is absent from the clone; our directory, as it was, is whole.
    const missing = new Set(
      gitIn(cloneDir, ['rev-list', '--objects', '--missing=print', before])
        .split('\n')
        .filter((l) => l.startsWith('?'))
        .map((l) => l.slice(1)),
    );
    const topLevel = gitIn(origin.dir, ['ls-tree', before]).split('\n').map((l) => ({ oid: l.split(/\s/)[2]!, name: l.split('\t')[1]! }));
    const others = topLevel.filter((e) => e.name.includes('--') && e.name !== APP);
    expect(others.length).toBe(3);
    for (const e of others) expect(missing.has(e.oid), e.name).toBe(true);
    // Nothing else is missing but files at the root (the README), which nothing here reads.
    expect([...missing].filter((oid) => !others.some((e) => e.oid === oid))).toEqual(topLevel.filter((e) => !e.name.includes('--')).map((e) => e.oid));
    expect(gitIn(cloneDir, ['cat-file', 'blob', `${before}:${APP}/monochart/templates/deployment.yaml`])).toContain('version: 1.4.0');
    // No worktree was written: the contents were read in memory.
    expect(readdirSync(cloneDir)).toEqual(['.git']);
  });

  test('push rejected because another pipeline landed first: rebuilt on the new head, both land, history linear', async () => {
    const origin = gitopsOrigin();
    let raced = '';
    const d = deps({
      onGitCommand: (args) => {
        if (/^(push|receive-pack)$/.test(args[0]!) && !raced) raced = landElsewhere(origin.url, { 'web--staging/new.yaml': manifest('ConfigMap', 'new', '2.1.0') }, 'deploy(web): staging 2.1.0');
      },
    });
    const r = await commitToGitops(stepOptions({ repository: origin.url, source: writeDir(renderedFiles('verity-api', '1.4.0')) }), d);
    expect(r).toMatchObject({ changed: true, attempts: 2 });
    expect(subjects(origin.dir)).toEqual(['deploy(verity-api): staging 1.4.0', 'deploy(web): staging 2.1.0', 'chore: initial desired state']);
    expect(gitIn(origin.dir, ['rev-parse', 'main~1'])).toBe(raced);
    expect(gitIn(origin.dir, ['rev-list', '--merges', 'main'])).toBe('');
    expect(filesAt(origin.dir, 'web--staging')['new.yaml']).toContain('name: new');
    expect(d.lines.some((l) => /main moved while we worked \((fetch first|non-fast-forward|failed to update ref)\): rebuilding on the new head/.test(l))).toBe(true);
    expect(d.waits).toHaveLength(1);
  });

  test('never backwards: a lower version over a higher one is refused, allowed with allow-downgrade', async () => {
    const origin = gitopsOrigin();
    await commitToGitops(stepOptions({ repository: origin.url, source: writeDir(renderedFiles('verity-api', '1.10.0')) }), deps());
    const head = gitIn(origin.dir, ['rev-parse', 'main']);
    const lower = writeDir(renderedFiles('verity-api', '1.9.0'));
    await expect(commitToGitops(stepOptions({ repository: origin.url, source: lower }), deps())).rejects.toThrow(
      new InputError(
        `refusing to replace version 1.10.0 in main:${APP} with the lower 1.9.0: a newer deployment is already in place. ` +
          "For an intended rollback, set 'allow-downgrade: true'.",
      ),
    );
    expect(gitIn(origin.dir, ['rev-parse', 'main'])).toBe(head);
    const r = await commitToGitops(stepOptions({ repository: origin.url, source: lower, allowDowngrade: true }), deps());
    expect(r).toMatchObject({ changed: true, version: '1.9.0', previousVersion: '1.10.0' });
    expect(r.notes[0]).toMatch(/downgrade allowed by allow-downgrade/);
  });

  test('racing for the same app: the higher version that landed first is not overwritten by the lower', async () => {
    const origin = gitopsOrigin();
    let raced = false;
    const d = deps({
      onGitCommand: (args) => {
        if (/^(push|receive-pack)$/.test(args[0]!) && !raced) {
          raced = true;
          landElsewhere(origin.url, Object.fromEntries(Object.entries(renderedFiles('verity-api', '1.5.0')).map(([p, c]) => [`${APP}/${p}`, c])), 'deploy(verity-api): staging 1.5.0');
        }
      },
    });
    await expect(commitToGitops(stepOptions({ repository: origin.url, source: writeDir(renderedFiles('verity-api', '1.4.0')) }), d)).rejects.toThrow(
      /refusing to replace version 1\.5\.0 .* with the lower 1\.4\.0/,
    );
    expect(filesAt(origin.dir, APP)['monochart/templates/deployment.yaml']).toContain('gitops-actions.io/version: 1.5.0');
  });

  test('dry run: shows the diff, changes nothing', async () => {
    const origin = gitopsOrigin();
    const head = gitIn(origin.dir, ['rev-parse', 'main']);
    const r = await commitToGitops(stepOptions({ repository: origin.url, source: writeDir(renderedFiles('verity-api', '1.4.0')), dryRun: true }), deps());
    expect(r).toMatchObject({ changed: true, commitSha: head, attempts: 0, dryRun: true });
    expect(r.diff.added).toHaveLength(2);
    expect(r.patch).toContain('+  name: verity-api');
    expect(gitIn(origin.dir, ['rev-parse', 'main'])).toBe(head);
  });

  test('a missing branch is an error unless create-branch; then it starts from the default branch', async () => {
    const origin = gitopsOrigin();
    const source = writeDir(renderedFiles('verity-api', '1.4.0'));
    await expect(commitToGitops(stepOptions({ repository: origin.url, source, branch: 'production' }), deps())).rejects.toThrow(
      `branch 'production' does not exist in ${origin.url}; check input 'branch', or set 'create-branch: true' to create it`,
    );
    const r = await commitToGitops(stepOptions({ repository: origin.url, source, branch: 'production', createBranch: true }), deps());
    expect(r.changed).toBe(true);
    expect(r.notes[0]).toMatch(/^branch 'production' does not exist: creating it from the default branch 'main' at [0-9a-f]{12}$/);
    expect(gitIn(origin.dir, ['rev-parse', 'production~1'])).toBe(gitIn(origin.dir, ['rev-parse', 'main']));
  });

  test('an empty repository gets its first commit when asked', async () => {
    const bare = mkdtempSync(join(tmpdir(), 'gitops-empty-'));
    gitIn(bare, ['init', '--quiet', '--bare', '--initial-branch=main']);
    const r = await commitToGitops(
      stepOptions({ repository: `file://${bare}`, source: writeDir(renderedFiles('verity-api', '1.4.0')), createBranch: true }),
      deps(),
    );
    expect(r.changed).toBe(true);
    expect(gitIn(bare, ['rev-list', '--count', 'main'])).toBe('1');
    expect(treeListing(bare).map((l) => l.split('\t')[1])).toEqual([`${APP}/monochart/templates/deployment.yaml`, `${APP}/monochart/templates/service.yaml`]);
  });

  test('a path that leads through a symbolic link or a file in the repository is refused', async () => {
    const seedFiles = { ...defaultGitopsFiles(), 'clusters/README.md': 'x\n' };
    const origin = gitopsOrigin(seedFiles);
    const work = cloneOf(origin.url);
    symlinkSync('/etc', join(work.dir, 'escape'));
    symlinkSync('billing--staging', join(work.dir, 'alias--staging'));
    work.commit('chore: links', {});
    work.git('push', '--quiet', 'origin', 'HEAD:main');
    const source = writeDir(renderedFiles('verity-api', '1.4.0'));
    await expect(commitToGitops(stepOptions({ repository: origin.url, source, path: 'escape/argocd' }), deps())).rejects.toThrow(
      "input 'path': escape/argocd leads through a symbolic link in main; refusing to write through it (it could point anywhere)",
    );
    await expect(commitToGitops(stepOptions({ repository: origin.url, source, path: 'alias--staging' }), deps())).rejects.toThrow(
      /alias--staging leads through a symbolic link/,
    );
    await expect(commitToGitops(stepOptions({ repository: origin.url, source, path: 'README.md/app' }), deps())).rejects.toThrow(
      "input 'path': a directory on the way to README.md/app is a file in main, not a directory",
    );
    expect(subjects(origin.dir)[0]).toBe('chore: links');
  });

  test('a push the remote refuses by policy is not retried, and says what the remote said', async () => {
    const origin = gitopsOrigin();
    const hook = join(origin.dir, 'hooks', 'pre-receive');
    writeFileSync(hook, '#!/bin/sh\necho "error: GH006: Protected branch update failed for refs/heads/main." >&2\nexit 1\n');
    chmodSync(hook, 0o755);
    const d = deps();
    const error = await commitToGitops(stepOptions({ repository: origin.url, source: writeDir(renderedFiles('verity-api', '1.4.0')) }), d).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      `${origin.url} refused the push to main: [remote rejected] (pre-receive hook declined). The branch is protected: use 'mode: pull-request'.\n` +
        'error: GH006: Protected branch update failed for refs/heads/main.',
    );
    expect(d.waits).toEqual([]);
    rmSync(hook);
  });

  test('a refusal worded otherwise while the branch moved is a lost race: rebuilt on the new head, lands', async () => {
    const origin = gitopsOrigin();
    const other = landElsewhere(origin.url, { 'web--staging/new.yaml': manifest('ConfigMap', 'new', '2.1.0') }, 'deploy(web): staging 2.1.0');
    gitIn(origin.dir, ['update-ref', 'refs/heads/main', 'main~1']);
    // Once: the branch moves (as another pipeline's push would; the hook steps out of the push's quarantine to do it)
    // and the update is refused in words of the server's own.
    const hook = join(origin.dir, 'hooks', 'pre-receive');
    writeFileSync(hook, `#!/bin/sh
if [ ! -e "$GIT_DIR/moved" ]; then touch "$GIT_DIR/moved"; env -u GIT_QUARANTINE_PATH git update-ref refs/heads/main ${other}; echo "error: ref changed during the update" >&2; exit 1; fi
`);
    chmodSync(hook, 0o755);
    const d = deps();
    const r = await commitToGitops(stepOptions({ repository: origin.url, source: writeDir(renderedFiles('verity-api', '1.4.0')) }), d);
    expect(r).toMatchObject({ changed: true, attempts: 2 });
    expect(subjects(origin.dir)).toEqual(['deploy(verity-api): staging 1.4.0', 'deploy(web): staging 2.1.0', 'chore: initial desired state']);
    expect(d.lines.some((l) => /^main moved while we worked \(main moved \(\[remote rejected\] \(pre-receive hook declined\)\)\): rebuilding on the new head$/.test(l))).toBe(true);
  });

  test('a repository that does not exist: clear error, no retry', async () => {
    const d = deps();
    await expect(
      commitToGitops(stepOptions({ repository: 'file:///nonexistent/gitops.git', source: writeDir(renderedFiles('verity-api', '1.4.0')) }), d),
    ).rejects.toThrow(/^repository file:\/\/\/nonexistent\/gitops\.git not found, or the credentials cannot see it; could not fetch main\n.*does not appear to be a git repository/s);
    expect(d.waits).toEqual([]);
  });

  test('gives up after max-attempts when the branch keeps moving', async () => {
    const origin = gitopsOrigin();
    let n = 0;
    const d = deps({
      onGitCommand: (args) => {
        if (/^(push|receive-pack)$/.test(args[0]!)) landElsewhere(origin.url, { [`web--staging/churn-${n++}.yaml`]: 'x\n' }, `churn ${n}`);
      },
    });
    await expect(
      commitToGitops(stepOptions({ repository: origin.url, source: writeDir(renderedFiles('verity-api', '1.4.0')), maxAttempts: 3 }), d),
    ).rejects.toThrow(`gave up after 3 attempt(s): main of ${origin.url} kept moving or the connection kept failing; raise 'max-attempts' if many pipelines write to this repository at once`);
    expect(d.waits).toHaveLength(2);
    expect(subjects(origin.dir).filter((s) => s.startsWith('deploy(verity-api)'))).toEqual([]);
  });
});
