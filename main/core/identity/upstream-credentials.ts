// How the upstream layer asks for the user's token for one server, whatever auth.mode produced it.
// The upstream transports call authorization() before every request and rejected() when the server
// answers 401 (or 403 insufficient_scope); they never see how the token was obtained.
export interface UpstreamCredentials {
  /** The Authorization header value for the next request, or undefined when the server needs none.
   *  Throws a GatehouseError (GATEHOUSE_SIGN_IN_REQUIRED, GATEHOUSE_UPSTREAM_CONSENT_REQUIRED, ...)
   *  when no token can be had now. */
  authorization(signal?: AbortSignal): Promise<string | undefined>;
  /** The server refused the token it was given. Returns true when a fresh token was obtained and
   *  one retry is worth making; false when retrying would only fail again. */
  rejected(challenge: { status: number; wwwAuthenticate: string | undefined; token: string | undefined }, signal?: AbortSignal): Promise<boolean>;
  /** Ends whatever the credentials hold open (a pending browser consent and its loopback listener). */
  close?(): Promise<void>;
}

export const NO_CREDENTIALS: UpstreamCredentials = {
  authorization: () => Promise.resolve(undefined),
  rejected: () => Promise.resolve(false),
};
