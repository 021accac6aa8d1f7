/**
 * Bad input from the user: the one error type for it, carrying the field (a CLI option,
 * a JSON field such as `gains[3][1]`, a file) and the rule it breaks. The CLI prints it
 * as one line and exits 2 (src/cli/main.ts); the server answers it as a 4xx problem+json
 * (src/server/errors.ts). Every other error is a bug.
 */
export class InputError extends Error {
  override name = 'InputError';
  readonly field: string;
  readonly rule: string;

  /** `new InputError('--ema', 'must be in [0, 1)')`, or one message `field: rule` (split at its first ': '). */
  constructor(fieldOrMessage: string, rule?: string) {
    const split = rule === undefined ? /^(.*?): (.*)$/s.exec(fieldOrMessage) : null;
    const field = rule !== undefined ? fieldOrMessage : (split?.[1] ?? '');
    const text = rule ?? split?.[2] ?? fieldOrMessage;
    super(field === '' ? text : `${field}: ${text}`);
    this.field = field;
    this.rule = text;
  }

  /**
   * The same error reported under `field`, e.g. the CLI option that named the file holding
   * the bad value (`--input: gains[3][1]: must be >= 0`); `--solver` over `solver` is not repeated.
   */
  under(field: string): InputError {
    return new InputError(field, field === `--${this.field}` ? this.rule : this.message);
  }
}
