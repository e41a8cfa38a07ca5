/** Exit codes of SPEC §14. */
export const exitCodes = { ok: 0, refused: 1, usage: 2, unreachable: 3 } as const;

/** An error the CLI reports as one line (or a JSON document) with a specific exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly details: { code?: string; field?: string; hint?: string } = {},
  ) {
    super(message);
  }
}
