import { useEffect, type ReactNode } from 'react';
import { ApiError } from '../api/client';

/** One h1 per page, and the document title to match. */
export function Page({ title, lead, actions, children }: { title: string; lead?: ReactNode; actions?: ReactNode; children?: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · Threshold`;
  }, [title]);
  return (
    <div className="page">
      <div className="page__head">
        <div>
          <h1 tabIndex={-1}>{title}</h1>
          {lead ? <p className="page__lead">{lead}</p> : null}
        </div>
        {actions ? <div className="page__actions">{actions}</div> : null}
      </div>
      {children}
    </div>
  );
}

export function Loading({ what = 'Loading…' }: { what?: string }) {
  return (
    <p role="status" className="loading">
      {what}
    </p>
  );
}

export function ErrorNotice({ error, title = 'Something went wrong' }: { error: unknown; title?: string }) {
  const message = error instanceof ApiError ? error.message : 'Please reload the page and try again.';
  return (
    <div className="notice notice--error" role="alert">
      <p className="notice__title">{title}</p>
      <p>{message}</p>
    </div>
  );
}

export function Badge({ tone, children }: { tone: 'warning' | 'info' | 'neutral' | 'success' | 'danger'; children: ReactNode }) {
  return <span className={`badge badge--${tone}`}>{children}</span>;
}
