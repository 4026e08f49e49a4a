import { describe, expect, it } from 'vitest';
import { scoreRange, validateInstrumentDefinition } from '../instrument-definition.schema';
import { InvalidAnswersError, scoreResponse } from '../score-response';
import { postSessionCheckIn } from './post-session-check-in';

const required = { altered_body: 0, altered_surroundings: 0, altered_time: 0, distress: 0, supported: 4, drowsy_now: 1 };

describe('post-session experience check-in (Threshold wording; not a validated scale)', () => {
  it('says in its title and licence that it is not validated, and has no bands or cut-offs', () => {
    expect(postSessionCheckIn.title).toMatch(/not a validated scale/);
    expect(postSessionCheckIn.licence).toMatch(/Not a validated instrument/);
    expect(postSessionCheckIn.bands).toBeUndefined();
    expect(postSessionCheckIn.bandSource).toBeUndefined();
    expect(postSessionCheckIn.criticalItems).toBeUndefined();
    expect(JSON.stringify(postSessionCheckIn).toLowerCase()).not.toContain('cadss item');
  });

  it('is a valid definition file: a clinic can export, edit and re-import it under its own code', () => {
    const edited = { ...JSON.parse(JSON.stringify(postSessionCheckIn)), code: 'our-check-in', version: '2026.1' };
    expect(validateInstrumentDefinition(edited).ok).toBe(true);
    expect(scoreRange(postSessionCheckIn)).toEqual({ min: 0, max: 12 });
  });

  it.each([
    [{ altered_body: 0, altered_surroundings: 0, altered_time: 0 }, 0],
    [{ altered_body: 4, altered_surroundings: 4, altered_time: 4 }, 12],
    [{ altered_body: 1, altered_surroundings: 3, altered_time: 2 }, 6],
  ])('altered-experience total = sum of the three perception items (%o → %i); distress, support and drowsiness are not added', (perception, total) => {
    const result = scoreResponse(postSessionCheckIn, { ...required, ...perception, distress: 4, supported: 0, drowsy_now: 4 });
    expect(result.status).toBe('scored');
    expect(result.total).toBe(total);
    expect(result.band).toBeUndefined();
    expect(result.subscales).toEqual([expect.objectContaining({ id: 'altered-experience', total })]);
  });

  it('the free-text questions are optional; a missing rated item leaves the response incomplete, never scored as 0', () => {
    expect(scoreResponse(postSessionCheckIn, required).status).toBe('scored');
    const withWords = scoreResponse(postSessionCheckIn, { ...required, describe: 'Felt like floating above the chair.' });
    expect(withWords.status).toBe('scored');
    const { altered_time: _omit, ...missing } = required;
    const partial = scoreResponse(postSessionCheckIn, missing);
    expect(partial.status).toBe('incomplete');
    expect(partial.total).toBeUndefined();
    expect(partial.missingItemIds).toEqual(['altered_time']);
    const { distress: _d, ...noDistress } = required;
    expect(scoreResponse(postSessionCheckIn, noDistress).missingItemIds).toEqual(['distress']);
  });

  it('rejects values outside the scale and over-long text, naming the item', () => {
    expect(() => scoreResponse(postSessionCheckIn, { ...required, altered_body: 5 })).toThrow(InvalidAnswersError);
    try {
      scoreResponse(postSessionCheckIn, { ...required, describe: 'x'.repeat(4001) });
      expect.unreachable();
    } catch (error) {
      expect((error as InvalidAnswersError).field).toBe('describe');
    }
  });
});
