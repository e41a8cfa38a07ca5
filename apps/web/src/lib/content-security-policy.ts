/**
 * The Content-Security-Policy of every page: scripts run only with this request's nonce (Next puts it on its
 * own bootstrap and chunk scripts, reading it from the request's CSP header) or when a nonced script loads
 * them ('strict-dynamic'); no inline script, no eval, no plugin, no framing, no foreign base or form target.
 * Styles keep 'unsafe-inline' (React style attributes); they cannot run code.
 */
export function buildContentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** A fresh, unguessable nonce (128 random bits, base64). */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
