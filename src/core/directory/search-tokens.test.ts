import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { boundingBoxForRadius, isInBoundingBox } from './geo';
import {
  CELL_SIZES_DEGREES,
  cellTokensCoveringBox,
  cellTokensOfPoint,
  codeToken,
  facetTokensOf,
  flagToken,
  ftsQueryOf,
  MAX_QUERY_CELLS,
  organizationToken,
  stateToken,
} from './search-tokens';
import { queryStemsOf } from './search-text';

const TOKEN = /^[a-z0-9]*[0-9]$/;

describe('grid cells', () => {
  it('indexes a point at every grid level', () => {
    const cells = cellTokensOfPoint(34.0614, -118.2385);
    expect(cells).toHaveLength(CELL_SIZES_DEGREES.length);
    // 0.25°: x = floor((−118.2385+180)/0.25) = 247, y = floor((34.0614+90)/0.25) = 496.
    expect(cells[0]).toBe('g0x247y496');
    for (const c of cells) expect(c).toMatch(TOKEN);
  });
  it('covers a 25-mile box with a handful of the finest cells', () => {
    const cells = cellTokensCoveringBox(boundingBoxForRadius({ latitude: 34.0614, longitude: -118.2385 }, 25));
    expect(cells.length).toBeGreaterThan(1);
    expect(cells.length).toBeLessThanOrEqual(MAX_QUERY_CELLS);
    expect(cells.every((c) => c.startsWith('g0'))).toBe(true);
  });
  it('moves to coarser cells for large radii and handles the antimeridian', () => {
    const big = cellTokensCoveringBox(boundingBoxForRadius({ latitude: 40, longitude: -100 }, 250));
    expect(big.length).toBeLessThanOrEqual(MAX_QUERY_CELLS);
    expect(big[0]!.startsWith('g0')).toBe(false);
    const fiji = cellTokensCoveringBox(boundingBoxForRadius({ latitude: -17, longitude: 179.9 }, 25));
    expect(fiji.some((c) => c === cellTokensOfPoint(-17, -179.9)[Number(fiji[0]![1])])).toBe(true);
  });
  it('every point inside the box lies in one of the covering cells (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -80, max: 80, noNaN: true }),
        fc.double({ min: -180, max: 180, noNaN: true }),
        fc.double({ min: 0.5, max: 250, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (lat, lng, radius, u, v) => {
          const box = boundingBoxForRadius({ latitude: lat, longitude: lng }, radius);
          const cells = new Set(cellTokensCoveringBox(box));
          const level = Number([...cells][0]![1]);
          const pLat = box.minLatitude + u * (box.maxLatitude - box.minLatitude);
          const span = box.crossesAntimeridian ? box.maxLongitude + 360 - box.minLongitude : box.maxLongitude - box.minLongitude;
          let pLng = box.minLongitude + v * span;
          if (pLng > 180) pLng -= 360;
          if (!isInBoundingBox({ latitude: pLat, longitude: pLng }, box)) return;
          expect(cells.has(cellTokensOfPoint(pLat, pLng)[level]!)).toBe(true);
        },
      ),
    );
  });
});

describe('facet tokens', () => {
  it('derives one token per code, flag, state and clinic, all FTS-safe', () => {
    const text = facetTokensOf({
      codes: { credentials: ['MD'], conditions: ['ptsd'], approaches: ['kap'], routes: ['iv', 'im'], formats: ['individual'], languages: ['en', 'es'] },
      flags: { inPerson: true, telehealth: false, acceptingNewPatients: true, slidingScale: false, superbill: true },
      licenceState: 'CA',
      organizationId: '5C9ABC4D-4EA8-4AF6-B04C-C7A4CB43A953',
    });
    const tokens = text.split(' ');
    for (const t of tokens) expect(t).toMatch(TOKEN);
    expect(tokens).toEqual(
      expect.arrayContaining([
        codeToken('conditions', 'ptsd'),
        codeToken('routes', 'iv'),
        codeToken('routes', 'im'),
        flagToken('telehealth', false),
        flagToken('inPerson', true),
        stateToken('CA'),
        organizationToken('5c9abc4d-4ea8-4af6-b04c-c7a4cb43a953'),
      ]),
    );
    expect(codeToken('conditions', 'ptsd')).not.toBe(codeToken('approaches', 'kap'));
    expect(() => codeToken('routes', 'rectal')).toThrow(RangeError);
  });
});

describe('ftsQueryOf', () => {
  it('ANDs text (in the text columns), facets, OR-groups and cells', () => {
    expect(
      ftsQueryOf({ terms: ['trauma', 'somatic'], allTokens: ['fc3', 'fth1'], anyTokenGroups: [['fk0', 'fk1']], cells: ['g0x1y2', 'g0x2y2'] }),
    ).toBe(
      'search_stems : ("trauma" AND "somatic") AND search_facets : fc3 AND search_facets : fth1 AND search_facets : (fk0 OR fk1) AND search_cells : (g0x1y2 OR g0x2y2)',
    );
  });
  it('is null when there is nothing for the index to do', () => {
    expect(ftsQueryOf({ terms: [], allTokens: [], anyTokenGroups: [[]], cells: [] })).toBeNull();
  });
  it('never carries FTS5 syntax from typed text (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), (text) => {
        const q = ftsQueryOf({ terms: queryStemsOf(text), allTokens: [], anyTokenGroups: [], cells: [] });
        if (q) expect(q).toMatch(/^search_stems : \(("[\p{L}\p{N}]+"( AND )?)+\)$/u);
      }),
    );
  });
});
