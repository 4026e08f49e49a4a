import { Link } from 'react-router';
import { consultationLinkForClinician, type ProviderCard } from '../../api/directory';
import { Badge } from '../../components/Page';
import { distanceText, feeText, labelsOf, visitModes } from '../../lib/directory-format';

/** One search result: who, where, what they offer, and the way to book. */
export function ProviderCardView({ p, headingLevel = 2 }: { p: ProviderCard; headingLevel?: 2 | 3 }) {
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const headingId = `provider-${p.id}`;
  const distance = distanceText(p.distanceMiles);
  return (
    <article className="provider-card" aria-labelledby={headingId}>
      <H id={headingId}>
        <Link to={`/providers/${p.id}`}>{p.displayName}</Link>
      </H>
      <p className="provider-card__meta">
        <span>{p.credentials.join(', ')}</span>
        <span>
          <Link to={`/clinics/${p.clinic.id}`}>{p.clinic.name}</Link>, {p.city}, {p.state}
        </span>
        {distance ? <span>{distance}</span> : null}
      </p>
      <p className="provider-card__meta">
        <span>{visitModes(p.inPerson, p.telehealth)}</span>
        <span>{feeText(p.feeMinUsd, p.feeMaxUsd, p.slidingScale)}</span>
        {p.acceptingNewPatients ? <Badge tone="success">Accepting new patients</Badge> : <Badge tone="neutral">Waitlist only</Badge>}
      </p>
      {p.conditions.length > 0 ? (
        <ul className="provider-card__tags" aria-label="Helps with">
          {labelsOf('conditions', p.conditions).map((l) => (
            <li key={l}>{l}</li>
          ))}
        </ul>
      ) : null}
      <p>{p.bioExcerpt}</p>
      <p className="provider-card__meta">
        <span>Ketamine: {labelsOf('routes', p.routes).join(', ') || 'not offered'}</span>
        <span>Languages: {labelsOf('languages', p.languages).join(', ')}</span>
      </p>
      <div className="provider-card__actions">
        <Link className="button button--primary" to={consultationLinkForClinician(p.id)}>
          Book a free consultation<span className="visually-hidden"> with {p.displayName}</span>
        </Link>
        <Link className="button button--secondary" to={`/providers/${p.id}`}>
          View profile<span className="visually-hidden"> of {p.displayName}</span>
        </Link>
      </div>
    </article>
  );
}
