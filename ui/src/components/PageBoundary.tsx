// Why: a page that fails to load or render leaves the rest of the app standing — the header stays and the page says what happened, with Reload (a tab left open over a Vigil update asks for script files that are gone).
import { Component } from 'react';
import type { ReactNode } from 'react';

interface Props {
  children: ReactNode;
}
interface State {
  error: Error | null;
}

/** A failed dynamic import is a page's code that is not there any more (a newer Vigil). */
export function isStaleBuild(e: Error): boolean {
  return /dynamically imported module|Importing a module script failed|error loading dynamically imported module/i.test(e.message);
}

export class PageBoundary extends Component<Props, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    const stale = isStaleBuild(error);
    return (
      <main className="page" data-testid="page-error">
        <div className="banner banner-error" role="alert">
          <p>
            {stale
              ? 'Vigil was updated since this page was opened: reload to use the new version.'
              : `This page stopped with an error: ${error.message}`}
          </p>
          <button type="button" className="btn btn-primary" onClick={() => location.reload()}>
            Reload
          </button>
        </div>
      </main>
    );
  }
}
