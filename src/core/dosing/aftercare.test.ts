import { describe, expect, it } from 'vitest';
import { aftercareMessage } from './aftercare';

describe('aftercareMessage', () => {
  const m = aftercareMessage({ clinicName: 'Demo Clinic', clinicPhone: '+1 213 555 0100', firstName: 'Alex' });
  it('says: no driving until the next day after sleep, what they may feel, who to call', () => {
    expect(m.text).toContain('Do not drive');
    expect(m.text).toContain('until the next day, after a night of restful sleep');
    expect(m.text).toContain('What you may feel');
    expect(m.text).toContain('call Demo Clinic at +1 213 555 0100');
    expect(m.text).toContain('988');
    expect(m.subject).toBe('Aftercare after your visit to Demo Clinic');
  });
  it('carries no clinical detail (no drug, dose or reading)', () => {
    expect(m.text + m.subject).not.toMatch(/ketamine|esketamine|spravato|\bmg\b|mmHg|dose/i);
  });
  it('works without a phone number or a name', () => {
    const plain = aftercareMessage({ clinicName: 'C', clinicPhone: null, firstName: null });
    expect(plain.text.startsWith('Hello,')).toBe(true);
    expect(plain.text).toContain('call C.');
  });
});
