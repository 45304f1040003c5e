// What the `oauth` upstream auth mode needs: the policy's settings for one server and the ports it
// talks to the world through. Public clients only: a laptop cannot keep a client secret.
import type { Dispatcher } from 'undici';
import type { LookupAll } from '../../net/safe-lookup.js';
import type { Clock } from '../../ports/clock.js';
import type { Logger } from '../../ports/logger.js';
import type { Opener } from '../../ports/opener.js';
import type { SecretStore } from '../../ports/secret-store.js';

export interface OAuthUpstreamConfig {
  /** A client IT registered with the server's authorization server ahead of time. Tried first. */
  clientId?: string;
  /**
   * An https URL serving Gatehouse's client ID metadata document; used as the client_id when the
   * authorization server advertises `client_id_metadata_document_supported`. Tried second.
   */
  clientMetadataUrl?: string;
  /** Scopes to ask for; otherwise the server's challenge, else its metadata's scopes_supported. */
  scopes?: readonly string[];
  /** Hosts allowed even though they resolve to non-public addresses (an internal authorization server). */
  allowedHosts?: readonly string[];
  /** Development only: plain http and loopback addresses (fixtures, a server on this machine). */
  allowLoopbackHttp: boolean;
}

export interface OAuthUpstreamDeps {
  /** The policy id of the server; tokens are stored and looked up under it. */
  serverId: string;
  /** The MCP endpoint URL from policy: the protected resource. */
  serverUrl: string | URL;
  config: OAuthUpstreamConfig;
  secrets: SecretStore;
  /** Shows the consent page in the system browser. Receives only URLs the URL guard accepted. */
  opener: Opener;
  clock: Clock;
  logger: Logger;
  /** The host's undici dispatcher; OAuth requests go through it, wrapped by the SSRF guard. */
  dispatcher: Dispatcher;
  /** How long the user has to finish in the browser before the attempt is dropped. Default 5 minutes. */
  consentTimeoutMs?: number;
  /** After the user declines or lets consent time out, how long before the browser may open again. Default 30 s. */
  consentRetryMs?: number;
  /** DNS for the SSRF guard; tests substitute a fake. */
  lookup?: LookupAll;
}
