import pino from "pino";
import pretty from "pino-pretty";

export type Logger = pino.Logger;

/** Structured logs: JSON lines, or a readable form on a terminal. */
export function createLogger(options: { level: string; format: "pretty" | "json" }): Logger {
  if (options.format === "json") return pino({ level: options.level });
  return pino(
    { level: options.level },
    pretty({ colorize: true, sync: true, translateTime: "HH:MM:ss.l", ignore: "pid,hostname", destination: 2 }),
  );
}
