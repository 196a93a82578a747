/**
 * The three kinds of failure a user can meet (DESIGN §3.3). The wrapper in
 * runtime/run-action.ts turns each into the right message; everything else is a bug.
 */

/** An input or configuration the user has to fix. The message alone is shown. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** An external command failed. Shows command, exit code and the tail of its stderr. */
export class ToolError extends Error {
  override readonly name = 'ToolError';
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly stderrTail: string,
    readonly reason: string,
  ) {
    super(ToolError.format(command, exitCode, stderrTail, reason));
  }

  private static format(command: string, exitCode: number | null, stderrTail: string, reason: string): string {
    const status = exitCode === null ? reason : `${reason} (exit code ${exitCode})`;
    const tail = stderrTail.trim();
    return tail ? `${command}: ${status}\n${tail}` : `${command}: ${status}`;
  }
}

/** Anything thrown, including non-Error values, as a message a user can act on. */
export function describeThrown(thrown: unknown): { message: string; isBug: boolean; stack?: string } {
  if (thrown instanceof InputError || thrown instanceof ToolError) return { message: thrown.message, isBug: false };
  if (thrown instanceof Error) {
    return {
      message: `unexpected error, please report it as a bug in gitops-actions: ${thrown.message || thrown.name}`,
      isBug: true,
      ...(thrown.stack ? { stack: thrown.stack } : {}),
    };
  }
  let shown: string;
  if (typeof thrown === 'string') shown = thrown;
  else if (thrown === undefined || thrown === null) shown = String(thrown);
  else {
    try {
      shown = JSON.stringify(thrown) ?? String(thrown);
    } catch {
      shown = Object.prototype.toString.call(thrown);
    }
  }
  return { message: `unexpected error, please report it as a bug in gitops-actions: a non-Error value was thrown: ${shown}`, isBug: true };
}
