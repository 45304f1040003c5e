// Where one demo IdP keeps its sessions, grants and tokens: in memory, per instance, so that two IdPs
// in one test process never share state and a user's grants can be revoked as an admin would.
import type { Adapter, AdapterPayload } from 'oidc-provider';

interface Entry {
  payload: AdapterPayload;
  expiresAt: number | undefined;
}

export class MemoryStore {
  /** model name → id → entry */
  readonly #models = new Map<string, Map<string, Entry>>();

  constructor(private readonly now: () => number = Date.now) {}

  adapterFor(model: string): Adapter {
    return new ModelAdapter(model, this.#table(model), this.now, this);
  }

  /** Removes every grant of `accountId` with all tokens issued under it, and the user's sessions. */
  revokeAllFor(accountId: string): number {
    const grantIds = [...this.#table('Grant')].filter(([, e]) => e.payload.accountId === accountId).map(([id]) => id);
    for (const grantId of grantIds) this.revokeGrant(grantId);
    const sessions = this.#table('Session');
    for (const [id, entry] of sessions) if (entry.payload.accountId === accountId) sessions.delete(id);
    return grantIds.length;
  }

  revokeGrant(grantId: string): void {
    for (const [model, table] of this.#models) {
      for (const [id, entry] of table) {
        if (entry.payload.grantId === grantId || (model === 'Grant' && id === grantId)) table.delete(id);
      }
    }
  }

  #table(model: string): Map<string, Entry> {
    let table = this.#models.get(model);
    if (table === undefined) this.#models.set(model, (table = new Map()));
    return table;
  }
}

class ModelAdapter implements Adapter {
  constructor(
    private readonly model: string,
    private readonly table: Map<string, Entry>,
    private readonly now: () => number,
    private readonly store: MemoryStore,
  ) {}

  upsert(id: string, payload: AdapterPayload, expiresIn: number | undefined): Promise<void> {
    this.table.set(id, { payload: structuredClone(payload), expiresAt: expiresIn === undefined ? undefined : this.now() + expiresIn * 1000 });
    return Promise.resolve();
  }

  find(id: string): Promise<AdapterPayload | undefined> {
    return Promise.resolve(this.#live(id));
  }

  findByUid(uid: string): Promise<AdapterPayload | undefined> {
    for (const [id, entry] of this.table) if (entry.payload.uid === uid) return Promise.resolve(this.#live(id));
    return Promise.resolve(undefined);
  }

  findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    for (const [id, entry] of this.table) if (entry.payload.userCode === userCode) return Promise.resolve(this.#live(id));
    return Promise.resolve(undefined);
  }

  consume(id: string): Promise<void> {
    const entry = this.table.get(id);
    if (entry !== undefined) entry.payload.consumed = Math.floor(this.now() / 1000);
    return Promise.resolve();
  }

  destroy(id: string): Promise<void> {
    this.table.delete(id);
    return Promise.resolve();
  }

  revokeByGrantId(grantId: string): Promise<void> {
    this.store.revokeGrant(grantId);
    return Promise.resolve();
  }

  #live(id: string): AdapterPayload | undefined {
    const entry = this.table.get(id);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= this.now()) {
      this.table.delete(id);
      return undefined;
    }
    return structuredClone(entry.payload);
  }
}
