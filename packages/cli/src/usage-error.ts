/** The command line was wrong: exit code 2, as scripts expect from a usage error. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
