// The checks every request passes before Gatehouse reads a byte of its body. Localhost is not a
// trust boundary: a web page in the user's browser can reach 127.0.0.1, and DNS rebinding can make
// it look same-origin. So: the Host must be ours, a browser-sent Origin must be ours, a
// cross-site fetch is refused, and only a registered client's token opens the door.
import type { IncomingHttpHeaders } from 'node:http';

export type GateResult =
  | { ok: true; token: string }
  | { ok: false; status: 403 | 401; message: string };

export function checkRequest(headers: IncomingHttpHeaders, port: number): GateResult {
  const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  const host = headers.host?.toLowerCase();
  if (!host || !allowedHosts.includes(host)) {
    return { ok: false, status: 403, message: 'Forbidden: this endpoint answers only to Host 127.0.0.1 or localhost on its own port.' };
  }
  const origin = headers.origin;
  if (origin !== undefined && !allowedHosts.some((h) => origin.toLowerCase() === `http://${h}`)) {
    return { ok: false, status: 403, message: 'Forbidden: requests from web pages are not accepted.' };
  }
  if (headers['sec-fetch-site'] === 'cross-site') {
    return { ok: false, status: 403, message: 'Forbidden: cross-site requests are not accepted.' };
  }
  const auth = headers.authorization;
  const match = typeof auth === 'string' ? /^Bearer ([\x21-\x7e]{1,512})$/i.exec(auth.trim()) : null;
  if (!match) {
    return { ok: false, status: 401, message: 'Unauthorized: send the client token Gatehouse gave this IDE (run `gatehouse connect <client>`).' };
  }
  return { ok: true, token: match[1]! };
}
