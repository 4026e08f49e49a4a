import { describe, expect, it } from 'vitest';
import {
  EARTH_RADIUS_MILES,
  boundingBoxForRadius,
  boundingBoxSqlRanges,
  haversineMiles,
  isInBoundingBox,
  isValidCoordinates,
  itemsWithinRadiusByDistance,
  kilometresToMiles,
  milesToKilometres,
  type Coordinates,
} from './geo';

const LA_CITY_HALL: Coordinates = { latitude: 34.0537, longitude: -118.2428 }; // ZIP 90012 area
const SF: Coordinates = { latitude: 37.7749, longitude: -122.4194 };
const NYC: Coordinates = { latitude: 40.7128, longitude: -74.006 };
const ADAK: Coordinates = { latitude: 51.88, longitude: -176.658 }; // Aleutians, near the antimeridian

describe('haversineMiles', () => {
  it('is zero for the same point and symmetric', () => {
    expect(haversineMiles(SF, SF)).toBe(0);
    expect(haversineMiles(SF, NYC)).toBeCloseTo(haversineMiles(NYC, SF), 9);
  });
  it('matches known distances within 0.5 %', () => {
    expect(haversineMiles(LA_CITY_HALL, SF)).toBeGreaterThan(345);
    expect(haversineMiles(LA_CITY_HALL, SF)).toBeLessThan(350); // ≈ 347 mi great-circle
    expect(haversineMiles(SF, NYC)).toBeGreaterThan(2560);
    expect(haversineMiles(SF, NYC)).toBeLessThan(2575); // ≈ 2,566 mi
  });
  it('gives 69.1 miles per degree of latitude and half the circumference pole to pole', () => {
    expect(haversineMiles({ latitude: 0, longitude: 0 }, { latitude: 1, longitude: 0 })).toBeCloseTo(69.09, 1);
    expect(haversineMiles({ latitude: 90, longitude: 0 }, { latitude: -90, longitude: 0 })).toBeCloseTo(Math.PI * EARTH_RADIUS_MILES, 6);
  });
  it('handles antipodes and the antimeridian', () => {
    expect(haversineMiles({ latitude: 0, longitude: 0 }, { latitude: 0, longitude: 180 })).toBeCloseTo(Math.PI * EARTH_RADIUS_MILES, 6);
    const a = { latitude: 51, longitude: 179.9 };
    const b = { latitude: 51, longitude: -179.9 };
    expect(haversineMiles(a, b)).toBeLessThan(10);
  });
  it('converts units', () => {
    expect(milesToKilometres(1)).toBeCloseTo(1.609344, 9);
    expect(kilometresToMiles(milesToKilometres(25))).toBeCloseTo(25, 9);
  });
});

