/** An error caused by the user's input: printed as one line, exit code 2, no stack trace. */
export class UserError extends Error {
  override name = 'UserError';
}
