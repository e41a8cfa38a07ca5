import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type ServingCert = { cert: string; key: string };

let cached: ServingCert | undefined;

/**
 * A self-signed serving certificate for 127.0.0.1/localhost, made once per process with openssl.
 * kubectl (client-go) sends bearer tokens only over TLS, so the test server speaks HTTPS like a real one.
 */
export const servingCertificate = (): ServingCert => {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), "kube-test-server-tls-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "3650",
        "-subj",
        "/CN=kube-test-server",
        "-addext",
        "subjectAltName=IP:127.0.0.1,DNS:localhost",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
    cached = { cert: readFileSync(join(dir, "cert.pem"), "utf8"), key: readFileSync(join(dir, "key.pem"), "utf8") };
    return cached;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
