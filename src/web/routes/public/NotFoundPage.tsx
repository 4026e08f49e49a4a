import { Link } from 'react-router';
import { Page } from '../../components/Page';

export function NotFoundPage() {
  return (
    <Page title="Page not found">
      <p>There is no page at this address. Check it for typing mistakes, or start again from the home page.</p>
      <p>
        <Link to="/">Go to the home page</Link>
      </p>
    </Page>
  );
}
