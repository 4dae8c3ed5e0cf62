/** A mistake in how a command was called (unknown command or flag, missing argument): reported with exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