describe('boundingBoxForRadius', () => {
  it('contains every point on the radius circle (checked around the compass)', () => {
    for (const center of [LA_CITY_HALL, NYC, { latitude: 64.8, longitude: -147.7 }, { latitude: -33.9, longitude: 151.2 }]) {
      for (const radius of [1, 25, 100, 500]) {
        const box = boundingBoxForRadius(center, radius);
        for (let bearing = 0; bearing < 360; bearing += 5) {
          const p = destination(center, bearing, radius * 0.999999);
          expect(isInBoundingBox(p, box)).toBe(true);
          expect(haversineMiles(center, p)).toBeCloseTo(radius * 0.999999, 6);
        }
      }
    }
  });
  it('is tight: its edges are (nearly) reached by the circle', () => {
    const box = boundingBoxForRadius(LA_CITY_HALL, 25);
    expect(haversineMiles(LA_CITY_HALL, { latitude: box.maxLatitude, longitude: LA_CITY_HALL.longitude })).toBeCloseTo(25, 6);
    expect(haversineMiles(LA_CITY_HALL, { latitude: box.minLatitude, longitude: LA_CITY_HALL.longitude })).toBeCloseTo(25, 6);
    // The longitude extremes are touched at a slightly higher latitude than the centre.
    let maxLonSeen = -Infinity;
    for (let bearing = 0; bearing < 180; bearing += 0.1) maxLonSeen = Math.max(maxLonSeen, destination(LA_CITY_HALL, bearing, 25).longitude);
    expect(box.maxLongitude).toBeCloseTo(maxLonSeen, 4);
    expect(box.crossesAntimeridian).toBe(false);
  });
  it('excludes far points', () => {
    const box = boundingBoxForRadius(LA_CITY_HALL, 25);
    expect(isInBoundingBox(SF, box)).toBe(false);
    expect(isInBoundingBox(LA_CITY_HALL, box)).toBe(true);
  });
  it('wraps across the antimeridian (Aleutians) and splits into two SQL ranges', () => {
    const box = boundingBoxForRadius(ADAK, 200);
    expect(box.crossesAntimeridian).toBe(true);
    expect(box.minLongitude).toBeGreaterThan(box.maxLongitude);
    expect(isInBoundingBox({ latitude: 51.9, longitude: 179.5 }, box)).toBe(true);
    expect(isInBoundingBox({ latitude: 51.9, longitude: -173 }, box)).toBe(true);
    expect(isInBoundingBox({ latitude: 51.9, longitude: 170 }, box)).toBe(false);
    const sql = boundingBoxSqlRanges(box);
    expect(sql.longitudes).toEqual([
      [box.minLongitude, 180],
      [-180, box.maxLongitude],
    ]);
    expect(boundingBoxSqlRanges(boundingBoxForRadius(NYC, 10)).longitudes).toHaveLength(1);
  });
  it('spans all longitudes when the circle reaches a pole', () => {
    const box = boundingBoxForRadius({ latitude: 89.9, longitude: 10 }, 50);
    expect(box.minLongitude).toBe(-180);
    expect(box.maxLongitude).toBe(180);
    expect(box.maxLatitude).toBe(90);
    const huge = boundingBoxForRadius(NYC, 20_000);
    expect([huge.minLatitude, huge.maxLatitude, huge.minLongitude, huge.maxLongitude]).toEqual([-90, 90, -180, 180]);
  });
  it('a zero radius gives a point box', () => {
    const box = boundingBoxForRadius(NYC, 0);
    expect(box.minLatitude).toBeCloseTo(NYC.latitude, 12);
    expect(box.maxLongitude).toBeCloseTo(NYC.longitude, 12);
  });
  it('rejects bad input', () => {
    expect(() => boundingBoxForRadius(NYC, -1)).toThrow(RangeError);
    expect(() => boundingBoxForRadius(NYC, Number.NaN)).toThrow(RangeError);
    expect(() => boundingBoxForRadius({ latitude: 91, longitude: 0 }, 1)).toThrow(RangeError);
    expect(isValidCoordinates({ latitude: 0, longitude: 181 })).toBe(false);
    expect(isValidCoordinates({ latitude: Number.NaN, longitude: 0 })).toBe(false);
    expect(isValidCoordinates({ latitude: -90, longitude: 180 })).toBe(true);
  });
});

describe('itemsWithinRadiusByDistance', () => {
  const items = [
    { id: 'sf', at: SF },
    { id: 'none', at: null },
    { id: 'la', at: LA_CITY_HALL },
    { id: 'pasadena', at: { latitude: 34.1478, longitude: -118.1445 } },
    { id: 'bad', at: { latitude: 200, longitude: 0 } },
    { id: 'la-twin', at: LA_CITY_HALL },
  ];
  it('keeps items within the radius, nearest first, ties in input order, invalid dropped', () => {
    const result = itemsWithinRadiusByDistance(items, LA_CITY_HALL, 25, (i) => i.at);
    expect(result.map((r) => r.item.id)).toEqual(['la', 'la-twin', 'pasadena']);
    expect(result[2]!.distanceMiles).toBeGreaterThan(8);
    expect(result[2]!.distanceMiles).toBeLessThan(10);
  });
  it('with an infinite radius sorts everything', () => {
    expect(itemsWithinRadiusByDistance(items, LA_CITY_HALL, Infinity, (i) => i.at).map((r) => r.item.id)).toEqual([
      'la',
      'la-twin',
      'pasadena',
      'sf',
    ]);
  });
  it('includes a point exactly on the radius', () => {
    const d = haversineMiles(LA_CITY_HALL, SF);
    expect(itemsWithinRadiusByDistance([SF], LA_CITY_HALL, d, (p) => p)).toHaveLength(1);
  });
});

/** Point at `miles` along `bearingDeg` from `from` on the sphere (test helper). */
function destination(from: Coordinates, bearingDeg: number, miles: number): Coordinates {
  const d = miles / EARTH_RADIUS_MILES;
  const b = (bearingDeg * Math.PI) / 180;
  const lat1 = (from.latitude * Math.PI) / 180;
  const lon1 = (from.longitude * Math.PI) / 180;
  const lat2 = Math.asin(Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(b));
  const lon2 = lon1 + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(lat1), Math.cos(d) - Math.sin(lat1) * Math.sin(lat2));
  const lon = ((((lon2 * 180) / Math.PI + 540) % 360) + 360) % 360 - 180;
  return { latitude: (lat2 * 180) / Math.PI, longitude: lon };
}
