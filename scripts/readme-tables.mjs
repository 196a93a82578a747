#!/usr/bin/env node
// Keeps the README's inputs/outputs tables in sync with actions/*/action.yml.
//   --write  regenerate the tables in README.md (npm run docs)
//   --check  fail when README.md differs from what --write would produce (npm run check:docs)
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseActionYaml, updateReadme } from './lib/readme-tables.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const readmePath = join(root, 'README.md');

const mode = process.argv[2];
if (process.argv.length !== 3 || (mode !== '--write' && mode !== '--check')) {
  console.error('usage: node scripts/readme-tables.mjs --write|--check');
  process.exit(2);
}

const actions = new Map();
const actionsDir = join(root, 'actions');
for (const name of readdirSync(actionsDir).sort()) {
  const file = join(actionsDir, name, 'action.yml');
  if (!existsSync(file)) continue;
  actions.set(name, parseActionYaml(readFileSync(file, 'utf8'), relative(root, file)));
}

if (!existsSync(readmePath)) {
  console.error('README.md does not exist');
  process.exit(1);
}
const readme = readFileSync(readmePath, 'utf8');
const { content, stale, errors } = updateReadme(readme, actions);

for (const error of errors) console.error(`error: ${error}`);

if (mode === '--write') {
  if (content !== readme) writeFileSync(readmePath, content);
  console.log(
    stale.length > 0 ? `README.md: updated ${stale.join(', ')}` : 'README.md: tables already up to date',
  );
  process.exit(errors.length > 0 ? 1 : 0);
}

if (stale.length > 0) {
  console.error(
    `README.md is out of date with action.yml for: ${stale.join(', ')}\n` +
      'Run `npm run docs` and commit README.md.',
  );
}
if (errors.length > 0 || stale.length > 0) process.exit(1);
console.log(`README.md: tables match action.yml for ${[...actions.keys()].join(', ') || 'no actions'}`);
