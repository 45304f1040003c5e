// The identity session reports the IdP refusing a grant as GATEHOUSE_IDP_ERROR. For a server's
// token that is a refusal of this server's auth settings, so it becomes GATEHOUSE_UPSTREAM_AUTH_FAILED
// with what the admin should change. Sign-in required and an unreachable IdP pass through as they are.
import { GatehouseError, isGatehouseError } from '../../../../common/errors.js';

/** `what` says what was asked for; `advice` what to tell the IT admin. */
export function idpRefusal(error: unknown, what: string, advice: string): unknown {
  if (!isGatehouseError(error) || error.code !== 'GATEHOUSE_IDP_ERROR') return error;
  return new GatehouseError('GATEHOUSE_UPSTREAM_AUTH_FAILED', `The IdP refused ${what} (${error.message}). Tell your IT admin: ${advice}`, { cause: error });
}
