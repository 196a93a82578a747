import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A fixed identity and clock so fixtures are reproducible and need no global git config. */
const IDENTITY = {
  GIT_AUTHOR_NAME: 'Fixture Author',
  GIT_AUTHOR_EMAIL: 'author@example.test',
  GIT_COMMITTER_NAME: 'Fixture Committer',
  GIT_COMMITTER_EMAIL: 'committer@example.test',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

export function gitIn(cwd: string, args: string[], input?: string): string {
  return execFileSync('git', args, {
    cwd,
    env: { ...process.env, ...IDENTITY },
    input,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
  }).trimEnd();
}

/** A real git repository in a temp directory, with the operations fixtures need. */
export class TestRepo {
  private tick = 0;

  constructor(readonly dir: string) {}

  static create(options: { branch?: string; bare?: boolean } = {}): TestRepo {
    const dir = mkdtempSync(join(tmpdir(), 'gha-repo-'));
    gitIn(dir, ['init', '--quiet', `--initial-branch=${options.branch ?? 'main'}`, ...(options.bare ? ['--bare'] : [])]);
    return new TestRepo(dir);
  }

  git(...args: string[]): string {
    return gitIn(this.dir, args);
  }

  /** A commit with the given message; `files` are written (relative paths) before it. */
  commit(message: string, files: Record<string, string> = { [`file-${this.tick}.txt`]: `${this.tick}\n` }): string {
    this.tick++;
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(this.dir, path)), { recursive: true });
      writeFileSync(join(this.dir, path), content);
    }
    gitIn(this.dir, ['add', '--all']);
    const date = `${1_700_000_000 + this.tick * 60} +0000`;
    execFileSync('git', ['commit', '--quiet', '--allow-empty', '--file=-'], {
      cwd: this.dir,
      env: { ...process.env, ...IDENTITY, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
      input: message,
    });
    return this.head();
  }

  head(): string {
    return this.git('rev-parse', 'HEAD');
  }

  tag(name: string, options: { annotated?: boolean; at?: string } = {}): void {
    const at = options.at ?? 'HEAD';
    if (options.annotated) this.git('tag', '--annotate', '--message', `release ${name}`, name, at);
    else this.git('tag', name, at);
  }

  checkout(...args: string[]): void {
    this.git('checkout', '--quiet', ...args);
  }

  /** A merge commit (never fast-forward) of `branch` into the current branch. */
  merge(branch: string, message = `Merge branch '${branch}'`): string {
    this.git('merge', '--quiet', '--no-ff', '--message', message, branch);
    return this.head();
  }

  /** A bare copy to act as `origin`, served over file:// so shallow fetches behave as over the network. */
  bareOrigin(): { dir: string; url: string } {
    const bare = mkdtempSync(join(tmpdir(), 'gha-origin-'));
    gitIn(bare, ['clone', '--quiet', '--bare', '--no-local', this.dir, '.']);
    gitIn(bare, ['config', 'uploadpack.allowFilter', 'true']);
    gitIn(bare, ['config', 'uploadpack.allowReachableSHA1InWant', 'true']);
    return { dir: bare, url: `file://${bare}` };
  }
}

/** Clones `url` as actions/checkout would: `extra` carries --depth, --filter, --no-tags … */
export function cloneOf(url: string, extra: string[] = []): TestRepo {
  const dir = mkdtempSync(join(tmpdir(), 'gha-clone-'));
  gitIn(dir, ['clone', '--quiet', ...extra, url, '.']);
  return new TestRepo(dir);
}
