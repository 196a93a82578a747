import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A directory only this user can read, for files that carry secrets (auth
 * files, build secrets) on their way to a tool. Removed when `fn` settles,
 * whatever happens, so nothing is left behind on a self-hosted runner.
 */
export async function withPrivateTempDir<T>(base: string, fn: (dir: PrivateDir) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(base || tmpdir(), 'gitops-actions-'));
  chmodSync(dir, 0o700);
  try {
    return await fn(new PrivateDir(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export class PrivateDir {
  constructor(readonly path: string) {}

  /** Writes a file readable by this user only and returns its path. */
  write(name: string, content: string | Buffer): string {
    const file = join(this.path, name);
    writeFileSync(file, content, { mode: 0o600 });
    return file;
  }
}
