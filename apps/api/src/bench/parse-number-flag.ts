/** A whole-number command-line flag (`--offers 1000`) from 1 to `max`; exits with status 2 on a bad value. */
export function parseNumberFlag(argv: string[], flag: string, fallback: number, max: number): number {
  const i = argv.indexOf(flag);
  if (i < 0) return fallback;
  const n = Number(argv[i + 1]);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    process.stderr.write(`${flag}: "${argv[i + 1]}" is not a whole number from 1 to ${max}\n`);
    process.exit(2);
  }
  return n;
}
