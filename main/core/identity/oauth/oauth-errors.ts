// What a failed sign-in or refresh means for the user, in words that say what to do next. Messages
// reach the agent, so they name the server and the step, never a token or a code.
import { OAuthError } from '@modelcontextprotocol/client';
import { GatehouseError, isGatehouseError } from '../../../../common/errors.js';
import { AuthorizationResponseError, CallbackTimeoutError } from './loopback-callback.js';

export interface ConsentFailure {
  error: GatehouseError;
  /** The user said no or did not finish: do not pop the browser up again straight away. */
  holdOff: boolean;
}

export function consentFailure(error: unknown, serverId: string, timeoutMs: number, closing: boolean): ConsentFailure {
  const who = `server "${serverId}"`;
  if (closing) {
    return { holdOff: false, error: new GatehouseError('GATEHOUSE_UPSTREAM_CONSENT_REQUIRED', `The sign-in to ${who} was cancelled because Gatehouse is shutting down. Retry once it is running again.`, { cause: error }) };
  }
  if (error instanceof AuthorizationResponseError && error.error === 'access_denied') {
    return {
      holdOff: true,
      error: new GatehouseError('GATEHOUSE_UPSTREAM_CONSENT_REQUIRED', `Access to ${who} was not granted in the browser. To use its tools, retry the request and approve access on the page Gatehouse opens.`, { cause: error }),
    };
  }
  if (error instanceof CallbackTimeoutError) {
    const minutes = Math.max(1, Math.round(timeoutMs / 60_000));
    return {
      holdOff: true,
      error: new GatehouseError('GATEHOUSE_UPSTREAM_CONSENT_REQUIRED', `Gatehouse opened a browser window to authorize access to ${who}, but the sign-in was not completed within ${minutes} minute${minutes === 1 ? '' : 's'}. Retry the request to open it again.`, { cause: error }),
    };
  }
  if (isGatehouseError(error)) return { holdOff: false, error };
  if (error instanceof AuthorizationResponseError) {
    return { holdOff: false, error: new GatehouseError('GATEHOUSE_UPSTREAM_AUTH_FAILED', `The authorization server of ${who} refused the sign-in (${error.message.slice(0, 300)}). Ask the administrator to check the server's OAuth settings.`, { cause: error }) };
  }
  return { holdOff: false, error: failed(`Signing in to ${who} failed`, error) };
}

export function refreshFailure(error: unknown, serverId: string): GatehouseError {
  return isGatehouseError(error) ? error : failed(`Gatehouse could not renew its access to server "${serverId}"`, error);
}

/** Whether the authorization server no longer honours the grant or the client: sign in afresh. */
export function isGrantGone(error: unknown): { clientGone: boolean } | undefined {
  if (!(error instanceof OAuthError)) return undefined;
  if (error.code === 'invalid_grant') return { clientGone: false };
  if (error.code === 'invalid_client' || error.code === 'unauthorized_client') return { clientGone: true };
  return undefined;
}

function failed(what: string, error: unknown): GatehouseError {
  const detail = error instanceof OAuthError ? `the authorization server answered ${error.code}${error.message ? `: ${error.message}` : ''}` : error instanceof Error ? error.message : String(error);
  return new GatehouseError('GATEHOUSE_UPSTREAM_AUTH_FAILED', `${what}: ${detail.slice(0, 300)}. Retry later; if it keeps failing, ask the administrator to check the server's OAuth settings.`, { cause: error });
}
