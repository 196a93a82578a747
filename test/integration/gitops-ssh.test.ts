import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { commitToGitops } from '#core/gitops/commit-to-gitops.js';
import { filesAt, gitopsOrigin, renderedFiles, stepOptions, writeDir } from './gitops-fixtures.js';

/**
 * There is no sshd here, so `ssh` itself is stood in for: a script first on
 * PATH that records how git called it (and what it found in the key file at
 * that moment), then runs the remote command locally, as sshd would run it
 * on the server. Everything on git's side of the connection is real: the ssh
 * transport, GIT_SSH_COMMAND parsing through sh, the key file's life.
 */
function fakeSsh(): { dir: string; log: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fake-ssh-'));
  const log = join(dir, 'calls.log');
  writeFileSync(
    join(dir, 'ssh'),
    `#!/bin/sh
log='${log}'
printf 'ARGS' >> "$log"; for a in "$@"; do printf ' [%s]' "$a" >> "$log"; done; printf '\\n' >> "$log"
key=''; host=''
while [ $# -gt 1 ]; do
  case "$1" in
    -i) key="$2"; shift 2 ;;
    -o|-p|-l|-F) shift 2 ;;
    *) host="$1"; shift ;;
  esac
done
printf 'HOST %s\\nKEY %s %s\\n' "$host" "$(stat -c %a "$key")" "$(head -1 "$key")" >> "$log"
exec sh -c "$1"
`,
  );
  chmodSync(join(dir, 'ssh'), 0o755);
  return { dir, log };
}

const KEY = `-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
QyNTUxOQAAACDtestkeytestkeytestkeytestkeytestkeytestkeytestkeyAAAAJA
-----END OPENSSH PRIVATE KEY-----
`;

const originalPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = originalPath;
});

describe('commit-to-gitops over ssh with a deploy key', () => {
  test('the key reaches ssh as a 0600 file that is gone afterwards; host keys are checked', async () => {
    const origin = gitopsOrigin();
    const ssh = fakeSsh();
    process.env.PATH = `${ssh.dir}:${originalPath}`;
    const options = stepOptions({
      repository: `ssh://git@gitops.example.test${origin.dir}`,
      source: writeDir(renderedFiles('verity-api', '1.4.0')),
      sshKey: KEY,
      sshKnownHosts: 'gitops.example.test ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeHostKeyForTheTestOnly0000000000000000',
    });
    const r = await commitToGitops(options, { log: () => {} });
    expect(r.changed).toBe(true);
    expect(filesAt(origin.dir, 'verity-api--staging')).toEqual(renderedFiles('verity-api', '1.4.0'));

    const calls = readFileSync(ssh.log, 'utf8');
    const keyFile = /\[-i\] \[([^\]]+)\]/.exec(calls)?.[1] ?? '';
    expect(keyFile).toMatch(new RegExp(`^${options.tempDir}/gitops-actions-[^/]+/ssh-key$`));
    expect(calls).toContain('[-o] [IdentitiesOnly=yes] [-o] [BatchMode=yes] [-o] [StrictHostKeyChecking=yes]');
    expect(calls).toMatch(/\[UserKnownHostsFile="[^"]+\/known_hosts"\]/);
    expect(calls).toContain('HOST git@gitops.example.test');
    // Every connection (fetch, lazy fetch of the directory's contents, push) saw the key, private.
    const keyLines = calls.split('\n').filter((l) => l.startsWith('KEY '));
    expect(keyLines.length).toBeGreaterThanOrEqual(2);
    for (const l of keyLines) expect(l).toBe('KEY 600 -----BEGIN OPENSSH PRIVATE KEY-----');
    expect(calls).toMatch(/\[git-receive-pack '[^']+'\]/);
    expect(existsSync(keyFile)).toBe(false);
    expect(calls).not.toContain('b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW');
  });

  test('a refused key: a clear error, the key file removed all the same', async () => {
    const origin = gitopsOrigin();
    const dir = mkdtempSync(join(tmpdir(), 'fake-ssh-'));
    writeFileSync(join(dir, 'ssh'), '#!/bin/sh\necho "git@gitops.example.test: Permission denied (publickey)." >&2\nexit 255\n');
    chmodSync(join(dir, 'ssh'), 0o755);
    process.env.PATH = `${dir}:${originalPath}`;
    const options = stepOptions({ repository: `git@gitops.example.test:${origin.dir}`, source: writeDir(renderedFiles('verity-api', '1.4.0')), sshKey: KEY });
    await expect(commitToGitops(options, { log: () => {} })).rejects.toThrow(
      /^git@gitops\.example\.test:\S+ refused the ssh key, or its host key is not known \(add it to 'ssh-known-hosts'\); could not fetch main\n.*Permission denied \(publickey\)/s,
    );
    expect(readdirSync(options.tempDir)).toEqual([]);
  });
});
