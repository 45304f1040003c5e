// How a running broker gets someone signed in: it offers the sign-in itself, printing the
// link (and opening the browser unless told not to) whenever one is needed. This is the only way
// when the keychain is unavailable, since a sign-in made by `gatehouse login` in another process
// could then not reach this one.
import type { IdentitySession } from '../core/identity/identity-session.js';
import type { Opener } from '../core/ports/opener.js';
import type { SignInPrompter } from '../core/ports/sign-in-prompter.js';
import type { Context } from './context.js';

export class SignInOffer implements SignInPrompter {
  private session: IdentitySession | undefined;
  private offering: Promise<void> | undefined;
  private readonly stopping = new AbortController();

  constructor(private readonly ctx: Context, private readonly browser: Opener | undefined) {}

  /** The session is created with this offer as its prompter, so it is attached afterwards. */
  attach(session: IdentitySession): void {
    this.session = session;
  }

  requestSignIn(reason: string): void {
    this.offer(reason);
  }

  /** Starts one sign-in unless one is already waiting for the user. */
  offer(reason: string): void {
    const session = this.session;
    if (!session || this.offering || this.stopping.signal.aborted) return;
    const { ctx, browser } = this;
    const opener: Opener = {
      async open(url) {
        ctx.out(`Sign-in needed (${reason}). Sign in in your browser; if it does not open, visit:\n${url.href}\n`);
        await browser?.open(url).catch(() => undefined);
      },
    };
    this.offering = session
      .signIn({ opener, signal: this.stopping.signal })
      .then(
        (status) => ctx.out(`Signed in as ${status.name ?? status.subject} (${status.roles.join(', ') || 'no roles'}).\n`),
        (error: unknown) => {
          if (!this.stopping.signal.aborted) ctx.err(`gatehouse: the sign-in did not complete (${(error as Error).message}); a new link is offered when one is needed\n`);
        },
      )
      .finally(() => (this.offering = undefined));
  }

  stop(): void {
    this.stopping.abort(new Error('Gatehouse is stopping'));
  }
}
