import type { findSessionWithUser } from './auth.repository';

export type SessionRow = NonNullable<Awaited<ReturnType<typeof findSessionWithUser>>>;

/**
 * Session rows (session ⋈ user ⋈ organization) remembered for a few seconds, so that a
 * busy clinician's requests do not each read them again. Expiry and idle limits are
 * still checked on every request against the remembered timestamps; what may be up to
 * `ttlMs` old is only what another process changed. This process forgets a session the
 * moment it ends it (sign-out) and a user's sessions right after an admin deactivates
 * the account or changes its role (see staff.service), so with the embedded SQLite
 * database (one server process) nothing is ever stale. With PostgreSQL several server
 * processes may share the database, so app.ts turns the cache off there.
 */
export class SessionCache {
  private readonly entries = new Map<string, { row: SessionRow; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly clock: () => number,
    private readonly maxEntries = 10_000,
  ) {}

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  get(sessionId: string): SessionRow | undefined {
    const entry = this.entries.get(sessionId);
    if (!entry) return undefined;
    if (entry.until <= this.clock()) {
      this.entries.delete(sessionId);
      return undefined;
    }
    return entry.row;
  }

  set(sessionId: string, row: SessionRow): void {
    if (!this.enabled) return;
    if (this.entries.size >= this.maxEntries) {
      // Oldest first (Map keeps insertion order): enough for a bound, no LRU needed.
      this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.delete(sessionId);
    this.entries.set(sessionId, { row, until: this.clock() + this.ttlMs });
  }

  forget(sessionId: string): void {
    this.entries.delete(sessionId);
  }

  forgetUser(userId: string): void {
    for (const [id, entry] of this.entries) if (entry.row.user_id === userId) this.entries.delete(id);
  }
}
