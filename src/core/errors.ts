// A usage or input error: printed as one line naming the option or file at fault, exit code 2.
// In core so that any layer reading user input (allowlists, lockfiles) can raise it without
// depending on the CLI.
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
