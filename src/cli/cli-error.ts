/**
 * The one error type CLI actions throw on purpose: its message is shown to the user as
 * is (no stack), and the process exits with `exitCode`.
 * @module
 */

/** A failure the user can fix: a bad name, a file in the way, no project found. */
export class CliError extends Error {
  /** Process exit code; 1 unless a command documents another. */
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
