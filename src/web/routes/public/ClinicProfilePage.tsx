import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { consultationLinkForClinic, getClinic } from '../../api/directory';
import { ErrorNotice, Loading, Page } from '../../components/Page';
import { ProviderCardView } from './ProviderCardView';
import './directory.css';

/** A clinic's public page: who they are, where, and their listed clinicians. */
export function ClinicProfilePage() {
  const { id = '' } = useParams();
  const query = useQuery({ queryKey: ['directory-clinic', id], queryFn: () => getClinic(id) });
  if (query.isPending) return <Loading />;
  if (query.error) {
    return (
      <Page title="Clinic not found">
        <ErrorNotice error={query.error} title="This clinic is not listed" />
        <p>
          <Link to="/find">Search the directory</Link>
        </p>
      </Page>
    );
  }
  const c = query.data;
  return (
    <Page
      title={c.name}
      lead={`${c.address.city}, ${c.address.state}`}
      actions={
        <Link className="button button--primary" to={consultationLinkForClinic(c.id)}>
          Book a free consultation
        </Link>
      }
    >
      <div className="profile-grid">
        <div>
          {c.photoUrl ? <img className="profile-photo" src={c.photoUrl} alt={`Photo of ${c.name}`} /> : null}
          <h2>About</h2>
          <p>{c.description}</p>
          <h2>Clinicians</h2>
          {c.providers.length === 0 ? (
            <p>No clinicians are listed at the moment.</p>
          ) : (
            <ul className="provider-results">
              {c.providers.map((p) => (
                <li key={p.id}>
                  <ProviderCardView p={p} headingLevel={3} />
                </li>
              ))}
            </ul>
          )}
        </div>
        <aside aria-labelledby="clinic-contact">
          <h2 id="clinic-contact">Contact</h2>
          <address>
            {c.address.addressLine1}
            {c.address.addressLine2 ? (
              <>
                <br />
                {c.address.addressLine2}
              </>
            ) : null}
            <br />
            {c.address.city}, {c.address.state} {c.address.postalCode}
          </address>
          <p>
            <a href={`tel:${c.phone.replace(/[^+0-9]/g, '')}`}>{c.phone}</a>
          </p>
          {c.website ? (
            <p>
              <a href={c.website} rel="noopener noreferrer">
                Website<span className="visually-hidden"> of {c.name}</span>
              </a>
            </p>
          ) : null}
          {c.telehealthStates.length > 0 ? <p>Telehealth in: {c.telehealthStates.join(', ')}</p> : null}
        </aside>
      </div>
      <p>
        <Link to="/find">Back to search</Link>
      </p>
    </Page>
  );
}
