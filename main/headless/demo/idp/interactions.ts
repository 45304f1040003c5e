// The login step of the demo IdP. oidc-provider sends the browser to /interaction/<uid> whenever it
// needs the user: to log in (our form) or to consent (granted automatically: the demo client is
// first-party, as Gatehouse is for an enterprise IdP).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InteractionDetails, Provider } from 'oidc-provider';
import { errorPage, loginPage, sendHtml } from './pages.js';
import type { UserDirectory } from './users.js';

const MAX_FORM_BYTES = 8 * 1024;
const ROUTE = /^\/interaction\/([A-Za-z0-9_-]+)(\/login)?$/;

/** Handles the request when it belongs to an interaction; returns false to let the provider have it. */
export async function handleInteraction(provider: Provider, users: UserDirectory, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const match = ROUTE.exec(new URL(req.url ?? '/', 'http://idp.invalid').pathname);
  if (match === null) return false;
  const uid = match[1]!;
  const isLogin = match[2] !== undefined;
  try {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) {
      sendHtml(res, 400, errorPage('Sign-in expired', 'This sign-in page is out of date. Start the sign-in again from Gatehouse.'));
      return true;
    }
    if (req.method === 'GET' && !isLogin) await showStep(provider, users, details, req, res);
    else if (req.method === 'POST' && isLogin) await submitLogin(provider, users, details, req, res);
    else sendHtml(res, 405, errorPage('Not allowed', 'This page does not accept that request.'));
  } catch (error) {
    // Expired or unknown interaction cookie (SessionNotFound) and the like: tell the user plainly.
    if (!res.headersSent) sendHtml(res, 400, errorPage('Sign-in failed', (error as Error).message || 'the sign-in could not continue'));
  }
  return true;
}

async function showStep(provider: Provider, users: UserDirectory, details: InteractionDetails, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (details.prompt.name === 'login') {
    sendHtml(res, 200, loginPage({ uid: details.uid, clientName: await clientName(provider, details), users: users.list() }));
    return;
  }
  if (details.prompt.name === 'consent') {
    await grantConsent(provider, details, req, res);
    return;
  }
  sendHtml(res, 400, errorPage('Sign-in failed', `unsupported step '${details.prompt.name}'`));
}

async function submitLogin(provider: Provider, users: UserDirectory, details: InteractionDetails, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (details.prompt.name !== 'login') {
    sendHtml(res, 400, errorPage('Sign-in failed', 'this sign-in step is already done'));
    return;
  }
  const form = new URLSearchParams(await readBody(req));
  const username = form.get('username') ?? '';
  const user = users.authenticate(username, form.get('password') ?? '');
  if (user === undefined) {
    const page = loginPage({ uid: details.uid, clientName: await clientName(provider, details), users: users.list(), username, error: 'Wrong username or password.' });
    sendHtml(res, 401, page);
    return;
  }
  await provider.interactionFinished(req, res, { login: { accountId: user.username } }, { mergeWithLastSubmission: false });
}

async function grantConsent(provider: Provider, details: InteractionDetails, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const accountId = details.session?.accountId;
  const clientId = String(details.params['client_id']);
  if (accountId === undefined) throw new Error('no signed-in user for this consent');
  const grant = (details.grantId !== undefined ? await provider.Grant.find(details.grantId) : undefined) ?? new provider.Grant({ accountId, clientId });
  const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(resource, scopes.join(' '));
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: details.grantId === undefined ? { grantId } : {} }, { mergeWithLastSubmission: true });
}

async function clientName(provider: Provider, details: InteractionDetails): Promise<string> {
  const client = await provider.Client.find(String(details.params['client_id']));
  return (client as { clientName?: string } | undefined)?.clientName ?? 'Gatehouse';
}

async function readBody(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new Error('the form is too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
