/**
 * The sandbox's document. Containment comes from two things together (docs/sandbox.md, "What stops what",
 * measured by the red-team suite's escape attempts): the iframe's `sandbox="allow-scripts"` without
 * allow-same-origin gives it an opaque origin, so the app's IndexedDB, Cache Storage and localStorage are
 * out of reach; and this Content-Security-Policy,
 * which names no URL at all, so nothing inside can open a connection (fetch, XHR, WebSocket, beacons) or
 * load a script other than the supervisor (by hash) and the blob: workers it makes. Either alone leaks.
 */

export async function sandboxDocument(supervisorSource: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(supervisorSource));
  const hash = btoa(String.fromCharCode(...new Uint8Array(digest)));
  const policy = [
    "default-src 'none'",
    `script-src 'sha256-${hash}' blob: 'wasm-unsafe-eval'`,
    'worker-src blob:',
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  // The supervisor may not contain "</script>": it does not, and the check keeps it that way.
  if (supervisorSource.includes('</script')) throw new Error('supervisor source cannot be inlined');
  return (
    '<!doctype html><html><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="${policy}">` +
    `</head><body><script>${supervisorSource}</script></body></html>`
  );
}
