// The checks every request to the prompts UI passes before anything else, as the MCP endpoint does
// (main/core/endpoint/request-gate.ts): any web page can reach 127.0.0.1, and DNS rebinding can make
// one look same-origin. So the Host must be ours, a browser-sent Origin must be ours, cross-site
// fetches are refused, and a POST must come from our own page.
import type { IncomingHttpHeaders } from 'node:http';

export type UiGateResult = { ok: true } | { ok: false; message: string };

export function checkUiRequest(method: string, headers: IncomingHttpHeaders, port: number): UiGateResult {
  const ours = [`127.0.0.1:${port}`, `localhost:${port}`];
  const host = headers.host?.toLowerCase();
  if (host === undefined || !ours.includes(host)) {
    return { ok: false, message: 'Forbidden: the Gatehouse prompts page answers only to Host 127.0.0.1 or localhost on its own port.' };
  }
  const origin = headers.origin?.toLowerCase();
  if (origin !== undefined && !ours.some((h) => origin === `http://${h}`)) {
    return { ok: false, message: 'Forbidden: requests from other web pages are not accepted.' };
  }
  if (headers['sec-fetch-site'] === 'cross-site' || headers['sec-fetch-site'] === 'same-site') {
    return { ok: false, message: 'Forbidden: cross-site requests are not accepted.' };
  }
  if (method !== 'GET' && method !== 'HEAD' && origin === undefined) {
    return { ok: false, message: 'Forbidden: answers are accepted only from the Gatehouse prompts page.' };
  }
  return { ok: true };
}
