/** People-facing names for API fields, used to turn server messages into plain language. */
export const FIELD_LABELS: Record<string, string> = {
  email: 'Email',
  password: 'Password',
  legalGivenName: 'Legal first name',
  legalFamilyName: 'Legal last name',
  preferredName: 'Preferred name',
  pronouns: 'Pronouns',
  dateOfBirth: 'Date of birth',
  phone: 'Phone',
  address: 'Address',
  emergencyContactName: 'Emergency contact name',
  emergencyContactPhone: 'Emergency contact phone',
  emergencyContactRelationship: 'Emergency contact relationship',
  preferredLanguage: 'Preferred language',
  careTeamUserIds: 'Care team',
  userIds: 'Care team',
  displayName: 'Name',
  role: 'Role',
  reason: 'Reason',
  from: 'From',
  to: 'To',
  what: 'What you want to achieve',
  howWeWillKnow: 'How we will know',
  byWhen: 'By when',
  target: 'Target score',
};

const PHONE_FIELDS = new Set(['phone', 'emergencyContactPhone']);

/** A server validation message, with the field's label in place of its key. */
export function humanMessage(field: string | undefined, message: string): string {
  if (!field) return message;
  const label = FIELD_LABELS[field] ?? field;
  if (PHONE_FIELDS.has(field) && /pattern/.test(message)) {
    return `${label} must be 7 to 25 characters: digits, spaces and + ( ) . / -`;
  }
  if (/must be a valid email/.test(message)) return `${label} must be a valid email address, like name@example.com`;
  if (/must be a valid date/.test(message)) return `${label} must be a real date`;
  const re = new RegExp(`^${field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`);
  // The schema validator's length wording ("must NOT have fewer than 3 characters"), in plain words.
  return message
    .replace(re, label)
    .replace(/must NOT have fewer than (\d+) characters?/, 'must be at least $1 characters long')
    .replace(/must NOT have more than (\d+) characters?/, 'must be at most $1 characters long');
}
