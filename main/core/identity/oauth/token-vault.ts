// Where one server's OAuth tokens and client registration live: the SecretStore (the OS keychain).
// Tokens are filed under the server's policy id and URL and carry both inside the record, so a
// token is only ever handed back to the server it was obtained for, even if records were swapped.
import { resourceUrlFromServerUrl } from '@modelcontextprotocol/client';
import * as z from 'zod';
import type { Logger } from '../../ports/logger.js';
import type { SecretStore } from '../../ports/secret-store.js';

const StoredTokensSchema = z.object({
  v: z.literal(1),
  serverId: z.string(),
  /** The server URL from policy (fragment removed): part of the key and checked on load. */
  serverUrl: z.string(),
  /** The RFC 8707 resource the token was requested for (its audience). */
  resource: z.string(),
  /** The issuer of the authorization server that minted it; refresh tokens go back only there. */
  issuer: z.string(),
  clientId: z.string(),
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1).optional(),
  /** Epoch ms by the Clock port; absent when the server gave no lifetime. */
  expiresAt: z.number().optional(),
  /** Scope the authorization server granted, or what was asked when it did not say. */
  scope: z.string().optional(),
  /** Scope Gatehouse asked for: the base for a step-up. */
  requestedScope: z.string().optional(),
  obtainedAt: z.number(),
  obtainedBy: z.enum(['consent', 'refresh']),
});

export type StoredTokens = z.infer<typeof StoredTokensSchema>;

const StoredClientSchema = z.object({
  v: z.literal(1),
  issuer: z.string(),
  clientId: z.string().min(1),
  /** The redirect URI registered; its port is tried first so strict servers match it exactly. */
  redirectUri: z.string(),
});

export type StoredClient = z.infer<typeof StoredClientSchema>;

export class TokenVault {
  constructor(
    private readonly secrets: SecretStore,
    private readonly serverId: string,
    private readonly serverUrl: string,
    private readonly logger: Logger,
  ) {}

  private get tokensAccount(): string {
    return `oauth-tokens:${this.serverId}:${this.serverUrl}`;
  }

  private clientAccount(issuer: string): string {
    return `oauth-client:${this.serverId}:${issuer}`;
  }

  async loadTokens(): Promise<StoredTokens | undefined> {
    const parsed = parse(StoredTokensSchema, await this.secrets.get(this.tokensAccount));
    if (parsed === undefined) return undefined;
    // The audience rule: never return a token stored for another server, whatever the key said.
    if (parsed.serverId !== this.serverId || parsed.serverUrl !== this.serverUrl) {
      this.logger.log('warn', 'ignored stored OAuth tokens that belong to another server', { server: this.serverId, storedFor: parsed.serverId });
      return undefined;
    }
    return parsed;
  }

  async saveTokens(tokens: StoredTokens): Promise<void> {
    if (tokens.serverId !== this.serverId || tokens.serverUrl !== this.serverUrl) throw new Error('tokens for another server');
    await this.secrets.set(this.tokensAccount, JSON.stringify(tokens));
  }

  async forgetTokens(): Promise<void> {
    await this.secrets.delete(this.tokensAccount);
  }

  async loadClient(issuer: string): Promise<StoredClient | undefined> {
    const parsed = parse(StoredClientSchema, await this.secrets.get(this.clientAccount(issuer)));
    return parsed?.issuer === issuer ? parsed : undefined;
  }

  async saveClient(client: StoredClient): Promise<void> {
    await this.secrets.set(this.clientAccount(client.issuer), JSON.stringify(client));
  }

  async forgetClient(issuer: string): Promise<void> {
    await this.secrets.delete(this.clientAccount(issuer));
  }
}

/** A record that no longer parses (an older format, a damaged entry) is treated as absent. */
function parse<T>(schema: z.ZodType<T>, text: string | undefined): T | undefined {
  if (text === undefined) return undefined;
  try {
    const result = schema.safeParse(JSON.parse(text));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}

/** Sign-out: the user's tokens for one server go; the client registration (not the user's) stays. */
export function forgetServerTokens(secrets: SecretStore, serverId: string, serverUrl: string | URL, logger: Logger): Promise<void> {
  return new TokenVault(secrets, serverId, resourceUrlFromServerUrl(serverUrl).href, logger).forgetTokens();
}
