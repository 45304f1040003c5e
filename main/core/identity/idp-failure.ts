// What went wrong talking to the IdP, sorted by what Gatehouse should do about it:
//  - invalid_grant: the refresh token is dead (revoked, expired, reused): sign in again;
//  - unreachable: network, timeout, 5xx, temporarily_unavailable: keep the tokens, back off, retry;
//  - rejected: any other OAuth error the IdP answered with (a configuration problem);
//  - invalid_response: the answer failed validation (signature, issuer, clock).
import { AuthorizationResponseError, ClientError, ResponseBodyError } from 'openid-client';

export type IdpFailureKind = 'invalid_grant' | 'unreachable' | 'rejected' | 'invalid_response';

export interface IdpFailure {
  readonly kind: IdpFailureKind;
  /** For the user: the IdP's error code and description, or what failed. Never contains a token. */
  readonly detail: string;
}

const CLOCK_CODES = new Set(['OAUTH_JWT_TIMESTAMP_CHECK_FAILED']);

export function classifyIdpFailure(error: unknown): IdpFailure {
  if (error instanceof ResponseBodyError) {
    const detail = `${error.error}${error.error_description ? `: ${error.error_description}` : ''} (HTTP ${error.status})`;
    if (error.error === 'invalid_grant') return { kind: 'invalid_grant', detail };
    if (error.status >= 500 || error.error === 'temporarily_unavailable') return { kind: 'unreachable', detail };
    return { kind: 'rejected', detail };
  }
  if (error instanceof AuthorizationResponseError) {
    // The IdP sent the browser back with an error (the user cancelled, consent refused...).
    return { kind: 'rejected', detail: `${error.error}${error.error_description ? `: ${error.error_description}` : ''}` };
  }
  if (error instanceof ClientError) {
    if (error.code === 'OAUTH_TIMEOUT') return { kind: 'unreachable', detail: 'the IdP did not answer in time' };
    if (error.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || error.code === 'OAUTH_RESPONSE_IS_NOT_JSON') {
      const status = error.cause instanceof Response ? error.cause.status : undefined;
      if (status === undefined || status >= 500 || status === 429) return { kind: 'unreachable', detail: `the IdP answered HTTP ${status ?? '?'}` };
      return { kind: 'rejected', detail: `the IdP answered HTTP ${status}` };
    }
    if (error.code !== undefined && CLOCK_CODES.has(error.code)) {
      return { kind: 'invalid_response', detail: `the IdP's token is not valid at this computer's time (${causeMessage(error)}); check that the system clock is correct` };
    }
    return { kind: 'invalid_response', detail: `${error.message}${causeMessage(error) ? ` (${causeMessage(error)})` : ''}` };
  }
  if (error instanceof TypeError) {
    // fetch() failing: refused connection, DNS, TLS, reset.
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return { kind: 'unreachable', detail: `${error.message}${cause}` };
  }
  return { kind: 'invalid_response', detail: error instanceof Error ? error.message : String(error) };
}

function causeMessage(error: Error): string {
  return error.cause instanceof Error ? error.cause.message : '';
}
