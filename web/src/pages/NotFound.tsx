// A path the app does not know.

import { Link } from '../lib/router.tsx';
import { PageHeader } from '../components/ui.tsx';

export function NotFoundPage() {
  return (
    <section>
      <PageHeader title="Page not found" />
      <p>
        There is no page here. Go to <Link to="/">your home page</Link>.
      </p>
    </section>
  );
}
