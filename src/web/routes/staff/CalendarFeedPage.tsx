import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { createFeed, getFeedStatus, revokeFeed } from '../../api/scheduling';
import { StatusMessage } from '../../components/forms';
import { ErrorNotice, Loading, Page } from '../../components/Page';
import { formatInstant } from '../../lib/format';
import { useMe } from '../../api/session';

/** A clinician's private .ics feed: create (shown once), replace, revoke. */
export function CalendarFeedPage() {
  const { data: me } = useMe();
  const qc = useQueryClient();
  const status = useQuery({ queryKey: ['calendar-feed'], queryFn: getFeedStatus });
  const [url, setUrl] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: createFeed,
    onSuccess: (s) => {
      qc.setQueryData(['calendar-feed'], s);
      setUrl(s.url ?? null);
      setMessage('A new private feed address was created. Any earlier address no longer works.');
    },
  });
  const revoke = useMutation({
    mutationFn: revokeFeed,
    onSuccess: (s) => {
      qc.setQueryData(['calendar-feed'], s);
      setUrl(null);
      setMessage('The feed address was revoked. Calendars subscribed to it stop updating.');
    },
  });
  if (status.isPending) return <Loading />;
  if (status.isError) return <ErrorNotice error={status.error} />;
  const s = status.data;
  return (
    <Page
      title="Calendar feed"
      lead="Subscribe to your Threshold appointments from your own calendar app. The feed shows times, kinds and rooms — never patient names."
    >
      <StatusMessage>{message}</StatusMessage>
      {url ? (
        <div className="card">
          <p className="field__label" id="feed-url-label">Your private feed address (copy it now: it is shown only once)</p>
          <p className="mono feed-url" aria-labelledby="feed-url-label">{url}</p>
        </div>
      ) : null}
      <p>
        {s.active ? `A private feed is active (created ${formatInstant(s.createdAt!, me?.timeZone ?? 'UTC')}).` : 'You have no active feed.'}
      </p>
      <div className="form__actions">
        <button type="button" className="button button--primary" onClick={() => create.mutate()} disabled={create.isPending}>
          {s.active ? 'Replace with a new address' : 'Create feed address'}
        </button>
        {s.active ? (
          <button type="button" className="button button--danger-quiet" onClick={() => revoke.mutate()} disabled={revoke.isPending}>
            Revoke feed
          </button>
        ) : null}
      </div>
    </Page>
  );
}
