import { createInterface } from "node:readline";

/** Reads all of stdin (a piped password); the trailing newline is dropped. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

/** Asks once on the terminal without echoing what is typed. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const output = rl as unknown as { _writeToOutput?: (s: string) => void };
    process.stderr.write(question);
    output._writeToOutput = () => {};
    rl.question("", (answer) => {
      rl.close();
      process.stderr.write("\n");
      resolve(answer);
    });
  });
}

/**
 * The new password: from stdin when it is piped (`echo … | tollgate admin password`), else asked twice on
 * the terminal. Returns null when the two prompted entries differ.
 */
export async function readNewPassword(): Promise<string | null> {
  if (!process.stdin.isTTY) return readStdin();
  const first = await promptHidden("New admin password: ");
  const second = await promptHidden("Repeat it: ");
  return first === second ? first : null;
}
