/**
 * The aftercare message a patient receives after discharge from a dosing session.
 * Generic on purpose: it goes by email, so it names no drug, dose, reading or finding
 * (privacy rule: no clinical detail in email). Sources: clinical-facts §4 [13][19]
 * (no driving or machinery until the next day after restful sleep; transport home),
 * [52][55] (no important decisions for 24 h), §8 [107][111] (988, 911).
 */
export interface AftercareInput {
  clinicName: string;
  /** How to reach the clinic; null when the clinic has not set one. */
  clinicPhone: string | null;
  /** The name the patient prefers, or null. */
  firstName: string | null;
}

export function aftercareMessage(input: AftercareInput): { subject: string; text: string } {
  const hello = input.firstName ? `Dear ${input.firstName},` : 'Hello,';
  const callClinic = input.clinicPhone
    ? `If you have questions or feel unwell in a way that worries you, call ${input.clinicName} at ${input.clinicPhone}.`
    : `If you have questions or feel unwell in a way that worries you, call ${input.clinicName}.`;
  const text = [
    hello,
    '',
    `Thank you for your visit to ${input.clinicName} today. Some reminders for the rest of the day:`,
    '',
    '- Do not drive, cycle or operate machinery until the next day, after a night of restful sleep.',
    '- Let the person who took you home stay close for the evening if you can.',
    '- For the next 24 hours, avoid alcohol and other substances, and put off important decisions.',
    '- Eat something light when you feel ready and drink water.',
    '',
    'What you may feel: tiredness, mild dizziness, a headache, an upset stomach, or feeling a little',
    'detached or emotional. These usually pass within a few hours. Rest, and be gentle with yourself.',
    '',
    callClinic,
    'In a crisis, call or text 988 (Suicide & Crisis Lifeline). In an emergency, call 911.',
    '',
    'Your care team',
  ].join('\n');
  return { subject: `Aftercare after your visit to ${input.clinicName}`, text };
}
