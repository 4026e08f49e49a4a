import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  excerptOf,
  isProfileVisible,
  licenceCutoffDate,
  licenceStatus,
  MAX_QUERY_TERMS,
  parseCodeList,
  rankCandidates,
  roundDistance,
  searchKeywordsOf,
  searchTermsOf,
  tsQueryExpression,
} from './search';
import { CONDITIONS, KETAMINE_ROUTES } from './vocabulary';

describe('parseCodeList', () => {
  it('accepts repeated parameters and comma lists, case-insensitively, in vocabulary order without duplicates', () => {
    expect(parseCodeList('conditions', ['PTSD,anxiety', 'depression', 'ptsd'], CONDITIONS)).toEqual({
      ok: true,
      value: ['depression', 'anxiety', 'ptsd'],
    });
  });
  it('treats absent and empty as no filter', () => {
    expect(parseCodeList('routes', undefined, KETAMINE_ROUTES)).toEqual({ ok: true, value: [] });
    expect(parseCodeList('routes', ['', ' , '], KETAMINE_ROUTES)).toEqual({ ok: true, value: [] });
  });
  it('names the field and the bad code', () => {
    const r = parseCodeList('routes', ['iv,oral-spray'], KETAMINE_ROUTES);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.field).toBe('routes');
      expect(r.message).toContain('oral-spray');
      expect(r.message).toContain('intranasal');
    }
  });
});

describe('search terms and full-text expressions', () => {
  it('lower-cases, drops punctuation and stop words, de-duplicates', () => {
    expect(searchTermsOf('Help with Anxiety & PTSD near LA, anxiety!')).toEqual(['help', 'anxiety', 'ptsd', 'la']);
  });
  it('keeps letters of any script and strips diacritics only through the index', () => {
    expect(searchTermsOf('Tomás terapia 治疗')).toEqual(['tomás', 'terapia', '治疗']);
  });
  it('caps the number of terms', () => {
    expect(searchTermsOf('a1 b2 c3 d4 e5 f6 g7 h8 i9 j10')).toHaveLength(MAX_QUERY_TERMS);
  });
  it('returns no terms for blank or stop-word-only text', () => {
    expect(searchTermsOf(undefined)).toEqual([]);
    expect(searchTermsOf('  the and of  ')).toEqual([]);
    expect(tsQueryExpression([])).toBeNull();
  });
  it('builds the PostgreSQL tsquery as an AND of terms, without prefix expansion', () => {
    expect(tsQueryExpression(['somatic', 'anx'])).toBe('somatic & anx');
    expect(tsQueryExpression(['la'])).toBe('la');
  });
  it('never lets typed text become query syntax (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const terms = searchTermsOf(text);
        for (const t of terms) expect(t).toMatch(/^[\p{L}\p{N}]+$/u);
        const ts = tsQueryExpression(terms);
        if (ts) expect(ts).toMatch(/^[\p{L}\p{N}]+( & [\p{L}\p{N}]+)*$/u);
      }),
    );
  });
});

describe('licence currency', () => {
  it('uses the date anywhere on Earth (UTC−12) as the cutoff', () => {
    expect(licenceCutoffDate(new Date('2026-11-26T11:59:59.000Z'))).toBe('2026-11-25');
    expect(licenceCutoffDate(new Date('2026-11-26T12:00:00.000Z'))).toBe('2026-11-26');
  });
  it('keeps a licence current through its expiry date and expired the day after', () => {
    const expiresOn = '2026-11-26';
    // 23:59 in Honolulu on the expiry day (09:59Z next day): still current.
    expect(licenceStatus(expiresOn, '2026-01-01T00:00:00.000Z', new Date('2026-11-27T09:59:00.000Z'))).toBe('verified');
    // Once the date has ended everywhere (12:00Z the next day): expired.
    expect(licenceStatus(expiresOn, '2026-01-01T00:00:00.000Z', new Date('2026-11-27T12:00:00.000Z'))).toBe('expired');
  });
  it('reports unverified when current but never verified, and expired before unverified', () => {
    const now = new Date('2026-11-26T18:00:00.000Z');
    expect(licenceStatus('2027-01-01', null, now)).toBe('unverified');
    expect(licenceStatus('2020-01-01', null, now)).toBe('expired');
  });
  it('is visible only when listed, clinic listed, verified and active', () => {
    const all = { listed: true, clinicListed: true, licenceVerified: true, accountActive: true };
    expect(isProfileVisible(all)).toBe(true);
    for (const key of Object.keys(all) as (keyof typeof all)[]) expect(isProfileVisible({ ...all, [key]: false })).toBe(false);
  });
});

