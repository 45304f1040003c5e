// An identity session for unit tests: who is signed in is a field, and each grant is answered by a
// function the test sets, with every request kept. Grants can be held open (deferred) to test what
// concurrent callers share.
import { UnsecuredJWT } from 'jose';
import type { UserIdentity } from '../../../../../main/core/identity/upstream/cached-credentials.js';
import type { GrantResponse, IdentityStatus, TokenExchangeRequest } from '../../../../../main/core/identity/identity-types.js';
import type { Logger, LogLevel } from '../../../../../main/core/ports/logger.js';

export type Grant = { kind: 'refresh'; params: Readonly<Record<string, string>> } | { kind: 'exchange'; request: TokenExchangeRequest };

export class FakeIdentity implements UserIdentity {
  subject: string | undefined = 'dev';
  readonly grants: Grant[] = [];
  /** Answers each grant; the default issues a fresh opaque token valid for 300 s. */
  answer: (grant: Grant, n: number) => Promise<GrantResponse> = (_grant, n) => Promise.resolve({ access_token: `token-${n}`, token_type: 'bearer', expires_in: 300 });

  status(): Promise<IdentityStatus> {
    return Promise.resolve({ issuer: 'https://idp.example.com', signedIn: this.subject !== undefined, subject: this.subject, roles: [], secrets: { backend: 'memory' } });
  }

  refreshGrant(params: Readonly<Record<string, string>>): Promise<GrantResponse> {
    return this.#run({ kind: 'refresh', params });
  }

  exchange(request: TokenExchangeRequest): Promise<GrantResponse> {
    return this.#run({ kind: 'exchange', request });
  }

  #run(grant: Grant): Promise<GrantResponse> {
    this.grants.push(grant);
    return this.answer(grant, this.grants.length);
  }
}

export function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** An unsigned JWT with these claims: enough for code that only reads claims. */
export function jwt(claims: Record<string, unknown>): string {
  return new UnsecuredJWT(claims).encode();
}

export class RecordingLogger implements Logger {
  readonly lines: string[] = [];
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    this.lines.push(`${level} ${message} ${fields ? JSON.stringify(fields) : ''}`);
  }
}
