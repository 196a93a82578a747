import { InputError, ToolError } from '../errors/errors.js';

/**
 * Why waiting for Argo CD stopped short of success.
 *
 * - ArgoCdRefusedError: Argo CD said no to the request itself (401 token
 *   rejected, 403 permission denied or unknown Application, 404). The user
 *   fixes a secret, a name or an RBAC policy; retrying cannot help.
 * - ArgoCdError: the deploy did not become live (Degraded, failed sync,
 *   timeout) or Argo CD could not be reached. Shown as an external failure.
 *
 * Messages never carry the token; text from Argo CD is neutralised by the
 * wrapper before it reaches the log.
 */
export class ArgoCdRefusedError extends InputError {
  constructor(
    message: string,
    readonly httpStatus: number,
  ) {
    super(message);
  }
}

export type WaitFailure = 'degraded' | 'sync-failed' | 'timeout' | 'unreachable' | 'bad-answer';

export class ArgoCdError extends ToolError {
  constructor(
    readonly kind: WaitFailure,
    readonly detail: string,
  ) {
    super('Argo CD', null, '', detail);
  }
}
