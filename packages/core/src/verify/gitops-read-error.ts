import { InputError, ToolError } from '../errors/errors.js';
import { redact } from '../exec/redact.js';
import { classifyGitFailure } from '../gitops/git-failure.js';

/**
 * Why a GitOps repository could not be read, said so the reader knows what
 * to fix: the token, the repository's name, the network. Anything git
 * printed is redacted; no credential is ever part of the URL.
 */
export function gitopsReadError(thrown: unknown, where: { url: string; branch: string; tokenGiven: boolean; config: string }, secrets: readonly string[]): Error {
  if (!(thrown instanceof ToolError)) return thrown instanceof Error ? thrown : new Error(String(thrown));
  const tail = redact(thrown.stderrTail, secrets).trim().split('\n').slice(-3).join(' | ');
  const { url, branch, tokenGiven, config } = where;
  const prefix = `cannot read the GitOps repository ${url} (branch ${branch})`;
  switch (classifyGitFailure(thrown.stderrTail)) {
    case 'auth':
      return new InputError(
        tokenGiven
          ? `${prefix}: it refused the token in input 'gitops-token' (expired, revoked, or for another account?) [${tail}]`
          : `${prefix}: it asks for credentials; give a token that can read it in input 'gitops-token' [${tail}]`,
      );
    case 'permission':
    case 'not-found':
      return new InputError(
        `${prefix}: no such repository, or ${tokenGiven ? "the token in input 'gitops-token'" : 'an anonymous reader'} may not see it; check gitops.repository in ${config} and the token's access [${tail}]`,
      );
    case 'unreachable':
      return new InputError(`${prefix}: the server cannot be reached (check the host name in ${config} and the network) [${tail}]`);
    default:
      return new InputError(`${prefix}: ${thrown.command} failed with exit code ${thrown.exitCode ?? 'none'} [${tail}]`);
  }
}
