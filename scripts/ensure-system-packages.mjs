#!/usr/bin/env node
// Makes sure the system tools the tests drive for real are present (DESIGN.md §4):
// installs the missing Debian packages when it can (root + apt-get), otherwise fails
// with the exact command to run. Runs before `vitest run` in `npm test`.
import { spawnSync } from 'node:child_process';
import { accessSync, closeSync, constants, openSync, readSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Each requirement: how to find it, and the Debian package that provides it (if any). */
const REQUIREMENTS = [
  { name: 'git', find: () => onPath('git'), debian: 'git' },
  { name: 'buildah', find: () => onPath('buildah'), debian: 'buildah' },
  { name: 'skopeo', find: () => onPath('skopeo'), debian: 'skopeo' },
  // The CNCF distribution registry server, as Debian ships it.
  { name: 'docker-registry', find: () => executable('/usr/bin/docker-registry'), debian: 'docker-registry' },
  // Makes the token server's self-signed signing certificate (Node cannot create X.509).
  { name: 'openssl', find: () => onPath('openssl'), debian: 'openssl' },
  // A busybox copied into a `FROM scratch` image has no libc there: it must be the static one
  // (Debian's `busybox` package puts a dynamically linked one at the same path).
  { name: 'busybox (static)', find: () => staticExecutable('/bin/busybox'), debian: 'busybox-static' },
  {
    name: 'kubectl',
    find: () => onPath('kubectl'),
    debian: null,
    howToInstall:
      'kubectl is not a Debian package: install it from the Kubernetes package repository ' +
      '(https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/) so that `kubectl kustomize` is on PATH.',
  },
];

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    return null;
  }
}

/** The path when it is an ELF executable without a dynamic loader (no PT_INTERP), else null. */
function staticExecutable(path) {
  if (executable(path) === null) return null;
  const fd = openSync(path, 'r');
  try {
    const read = (offset, length) => {
      const buffer = Buffer.alloc(length);
      return readSync(fd, buffer, 0, length, offset) === length ? buffer : null;
    };
    const ident = read(0, 64);
    if (!ident || ident.readUInt32BE(0) !== 0x7f454c46) return null; // "\x7fELF"
    const is64 = ident[4] === 2;
    const le = ident[5] === 1;
    const u16 = (b, o) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
    const u32 = (b, o) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
    const phoff = is64 ? Number(le ? ident.readBigUInt64LE(32) : ident.readBigUInt64BE(32)) : u32(ident, 28);
    const phentsize = u16(ident, is64 ? 54 : 42);
    const phnum = u16(ident, is64 ? 56 : 44);
    const PT_INTERP = 3;
    for (let i = 0; i < phnum; i += 1) {
      const header = read(phoff + i * phentsize, 4);
      if (!header) return null;
      if (u32(header, 0) === PT_INTERP) return null;
    }
    return path;
  } finally {
    closeSync(fd);
  }
}

function onPath(command) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const found = executable(join(dir, command));
    if (found) return found;
  }
  return null;
}

function run(argv, env = process.env) {
  console.log(`$ ${argv.join(' ')}`);
  const result = spawnSync(argv[0], argv.slice(1), { stdio: 'inherit', env });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    console.error(`ensure-system-packages: '${argv.join(' ')}' exited with ${result.status ?? result.signal}`);
    process.exit(1);
  }
}

function missingRequirements() {
  return REQUIREMENTS.filter((r) => r.find() === null);
}

const missing = missingRequirements();
if (missing.length === 0) {
  console.log(`ensure-system-packages: all present (${REQUIREMENTS.map((r) => r.name).join(', ')})`);
  process.exit(0);
}

const notDebian = missing.filter((r) => r.debian === null);
const packages = missing.filter((r) => r.debian !== null).map((r) => r.debian);
let failed = false;

if (packages.length > 0) {
  const installArgv = ['apt-get', 'install', '-y', '--no-install-recommends', ...packages];
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const aptGet = onPath('apt-get');
  if (isRoot && aptGet) {
    console.log(`ensure-system-packages: installing missing Debian packages: ${packages.join(' ')}`);
    const started = Date.now();
    run(['apt-get', 'update']);
    run(installArgv, { ...process.env, DEBIAN_FRONTEND: 'noninteractive' });
    console.log(`ensure-system-packages: installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const stillMissing = missingRequirements().filter((r) => r.debian !== null);
    if (stillMissing.length > 0) {
      console.error(
        `ensure-system-packages: still missing after install: ${stillMissing.map((r) => r.name).join(', ')}`,
      );
      failed = true;
    }
  } else {
    const why = aptGet ? 'not running as root' : 'apt-get not found';
    console.error(`ensure-system-packages: missing ${packages.join(', ')} (${why}). Run:`);
    console.error(`  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive ${installArgv.join(' ')}`);
    failed = true;
  }
}

for (const r of notDebian) {
  console.error(`ensure-system-packages: ${r.name} is missing. ${r.howToInstall}`);
  failed = true;
}

process.exit(failed ? 1 : 0);
