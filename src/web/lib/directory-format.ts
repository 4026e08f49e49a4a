import { VOCABULARIES, labelOf, type VocabularyName } from '../../core/directory/vocabulary';

export const labelsOf = (name: VocabularyName, codes: readonly string[]) => codes.map((c) => labelOf(VOCABULARIES[name], c));

export function feeText(min: number | null, max: number | null, slidingScale: boolean): string {
  const usd = (n: number) => `$${n.toLocaleString('en-US')}`;
  const range = min === null ? 'Fees on request' : max !== null && max !== min ? `${usd(min)}–${usd(max)} per session` : `${usd(min)} per session`;
  return slidingScale ? `${range} · sliding scale` : range;
}

export function distanceText(miles: number | null): string | null {
  if (miles === null) return null;
  return `${miles} ${miles === 1 ? 'mile' : 'miles'} away`;
}

export function visitModes(inPerson: boolean, telehealth: boolean): string {
  return inPerson && telehealth ? 'In person and telehealth' : inPerson ? 'In person' : 'Telehealth only';
}

export function longDate(isoDate: string): string {
  const d = new Date(`${isoDate}T12:00:00Z`);
  return Number.isNaN(d.getTime()) ? isoDate : d.toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
}
