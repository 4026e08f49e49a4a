export const ROLES = ['patient', 'therapist', 'prescriber', 'nurse', 'front_desk', 'clinic_admin'] as const;
export type Role = (typeof ROLES)[number];

export const STAFF_ROLES = ['therapist', 'prescriber', 'nurse', 'front_desk', 'clinic_admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Roles that provide care and may see clinical content of their care team's patients. */
export const CLINICAL_ROLES = ['therapist', 'prescriber', 'nurse'] as const;
export type ClinicalRole = (typeof CLINICAL_ROLES)[number];

export function isClinicalRole(role: Role): role is ClinicalRole {
  return (CLINICAL_ROLES as readonly Role[]).includes(role);
}

export function isStaffRole(role: Role): role is StaffRole {
  return role !== 'patient';
}

export const ROLE_LABELS: Record<Role, string> = {
  patient: 'Patient',
  therapist: 'Therapist',
  prescriber: 'Prescriber',
  nurse: 'Nurse',
  front_desk: 'Front desk',
  clinic_admin: 'Clinic admin',
};
