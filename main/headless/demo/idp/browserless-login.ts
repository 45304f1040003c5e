// Signs a user in at the demo IdP without a browser: follows the authorization request's redirects,
// keeps the IdP's cookies, submits the IdP's own login form, and lands on Gatehouse's loopback
// callback. `gatehouse demo --as <user>` uses it, and so does every test that only needs someone
// signed in (the browser path has its own tests). It only knows the demo IdP's login form.
import type { Opener } from '../../../core/ports/opener.js';

export interface LoginOutcome {
  /** Status of the final response, from Gatehouse's loopback callback page. */
  status: number;
  body: string;
}

export async function loginWithoutBrowser(authorizationUrl: URL, username: string, password = username): Promise<LoginOutcome> {
  const jar = new Map<string, string>();
  let url = authorizationUrl;
  let method = 'GET';
  let body: string | undefined;
  for (let hop = 0; hop < 20; hop++) {
    const sameIdp = url.origin === authorizationUrl.origin;
    const response = await fetch(url, {
      method,
      redirect: 'manual',
      headers: {
        ...(sameIdp && jar.size > 0 ? { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
        ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body,
    });
    if (sameIdp) {
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const eq = pair!.indexOf('=');
        jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
      }
    }
    const text = await response.text();
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      url = new URL(location, url);
      method = 'GET';
      body = undefined;
      continue;
    }
    const form = /<form method="post" action="([^"]+)"/.exec(text);
    if (sameIdp && response.status === 200 && form !== null) {
      url = new URL(form[1]!.replace(/&amp;/g, '&'), url);
      method = 'POST';
      body = new URLSearchParams({ username, password }).toString();
      continue;
    }
    return { status: response.status, body: text };
  }
  throw new Error('too many redirects while signing in');
}

/** An Opener that signs `username` in without a browser, as soon as Gatehouse opens the URL. */
export function browserlessOpener(username: string, password = username): Opener & { outcome: Promise<LoginOutcome> } {
  let resolve!: (outcome: LoginOutcome) => void;
  let reject!: (error: unknown) => void;
  const outcome = new Promise<LoginOutcome>((res, rej) => ((resolve = res), (reject = rej)));
  outcome.catch(() => {});
  return {
    outcome,
    open(url: URL) {
      // Not awaited: Gatehouse answers the callback only once it has exchanged the code.
      loginWithoutBrowser(url, username, password).then(resolve, reject);
      return Promise.resolve();
    },
  };
}
