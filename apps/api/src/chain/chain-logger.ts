/** The logging the chain layer needs; a pino logger satisfies it. */
export interface ChainLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** A logger that drops everything (tests, one-shot CLI commands). */
export const silentLogger: ChainLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
