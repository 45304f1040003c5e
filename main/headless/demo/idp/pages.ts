// The demo IdP's own pages: a login form and an error page. Plain HTML with a strict CSP, no scripts.
import type { ServerResponse } from 'node:http';
import type { DemoUser } from './users.js';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'";

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0;display:flex;justify-content:center;padding-top:10vh}
main{background:#fff;border-radius:8px;box-shadow:0 1px 4px #0002;padding:2rem;width:22rem}
h1{font-size:1.3rem;margin:0 0 1rem}label{display:block;margin:.8rem 0 .2rem}
input{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem}
button{margin-top:1.2rem;width:100%;padding:.6rem;font-size:1rem;background:#1f5fbf;color:#fff;border:0;border-radius:4px}
.error{color:#a11;margin:.5rem 0}.hint{color:#555;font-size:.85rem;margin-top:1.2rem}
</style></head><body><main>${body}</main></body></html>`;
}

export function loginPage(options: { uid: string; clientName: string; users: readonly DemoUser[]; username?: string; error?: string }): string {
  const error = options.error === undefined ? '' : `<p class="error" role="alert">${escapeHtml(options.error)}</p>`;
  const hint = options.users.map((u) => `<code>${escapeHtml(u.username)}</code> (${escapeHtml(u.groups.join(', '))})`).join(', ');
  return layout(
    'Sign in — Gatehouse demo IdP',
    `<h1>Sign in to ${escapeHtml(options.clientName)}</h1>
${error}<form method="post" action="/interaction/${encodeURIComponent(options.uid)}/login" autocomplete="off">
<label for="username">Username</label><input id="username" name="username" required autofocus value="${escapeHtml(options.username ?? '')}">
<label for="password">Password</label><input id="password" name="password" type="password" required>
<button type="submit">Sign in</button>
</form>
<p class="hint">Demo IdP. Users: ${hint}. Each password is the user name.</p>`,
  );
}

export function errorPage(title: string, message: string): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1><p class="error" role="alert">${escapeHtml(message)}</p>`);
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': CSP,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  });
  res.end(html);
}
