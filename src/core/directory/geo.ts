/**
 * Geographic helpers for the provider directory's distance search. Pure: no I/O, no ZIP
 * table (ZIP centroids come from an npm data package on the server).
 *
 * Search recipe: prefilter rows in SQL with `boundingBoxForRadius` (indexable range
 * predicates on latitude/longitude columns; see `boundingBoxSqlRanges`), then compute
 * exact `haversineMiles` in JS for the survivors, drop those beyond the radius, sort.
 */

/** Mean Earth radius (IUGG R1 = 6,371.0088 km) in statute miles. */
export const EARTH_RADIUS_MILES = 3958.7613;
export const KILOMETRES_PER_MILE = 1.609344;

export interface Coordinates {
  /** Degrees, −90 … 90. */
  latitude: number;
  /** Degrees, −180 … 180. */
  longitude: number;
}

export interface BoundingBox {
  minLatitude: number;
  maxLatitude: number;
  /** When `crossesAntimeridian`, minLongitude > maxLongitude and the box is lon ≥ min OR lon ≤ max. */
  minLongitude: number;
  maxLongitude: number;
  crossesAntimeridian: boolean;
}

const DEG = Math.PI / 180;

/** True when both numbers are finite and in range. */
export function isValidCoordinates(c: Coordinates): boolean {
  return (
    Number.isFinite(c.latitude) &&
    Number.isFinite(c.longitude) &&
    Math.abs(c.latitude) <= 90 &&
    Math.abs(c.longitude) <= 180
  );
}

function assertCoordinates(c: Coordinates, name: string): void {
  if (!isValidCoordinates(c)) {
    throw new RangeError(`${name}: invalid coordinates (${c.latitude}, ${c.longitude})`);
  }
}

/** Great-circle distance in miles (haversine, spherical Earth; error < 0.5 % vs the ellipsoid). */
export function haversineMiles(a: Coordinates, b: Coordinates): number {
  const dLat = (b.latitude - a.latitude) * DEG;
  const dLon = (b.longitude - a.longitude) * DEG;
  const s =
    Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * DEG) * Math.cos(b.latitude * DEG) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_MILES * Math.asin(Math.min(1, Math.sqrt(s)));
}

export function milesToKilometres(miles: number): number {
  return miles * KILOMETRES_PER_MILE;
}

export function kilometresToMiles(km: number): number {
  return km / KILOMETRES_PER_MILE;
}

function normalizeLongitude(lon: number): number {
  const x = ((((lon + 180) % 360) + 360) % 360) - 180;
  return x === -180 && lon > 0 ? 180 : x;
}

/**
 * The smallest latitude/longitude box containing every point within `radiusMiles` of
 * `center` (exact for a sphere: uses the tangent-latitude construction, not a flat
 * "degrees per mile" guess, so it never misses points at high latitude). When the circle
 * reaches a pole the box spans all longitudes. Throws RangeError on bad input.
 */
export function boundingBoxForRadius(center: Coordinates, radiusMiles: number): BoundingBox {
  assertCoordinates(center, 'center');
  if (!Number.isFinite(radiusMiles) || radiusMiles < 0) {
    throw new RangeError(`radiusMiles must be a non-negative finite number (got ${radiusMiles})`);
  }
  const angular = radiusMiles / EARTH_RADIUS_MILES; // radians
  const lat = center.latitude * DEG;
  let minLat = lat - angular;
  let maxLat = lat + angular;
  const halfPi = Math.PI / 2;
  if (angular >= Math.PI || maxLat >= halfPi || minLat <= -halfPi) {
    minLat = Math.max(minLat, -halfPi);
    maxLat = Math.min(maxLat, halfPi);
    return {
      minLatitude: minLat / DEG,
      maxLatitude: maxLat / DEG,
      minLongitude: -180,
      maxLongitude: 180,
      crossesAntimeridian: false,
    };
  }
  const dLon = Math.asin(Math.min(1, Math.sin(angular) / Math.cos(lat))) / DEG;
  const rawMin = center.longitude - dLon;
  const rawMax = center.longitude + dLon;
  if (dLon >= 180) {
    return { minLatitude: minLat / DEG, maxLatitude: maxLat / DEG, minLongitude: -180, maxLongitude: 180, crossesAntimeridian: false };
  }
  const minLon = normalizeLongitude(rawMin);
  const maxLon = normalizeLongitude(rawMax);
  return {
    minLatitude: minLat / DEG,
    maxLatitude: maxLat / DEG,
    minLongitude: minLon,
    maxLongitude: maxLon,
    crossesAntimeridian: rawMin < -180 || rawMax > 180,
  };
}

/** True when `point` lies in `box` (handles boxes across the antimeridian). */
export function isInBoundingBox(point: Coordinates, box: BoundingBox): boolean {
  if (point.latitude < box.minLatitude || point.latitude > box.maxLatitude) return false;
  return box.crossesAntimeridian
    ? point.longitude >= box.minLongitude || point.longitude <= box.maxLongitude
    : point.longitude >= box.minLongitude && point.longitude <= box.maxLongitude;
}

/**
 * The box as one or two plain longitude ranges, for SQL: `lat BETWEEN ? AND ? AND
 * (lon BETWEEN ? AND ? [OR lon BETWEEN ? AND ?])`. Two ranges only across the antimeridian.
 */
export function boundingBoxSqlRanges(box: BoundingBox): {
  latitude: [number, number];
  longitudes: [number, number][];
} {
  return {
    latitude: [box.minLatitude, box.maxLatitude],
    longitudes: box.crossesAntimeridian
      ? [
          [box.minLongitude, 180],
          [-180, box.maxLongitude],
        ]
      : [[box.minLongitude, box.maxLongitude]],
  };
}

export interface WithDistance<T> {
  item: T;
  distanceMiles: number;
}

/**
 * Items within `radiusMiles` of `center` (inclusive), nearest first; ties keep input order.
 * Items whose coordinates are missing or invalid are dropped. Pass `radiusMiles = Infinity`
 * to sort everything by distance.
 */
export function itemsWithinRadiusByDistance<T>(
  items: readonly T[],
  center: Coordinates,
  radiusMiles: number,
  coordinatesOf: (item: T) => Coordinates | null | undefined,
): WithDistance<T>[] {
  assertCoordinates(center, 'center');
  if (Number.isNaN(radiusMiles) || radiusMiles < 0) throw new RangeError('radiusMiles must be non-negative');
  const out: (WithDistance<T> & { index: number })[] = [];
  items.forEach((item, index) => {
    const c = coordinatesOf(item);
    if (!c || !isValidCoordinates(c)) return;
    const distanceMiles = haversineMiles(center, c);
    if (distanceMiles <= radiusMiles) out.push({ item, distanceMiles, index });
  });
  out.sort((a, b) => a.distanceMiles - b.distanceMiles || a.index - b.index);
  return out.map(({ item, distanceMiles }) => ({ item, distanceMiles }));
}
