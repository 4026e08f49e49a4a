import { Link } from 'react-router';
import { homePathFor, useMe } from '../../api/session';
import { Page } from '../../components/Page';

export function HomePage() {
  const { data: me } = useMe();
  return (
    <Page title="Welcome to Threshold" lead="Calm, careful software for clinics offering ketamine-assisted psychotherapy.">
      <div className="hero">
        <p>
          Threshold keeps the people in your care at the centre: who they are, who looks after them, and a clear record of
          every time their information is opened.
        </p>
        <p>
          {me ? (
            <Link className="button button--primary" to={homePathFor(me)}>
              {me.role === 'patient' ? 'Go to my profile' : 'Go to the staff console'}
            </Link>
          ) : (
            <Link className="button button--primary" to="/sign-in">
              Sign in
            </Link>
          )}
        </p>
      </div>
      <div className="cards">
        <section className="card" aria-labelledby="home-patients">
          <h2 id="home-patients">For patients</h2>
          <p>See your details and your care team, and keep your contact information up to date.</p>
        </section>
        <section className="card" aria-labelledby="home-staff">
          <h2 id="home-staff">For clinic staff</h2>
          <p>Find patients, open their chart, and manage care teams — with access checked and recorded every time.</p>
        </section>
        <section className="card" aria-labelledby="home-directory">
          <h2 id="home-directory">Find a provider</h2>
          <p>Search clinicians offering ketamine-assisted psychotherapy near you, with verified licences.</p>
          <p>
            <Link to="/find">Find a provider</Link>
          </p>
        </section>
      </div>
    </Page>
  );
}
