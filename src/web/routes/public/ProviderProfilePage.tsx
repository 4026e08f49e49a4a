import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { consultationLinkForClinician, getProvider } from '../../api/directory';
import { Badge, ErrorNotice, Loading, Page } from '../../components/Page';
import { feeText, labelsOf, longDate, visitModes } from '../../lib/directory-format';
import './directory.css';

function TagList({ label, items }: { label: string; items: string[] }) {
  if (items.length === 0) return null;
  return (
    <div>
      <dt>{label}</dt>
      <dd>{items.join(', ')}</dd>
    </div>
  );
}

/** A clinician's public profile: what they offer, their verified licence, where, and the way to book. */
export function ProviderProfilePage() {
  const { id = '' } = useParams();
  const query = useQuery({ queryKey: ['directory-provider', id], queryFn: () => getProvider(id) });
  if (query.isPending) return <Loading />;
  if (query.error) {
    return (
      <Page title="Provider not found">
        <ErrorNotice error={query.error} title="This provider is not listed" />
        <p>
          <Link to="/find">Search the directory</Link>
        </p>
      </Page>
    );
  }
  const p = query.data;
  const address = [p.location.addressLine1, p.location.addressLine2, `${p.location.city}, ${p.location.state} ${p.location.postalCode}`].filter(Boolean);
  return (
    <Page
      title={p.displayName}
      lead={
        <>
          {p.credentials.join(', ')}
          {p.pronouns ? ` · ${p.pronouns}` : ''} · <Link to={`/clinics/${p.clinic.id}`}>{p.clinic.name}</Link>
        </>
      }
      actions={
        <Link className="button button--primary" to={consultationLinkForClinician(p.id)}>
          Book a free consultation
        </Link>
      }
    >
      <div className="profile-grid">
        <div>
          {p.photoUrl ? <img className="profile-photo" src={p.photoUrl} alt={`Photo of ${p.displayName}`} /> : null}
          <p>{p.acceptingNewPatients ? <Badge tone="success">Accepting new patients</Badge> : <Badge tone="neutral">Not accepting new patients</Badge>}</p>
          <h2>About</h2>
          {p.bio.split(/\n{2,}/).map((para, i) => (
            <p key={i}>{para}</p>
          ))}
          <h2>What they offer</h2>
          <dl className="dl">
            <TagList label="Helps with" items={labelsOf('conditions', p.conditions)} />
            <TagList label="Approaches" items={labelsOf('approaches', p.approaches)} />
            <TagList label="Ketamine routes" items={labelsOf('routes', p.routes)} />
            <TagList label="Formats" items={labelsOf('formats', p.formats)} />
            <TagList label="Languages" items={labelsOf('languages', p.languages)} />
            <div>
              <dt>Visits</dt>
              <dd>{visitModes(p.inPerson, p.telehealth)}</dd>
            </div>
            <div>
              <dt>Fees (self-pay)</dt>
              <dd>
                {feeText(p.feeMinUsd, p.feeMaxUsd, p.slidingScale)}
                {p.superbill ? ' · superbill provided for out-of-network insurance claims' : ''}
              </dd>
            </div>
          </dl>
        </div>
        <aside aria-labelledby="licence-heading">
          <h2 id="licence-heading">Licence</h2>
          <dl className="dl">
            <div>
              <dt>Type</dt>
              <dd>{p.licence.type}</dd>
            </div>
            <div>
              <dt>Number</dt>
              <dd>
                {p.licence.state} {p.licence.number}
              </dd>
            </div>
            <div>
              <dt>Valid until</dt>
              <dd>{longDate(p.licence.expiresOn)}</dd>
            </div>
          </dl>
          <p>
            <Badge tone="info">Licence verified by the clinic on {longDate(p.licence.verifiedOn)}</Badge>
          </p>
          <h2>Where</h2>
          <address>
            {p.clinic.name}
            {address.map((line) => (
              <span key={line}>
                <br />
                {line}
              </span>
            ))}
          </address>
          <p>
            <a href={`tel:${p.clinic.phone.replace(/[^+0-9]/g, '')}`}>{p.clinic.phone}</a>
          </p>
          <p>
            <Link className="button button--secondary" to={consultationLinkForClinician(p.id)}>
              Book a free consultation<span className="visually-hidden"> with {p.displayName}</span>
            </Link>
          </p>
        </aside>
      </div>
      <p>
        <Link to="/find">Back to search</Link>
      </p>
    </Page>
  );
}
