import { Link } from 'react-router';
import { PageHeading, useDocumentTitle } from '../components/page-heading';

export function NotFoundPage() {
  useDocumentTitle('Page not found');
  return (
    <section className="narrow">
      <PageHeading>Page not found</PageHeading>
      <p>There is nothing at this address.</p>
      <p>
        <Link to="/">Discover events</Link>
      </p>
    </section>
  );
}