describe('rankCandidates', () => {
  const LA = { latitude: 34.0614, longitude: -118.2385 };
  const c = (id: string, latitude: number, longitude: number, textScore: number | null = null, name = id) => ({ id, latitude, longitude, textScore, name });
  // Pasadena ≈ 9 mi, Santa Monica ≈ 14 mi, San Diego ≈ 111 mi from 90012.
  const pasadena = c('pasadena', 34.1478, -118.1445, 1);
  const santaMonica = c('santa-monica', 34.0195, -118.4912, 5);
  const sanDiego = c('san-diego', 32.7157, -117.1611, 9);

  it('drops candidates beyond the radius (the bounding box corners) and sorts by distance', () => {
    const ranked = rankCandidates([santaMonica, sanDiego, pasadena], { center: LA, radiusMiles: 25, sort: 'distance' });
    expect(ranked.map((r) => r.candidate.id)).toEqual(['pasadena', 'santa-monica']);
    expect(ranked[0]!.distanceMiles).toBeGreaterThan(8);
    expect(ranked[0]!.distanceMiles).toBeLessThan(10);
  });
  it('includes a candidate exactly at the radius', () => {
    const ranked = rankCandidates([pasadena], { center: LA, radiusMiles: 100, sort: 'distance' });
    const d = ranked[0]!.distanceMiles!;
    expect(rankCandidates([pasadena], { center: LA, radiusMiles: d, sort: 'distance' })).toHaveLength(1);
    expect(rankCandidates([pasadena], { center: LA, radiusMiles: d - 1e-9, sort: 'distance' })).toHaveLength(0);
  });
  it('sorts by text score under relevance, with distance breaking ties', () => {
    const near = c('near', 34.062, -118.239, 2);
    const far = c('far', 34.1478, -118.1445, 2);
    const best = c('best', 34.0195, -118.4912, 7);
    const ranked = rankCandidates([far, near, best], { center: LA, radiusMiles: 25, sort: 'relevance' });
    expect(ranked.map((r) => r.candidate.id)).toEqual(['best', 'near', 'far']);
  });
  it('breaks distance ties by text score, then name, then id (stable pages)', () => {
    const a = c('b-id', 34.1, -118.2, 1, 'Same');
    const b = c('a-id', 34.1, -118.2, 1, 'Same');
    const d = c('c-id', 34.1, -118.2, 3, 'Zed');
    expect(rankCandidates([a, b, d], { center: LA, radiusMiles: 25, sort: 'distance' }).map((r) => r.candidate.id)).toEqual(['c-id', 'a-id', 'b-id']);
  });
  it('without a centre keeps everyone and has no distances', () => {
    const ranked = rankCandidates([sanDiego, pasadena], { center: null, radiusMiles: 0, sort: 'relevance' });
    expect(ranked.map((r) => [r.candidate.id, r.distanceMiles])).toEqual([
      ['san-diego', null],
      ['pasadena', null],
    ]);
  });
  it('never returns anything beyond the radius, in order (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ latitude: fc.double({ min: 30, max: 38, noNaN: true }), longitude: fc.double({ min: -122, max: -114, noNaN: true }) }), { maxLength: 40 }),
        fc.double({ min: 1, max: 250, noNaN: true }),
        (points, radius) => {
          const ranked = rankCandidates(points.map((p, i) => c(String(i), p.latitude, p.longitude)), { center: LA, radiusMiles: radius, sort: 'distance' });
          for (const r of ranked) expect(r.distanceMiles!).toBeLessThanOrEqual(radius);
          for (let i = 1; i < ranked.length; i++) expect(ranked[i]!.distanceMiles!).toBeGreaterThanOrEqual(ranked[i - 1]!.distanceMiles!);
        },
      ),
    );
  });
});

describe('presentation helpers', () => {
  it('rounds distances to 0.1 mile under 10 miles and whole miles above', () => {
    expect(roundDistance(0.04)).toBe(0);
    expect(roundDistance(3.46)).toBe(3.5);
    expect(roundDistance(9.94)).toBe(9.9);
    expect(roundDistance(12.5)).toBe(13);
  });
  it('cuts bios at a word boundary with an ellipsis', () => {
    expect(excerptOf('short bio')).toBe('short bio');
    const long = 'word '.repeat(100);
    const e = excerptOf(long, 50);
    expect(e.endsWith('…')).toBe(true);
    expect(e.length).toBeLessThanOrEqual(51);
    expect(e).not.toMatch(/wor…$/);
  });
  it('joins keyword labels, licence type, clinic and city, skipping blanks', () => {
    expect(searchKeywordsOf({ labels: ['EMDR', 'PTSD and trauma'], licenceType: 'LMFT', clinicName: '', city: 'Los Angeles' })).toBe(
      'EMDR · PTSD and trauma · LMFT · Los Angeles',
    );
  });
});
