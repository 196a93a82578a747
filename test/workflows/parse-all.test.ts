import { describe, expect, test } from 'vitest';
import { isActionStep, isJob } from './actions-parser.js';
import { findWorkflowFiles, formatProblem, parseWorkflowFile } from './parse-workflow.js';
import { displayPath, parseUses, selfRepository } from './uses-reference.js';

const parsed = await Promise.all(
  findWorkflowFiles().map(async (path) => ({ file: displayPath(path), path, ...(await parseWorkflowFile(path)) })),
);

describe('every workflow we ship or show parses with GitHub’s own parser', () => {
  test('the workflow files are found', () => {
    if (parsed.length === 0) console.warn('no workflow files in .github/workflows/ or examples/: nothing to parse');
    else console.info(`parsing ${parsed.length} workflow file(s):\n${parsed.map((p) => `  ${p.file}`).join('\n')}`);
    expect(parsed.every((p) => /\.ya?ml$/.test(p.path))).toBe(true);
  });

  test.each(parsed)('$file', ({ problems }) => {
    expect(problems.map(formatProblem)).toEqual([]);
  });
});

/**
 * Examples are copied into users' repositories, reusable workflows run in them, and our own CI
 * holds the keys to this one: third-party code is pinned everywhere, by a commit a tag cannot move.
 */
describe('every workflow pins every third-party action by full commit SHA', () => {
  test.each(parsed)('$file', ({ workflow }) => {
    const unpinned: string[] = [];
    for (const job of workflow?.template.jobs ?? []) {
      const refs = isJob(job) ? job.steps.filter(isActionStep).map((s) => s.uses) : [job.ref];
      for (const token of refs) {
        const ref = parseUses(token.value);
        if (ref?.kind === 'repository' && ref.repository !== selfRepository && !/^[0-9a-f]{40}$/.test(ref.ref)) {
          unpinned.push(`line ${token.line}: ${token.value}`);
        }
      }
    }
    expect(unpinned).toEqual([]);
  });
});
