// oidc-provider ships no TypeScript types. This declares only the part of its API the demo IdP uses,
// loosely: the provider is configured with plain objects and hands back Koa contexts we read sparingly.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export type AdapterPayload = Record<string, unknown> & {
    accountId?: string;
    grantId?: string;
    uid?: string;
    userCode?: string;
    consumed?: unknown;
    kind?: string;
  };

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn: number | undefined): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export interface OidcContext {
    route?: string;
    params?: Record<string, unknown>;
    client?: Client;
    entities: Record<string, unknown>;
  }

  /** The Koa context oidc-provider passes to hooks and middlewares. */
  export interface KoaContextWithOIDC {
    oidc: OidcContext;
    path: string;
    method: string;
    status: number;
    body: unknown;
    type: string;
    req: IncomingMessage;
    res: ServerResponse;
    set(field: string, value: string): void;
  }

  export interface Client {
    clientId: string;
    clientAuthMethod: string;
    grantTypeAllowed(type: string): boolean;
  }

  export interface InteractionDetails {
    uid: string;
    prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
    params: Record<string, unknown>;
    session?: { accountId?: string };
    grantId?: string;
  }

  export interface Grant {
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  }

  export interface AccessToken {
    accountId: string;
    clientId: string;
    grantId?: string;
    scope?: string;
    resourceServer?: unknown;
    isExpired: boolean;
    save(): Promise<string>;
  }

  export class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    readonly issuer: string;
    proxy: boolean;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    use(middleware: (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>): void;
    on(event: string, listener: (...args: unknown[]) => void): this;
    registerGrantType(
      name: string,
      handler: (ctx: KoaContextWithOIDC) => Promise<void>,
      parameters?: string[],
      allowedDuplicateParameters?: string[],
    ): void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, options?: { mergeWithLastSubmission?: boolean }): Promise<void>;
    readonly Grant: {
      new (properties: { accountId: string; clientId: string }): Grant;
      find(id: string): Promise<Grant | undefined>;
    };
    readonly AccessToken: {
      new (properties: Record<string, unknown>): AccessToken;
      find(value: string): Promise<AccessToken | undefined>;
    };
    readonly ResourceServer: new (identifier: string, data: Record<string, unknown>) => unknown;
    readonly Client: { find(id: string): Promise<Client | undefined> };
  }

  export const errors: {
    /** The argument is the server-side detail (logged, not sent). */
    InvalidGrant: new (detail?: string) => Error;
    InvalidRequest: new (description?: string) => Error;
    InvalidTarget: new (description?: string) => Error;
    InvalidScope: new (description?: string, scope?: string) => Error;
    UnauthorizedClient: new (description?: string) => Error;
  };

  export default Provider;
}
