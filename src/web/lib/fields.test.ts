import { describe, expect, it } from 'vitest';
import { humanMessage } from './fields';

describe('humanMessage', () => {
  it('says the schema validator\'s length limits in plain words, with the field\'s label', () => {
    expect(humanMessage('what', 'what must NOT have fewer than 3 characters')).toBe('What you want to achieve must be at least 3 characters long');
    expect(humanMessage('reason', 'reason must NOT have more than 500 characters')).toBe('Reason must be at most 500 characters long');
    expect(humanMessage('byWhen', 'byWhen must be a valid date')).toBe('By when must be a real date');
  });
});
