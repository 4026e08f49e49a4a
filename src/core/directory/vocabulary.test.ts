import { describe, expect, it } from 'vitest';
import { codesOf, labelOf, maskOf, normalizeCodes, VOCABULARIES } from './vocabulary';

describe('vocabularies', () => {
  it.each(Object.entries(VOCABULARIES))('%s fits in a 31-bit mask and has unique codes', (_name, vocabulary) => {
    expect(vocabulary.length).toBeLessThanOrEqual(31);
    expect(new Set(vocabulary.map((e) => e.code)).size).toBe(vocabulary.length);
  });
  it('includes what the issue names', () => {
    const codes = (name: keyof typeof VOCABULARIES) => VOCABULARIES[name].map((e) => e.code as string);
    expect(codes('credentials')).toEqual(expect.arrayContaining(['MD', 'DO', 'NP', 'PA', 'RN', 'LCSW', 'LMFT', 'LPCC', 'PsyD', 'PhD']));
    expect(codes('conditions')).toEqual(expect.arrayContaining(['depression', 'anxiety', 'ptsd', 'addiction', 'eating_disorders']));
    expect(codes('approaches')).toEqual(expect.arrayContaining(['kap', 'integration', 'talk_therapy', 'mindfulness', 'cbt', 'somatic']));
    expect(codes('routes')).toEqual(['iv', 'im', 'intranasal', 'sublingual_oral']);
    expect(codes('formats')).toEqual(['individual', 'group']);
  });
  it('round-trips codes through masks in vocabulary order', () => {
    const v = VOCABULARIES.conditions;
    const mask = maskOf(v, ['ptsd', 'depression', 'ptsd']);
    expect(codesOf(v, mask)).toEqual(['depression', 'ptsd']);
    expect(normalizeCodes(v, ['ptsd', 'depression'])).toEqual(['depression', 'ptsd']);
    expect(maskOf(v, [])).toBe(0);
    const all = maskOf(v, v.map((e) => e.code));
    expect(all).toBe(2 ** v.length - 1);
  });
  it('rejects unknown codes and labels known ones', () => {
    expect(() => maskOf(VOCABULARIES.routes, ['rectal'])).toThrow(RangeError);
    expect(labelOf(VOCABULARIES.routes, 'iv')).toBe('IV infusion');
    expect(labelOf(VOCABULARIES.routes, 'x')).toBe('x');
  });
});
