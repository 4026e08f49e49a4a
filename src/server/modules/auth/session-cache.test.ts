import { describe, expect, it } from 'vitest';
import { SessionCache, type SessionRow } from './session-cache';

const row = (id: string, userId: string): SessionRow =>
  ({
    session_id: id,
    csrf_token: 'c',
    last_seen_at: '2026-11-26T10:00:00.000Z',
    expires_at: '2026-11-27T10:00:00.000Z',
    user_id: userId,
    email: `${userId}@x.test`,
    display_name: userId,
    role: 'therapist',
    organization_id: 'o',
    patient_id: null,
    active: 1,
    organization_name: 'O',
    time_zone: 'America/Los_Angeles',
  }) as SessionRow;

describe('SessionCache', () => {
  it('remembers a row for its time to live, then forgets it', () => {
    let now = 1_000;
    const cache = new SessionCache(5_000, () => now);
    cache.set('s1', row('s1', 'u1'));
    now += 4_999;
    expect(cache.get('s1')?.user_id).toBe('u1');
    now += 1;
    expect(cache.get('s1')).toBeUndefined();
  });

  it('forgets one session, or every session of a user', () => {
    const cache = new SessionCache(5_000, () => 0);
    cache.set('a', row('a', 'u1'));
    cache.set('b', row('b', 'u1'));
    cache.set('c', row('c', 'u2'));
    cache.forget('a');
    expect(cache.get('a')).toBeUndefined();
    cache.forgetUser('u1');
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('c')?.user_id).toBe('u2');
  });

  it('keeps at most maxEntries, dropping the oldest', () => {
    const cache = new SessionCache(5_000, () => 0, 2);
    cache.set('a', row('a', 'u1'));
    cache.set('b', row('b', 'u2'));
    cache.set('c', row('c', 'u3'));
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
  });

  it('remembers nothing when turned off (time to live 0)', () => {
    const cache = new SessionCache(0, () => 0);
    cache.set('a', row('a', 'u1'));
    expect(cache.enabled).toBe(false);
    expect(cache.get('a')).toBeUndefined();
  });
});
