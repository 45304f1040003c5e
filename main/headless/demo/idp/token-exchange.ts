// RFC 8693 token exchange at the demo IdP, in the two shapes Gatehouse uses:
//  - the user's access token → a JWT access token for one resource (`resource` or `audience`),
//    carrying the same `sub` and `groups` (the `token-exchange` auth mode);
//  - the user's ID token → an Identity Assertion JWT Authorization Grant (ID-JAG) for another
//    authorization server (draft-ietf-oauth-identity-assertion-authz-grant; the `id-jag` mode).
import { randomUUID } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { errors, type KoaContextWithOIDC, type Provider } from 'oidc-provider';
import type { SigningKey } from './keys.js';
import { resourceServerInfo, type ResourcePolicy } from './resources.js';
import type { UserDirectory } from './users.js';

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const TOKEN_TYPE_ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';
export const TOKEN_TYPE_ID_TOKEN = 'urn:ietf:params:oauth:token-type:id_token';
export const TOKEN_TYPE_ID_JAG = 'urn:ietf:params:oauth:token-type:id-jag';
export const ID_JAG_TYP = 'oauth-id-jag+jwt';

const PARAMETERS = ['audience', 'resource', 'scope', 'requested_token_type', 'subject_token', 'subject_token_type', 'actor_token', 'actor_token_type'];

export interface IdJagOptions {
  /** Authorization servers (issuer URL → the client id Gatehouse has there) an ID-JAG may be issued
   *  for. Absent: any audience, with the requesting client's own id as `client_id`. */
  readonly audiences?: Readonly<Record<string, string>>;
  readonly ttlSeconds: number;
}

export interface TokenExchangeDeps {
  readonly provider: Provider;
  readonly issuer: string;
  readonly key: SigningKey;
  readonly users: UserDirectory;
  readonly resources: ResourcePolicy;
  readonly idJag: IdJagOptions;
}

export function registerTokenExchange(deps: TokenExchangeDeps): void {
  deps.provider.registerGrantType(TOKEN_EXCHANGE_GRANT, (ctx) => exchange(deps, ctx), PARAMETERS, ['audience', 'resource']);
}

async function exchange(deps: TokenExchangeDeps, ctx: KoaContextWithOIDC): Promise<void> {
  const params = ctx.oidc.params ?? {};
  const subjectToken = single(params, 'subject_token');
  const subjectType = single(params, 'subject_token_type');
  if (subjectToken === undefined || subjectType === undefined) throw new errors.InvalidRequest('subject_token and subject_token_type are required');
  if (single(params, 'actor_token') !== undefined) throw new errors.InvalidRequest('actor tokens are not supported');
  const requested = single(params, 'requested_token_type');
  if (subjectType === TOKEN_TYPE_ACCESS_TOKEN && (requested === undefined || requested === TOKEN_TYPE_ACCESS_TOKEN)) {
    await accessTokenForResource(deps, ctx, subjectToken);
  } else if (subjectType === TOKEN_TYPE_ID_TOKEN && requested === TOKEN_TYPE_ID_JAG) {
    await idJag(deps, ctx, subjectToken);
  } else {
    throw new errors.InvalidRequest(`unsupported exchange: ${subjectType} for ${requested ?? TOKEN_TYPE_ACCESS_TOKEN}`);
  }
}

async function accessTokenForResource(deps: TokenExchangeDeps, ctx: KoaContextWithOIDC, subjectToken: string): Promise<void> {
  const { provider } = deps;
  const client = ctx.oidc.client!;
  const subject = await provider.AccessToken.find(subjectToken);
  if (subject === undefined || subject.isExpired) throw new errors.InvalidGrant('subject token is invalid or expired');
  if (subject.clientId !== client.clientId) throw new errors.InvalidGrant('subject token was issued to another client');
  if (deps.users.find(subject.accountId) === undefined) throw new errors.InvalidGrant('the user no longer exists');
  const params = ctx.oidc.params ?? {};
  const target = single(params, 'resource') ?? single(params, 'audience');
  if (target === undefined) throw new errors.InvalidTarget('name the resource (or audience) the token is for');
  const token = new provider.AccessToken({ accountId: subject.accountId, client, grantId: subject.grantId, gty: TOKEN_EXCHANGE_GRANT });
  token.resourceServer = new provider.ResourceServer(target, resourceServerInfo(deps.resources, target));
  token.scope = single(params, 'scope');
  const value = await token.save();
  ctx.body = {
    access_token: value,
    issued_token_type: TOKEN_TYPE_ACCESS_TOKEN,
    token_type: 'Bearer',
    expires_in: deps.resources.accessTokenTtlSeconds,
    ...(token.scope ? { scope: token.scope } : {}),
  };
}

async function idJag(deps: TokenExchangeDeps, ctx: KoaContextWithOIDC, idToken: string): Promise<void> {
  const client = ctx.oidc.client!;
  const params = ctx.oidc.params ?? {};
  let sub: string;
  try {
    const { payload } = await jwtVerify(idToken, deps.key.publicKey, { issuer: deps.issuer, audience: client.clientId, algorithms: [deps.key.alg] });
    if (typeof payload.sub !== 'string') throw new Error('no sub');
    sub = payload.sub;
  } catch (error) {
    throw new errors.InvalidGrant(`subject ID token rejected: ${(error as Error).message}`);
  }
  if (deps.users.find(sub) === undefined) throw new errors.InvalidGrant('the user no longer exists');
  const audience = single(params, 'audience');
  if (audience === undefined) throw new errors.InvalidRequest('audience (the authorization server the ID-JAG is for) is required');
  const known = deps.idJag.audiences;
  if (known !== undefined && known[audience] === undefined) throw new errors.InvalidTarget(`the demo IdP does not issue ID-JAGs for ${audience}`);
  const resource = single(params, 'resource');
  const scope = single(params, 'scope');
  const jag = await new SignJWT({
    client_id: known?.[audience] ?? client.clientId,
    ...(resource !== undefined ? { resource } : {}),
    ...(scope !== undefined ? { scope } : {}),
  })
    .setProtectedHeader({ alg: deps.key.alg, kid: deps.key.kid, typ: ID_JAG_TYP })
    .setIssuer(deps.issuer)
    .setSubject(sub)
    .setAudience(audience)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${deps.idJag.ttlSeconds}s`)
    .sign(deps.key.privateKey);
  ctx.body = {
    access_token: jag,
    issued_token_type: TOKEN_TYPE_ID_JAG,
    token_type: 'N_A',
    expires_in: deps.idJag.ttlSeconds,
    ...(scope !== undefined ? { scope } : {}),
  };
}

/** One value of a parameter; repeated values (allowed for audience and resource) are refused here. */
function single(params: Record<string, unknown>, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'string') return value;
  throw new errors.InvalidRequest(`only one ${name} is supported`);
}
