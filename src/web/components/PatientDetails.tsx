import type { Patient } from '../api/endpoints';
import { ageOn, formatDate, fullName, roleLabel, todayIn } from '../lib/format';

const dash = <span className="muted">Not recorded</span>;

function value(v: string | null) {
  return v && v.trim() ? v : dash;
}

/** The header of a chart: who this person is and how to reach them and their people. */
export function PatientDetails({ patient, timeZone }: { patient: Patient; timeZone: string }) {
  const age = ageOn(patient.dateOfBirth, todayIn(timeZone));
  const ec = patient.emergencyContactName || patient.emergencyContactPhone;
  return (
    <div className="details-grid">
      <section className="card" aria-labelledby="pd-about">
        <h2 id="pd-about">About</h2>
        <dl className="dl">
          <div>
            <dt>Legal name</dt>
            <dd>{fullName(patient)}</dd>
          </div>
          <div>
            <dt>Preferred name</dt>
            <dd>{value(patient.preferredName)}</dd>
          </div>
          <div>
            <dt>Pronouns</dt>
            <dd>{value(patient.pronouns)}</dd>
          </div>
          <div>
            <dt>Date of birth</dt>
            <dd>
              {formatDate(patient.dateOfBirth)}
              {age !== null ? <span className="muted"> (age {age})</span> : null}
            </dd>
          </div>
          <div>
            <dt>Preferred language</dt>
            <dd>{value(patient.preferredLanguage)}</dd>
          </div>
        </dl>
      </section>
      <section className="card" aria-labelledby="pd-contact">
        <h2 id="pd-contact">Contact</h2>
        <dl className="dl">
          <div>
            <dt>Phone</dt>
            <dd>{patient.phone ? <a href={`tel:${patient.phone.replace(/[^+0-9]/g, '')}`}>{patient.phone}</a> : dash}</dd>
          </div>
          <div>
            <dt>Email</dt>
            <dd className="break">{patient.email ? <a href={`mailto:${patient.email}`}>{patient.email}</a> : dash}</dd>
          </div>
          <div>
            <dt>Address</dt>
            <dd className="pre-line">{value(patient.address)}</dd>
          </div>
        </dl>
      </section>
      <section className="card" aria-labelledby="pd-emergency">
        <h2 id="pd-emergency">Emergency contact</h2>
        {ec ? (
          <dl className="dl">
            <div>
              <dt>Name</dt>
              <dd>
                {value(patient.emergencyContactName)}
                {patient.emergencyContactRelationship ? <span className="muted"> ({patient.emergencyContactRelationship})</span> : null}
              </dd>
            </div>
            <div>
              <dt>Phone</dt>
              <dd>
                {patient.emergencyContactPhone ? (
                  <a href={`tel:${patient.emergencyContactPhone.replace(/[^+0-9]/g, '')}`}>{patient.emergencyContactPhone}</a>
                ) : (
                  dash
                )}
              </dd>
            </div>
          </dl>
        ) : (
          <p className="muted">No emergency contact recorded.</p>
        )}
      </section>
    </div>
  );
}

export function CareTeamList({
  patient,
  headingId = 'care-team-heading',
  title = 'Care team',
  level = 2,
}: {
  patient: Patient;
  headingId?: string;
  title?: string;
  level?: 2 | 3;
}) {
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <section className="card" aria-labelledby={headingId}>
      <Heading id={headingId}>{title}</Heading>
      {patient.careTeam.length === 0 ? (
        <p className="muted">No one is on the care team yet.</p>
      ) : (
        <ul className="people">
          {patient.careTeam.map((m) => (
            <li key={m.userId}>
              <span className="people__name">{m.displayName}</span>
              <span className="role-tag">{roleLabel(m.role)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
