// The people who can sign in to the demo IdP. The password of each demo user is their user name, so
// anyone trying `gatehouse demo` can sign in as `dev` / `dev` or `sre` / `sre` without a setup step.
import { createHash, timingSafeEqual } from 'node:crypto';

export interface DemoUser {
  /** Typed on the login page and used as the `sub` claim. */
  readonly username: string;
  readonly password: string;
  readonly name: string;
  readonly email: string;
  /** Sent in the `groups` claim; the IdP side of Gatehouse roles. */
  readonly groups: readonly string[];
}

export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'dev', password: 'dev', name: 'Dana Developer', email: 'dev@demo.gatehouse.invalid', groups: ['developer'] },
  { username: 'sre', password: 'sre', name: 'Sam Reliability', email: 'sre@demo.gatehouse.invalid', groups: ['sre'] },
];

/** The live user directory of one IdP: groups can change while it runs, as they do at a real IdP. */
export class UserDirectory {
  readonly #users = new Map<string, DemoUser>();

  constructor(users: readonly DemoUser[]) {
    for (const user of users) this.#users.set(user.username, { ...user, groups: [...user.groups] });
  }

  find(username: string): DemoUser | undefined {
    return this.#users.get(username);
  }

  /** The user whose credentials these are, or undefined. Compares in constant time per user. */
  authenticate(username: string, password: string): DemoUser | undefined {
    const user = this.#users.get(username);
    return user !== undefined && sameText(user.password, password) ? user : undefined;
  }

  setGroups(username: string, groups: readonly string[]): void {
    const user = this.#users.get(username);
    if (user === undefined) throw new Error(`no demo user '${username}'`);
    this.#users.set(username, { ...user, groups: [...groups] });
  }

  list(): DemoUser[] {
    return [...this.#users.values()];
  }
}

function sameText(a: string, b: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(a), digest(b));
}
