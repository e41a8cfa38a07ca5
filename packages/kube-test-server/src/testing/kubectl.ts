import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type KubectlResult = { code: number; stdout: string; stderr: string };

/** Runs the real kubectl against a kubeconfig, with a private HOME so no discovery cache is shared. */
export const createKubectl = (kubeconfig: string) => {
  const home = mkdtempSync(join(tmpdir(), "kubectl-home-"));
  // biome-ignore lint/style/noProcessEnv: kubectl needs the parent's PATH; only KUBECONFIG and HOME change
  const env = { ...process.env, KUBECONFIG: kubeconfig, HOME: home };
  const run = (args: string[], input?: string): Promise<KubectlResult> =>
    new Promise((resolve) => {
      const child = execFile(
        "kubectl",
        args,
        { env, timeout: 60_000, maxBuffer: 32 * 1024 * 1024 },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
      if (input !== undefined) child.stdin?.end(input);
    });
  /** Starts a long-running kubectl (e.g. `get -w`) and collects its output. */
  const start = (
    args: string[],
  ): { child: ChildProcess; output: () => string; waitFor: (text: string, ms: number) => Promise<string> } => {
    const child = spawn("kubectl", args, { env });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      out += d.toString();
    });
    const waitFor = (text: string, ms: number) =>
      new Promise<string>((resolve, reject) => {
        const started = Date.now();
        const tick = () => {
          if (out.includes(text)) resolve(out);
          else if (Date.now() - started > ms)
            reject(new Error(`kubectl output never contained ${JSON.stringify(text)}:\n${out}`));
          else setTimeout(tick, 50);
        };
        tick();
      });
    return { child, output: () => out, waitFor };
  };
  return { run, start, env };
};
