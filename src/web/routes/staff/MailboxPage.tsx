import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { getMailbox, getMailboxMessage } from '../../api/endpoints';
import { useMe } from '../../api/session';
import { ErrorNotice, Loading, Page } from '../../components/Page';
import { formatInstant } from '../../lib/format';

export function MailboxPage() {
  const { data: me } = useMe();
  const query = useQuery({ queryKey: ['mailbox'], queryFn: getMailbox });
  return (
    <Page title="Mailbox" lead="Mail the clinic has sent. Without an SMTP server configured, mail is delivered here instead.">
      {query.isPending ? <Loading what="Loading mail…" /> : null}
      {query.error ? <ErrorNotice error={query.error} title="We could not load the mailbox" /> : null}
      {query.data ? (
        <>
          <p className={`notice ${query.data.smtpConfigured ? 'notice--info' : 'notice--warning'}`}>
            {query.data.smtpConfigured
              ? 'An SMTP server is configured: mail is sent to its recipients. Messages below were delivered locally before that.'
              : 'No SMTP server is configured (SMTP_URL): mail is not leaving this server and is kept here.'}
          </p>
          {query.data.items.length === 0 ? (
            <p>No messages yet.</p>
          ) : (
            <div className="table-wrap">
              <table className="table table--stack">
                <caption className="visually-hidden">Messages</caption>
                <thead>
                  <tr>
                    <th scope="col">Subject</th>
                    <th scope="col">To</th>
                    <th scope="col">Delivered</th>
                  </tr>
                </thead>
                <tbody>
                  {query.data.items.map((m) => (
                    <tr key={m.id}>
                      <th scope="row" data-label="Subject">
                        <Link to={`/staff/mailbox/${m.id}`}>{m.subject || '(no subject)'}</Link>
                      </th>
                      <td className="break" data-label="To">{m.to}</td>
                      <td className="nowrap" data-label="Delivered">{me ? formatInstant(m.deliveredAt, me.timeZone) : m.deliveredAt}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      ) : null}
    </Page>
  );
}

export function MailboxMessagePage() {
  const { id = '' } = useParams();
  const { data: me } = useMe();
  const query = useQuery({ queryKey: ['mailbox', id], queryFn: () => getMailboxMessage(id) });
  const m = query.data;
  return (
    <Page title={m ? m.subject || '(no subject)' : 'Message'}>
      <p>
        <Link to="/staff/mailbox">Back to the mailbox</Link>
      </p>
      {query.isPending ? <Loading what="Loading the message…" /> : null}
      {query.error ? <ErrorNotice error={query.error} title="We could not load this message" /> : null}
      {m ? (
        <>
          <dl className="dl dl--inline card">
            <div>
              <dt>To</dt>
              <dd className="break">{m.to}</dd>
            </div>
            <div>
              <dt>Delivered</dt>
              <dd>{me ? formatInstant(m.deliveredAt, me.timeZone, true) : m.deliveredAt}</dd>
            </div>
          </dl>
          <h2>Raw message</h2>
          <pre className="raw" tabIndex={0} aria-label="Raw message source">
            {m.raw}
          </pre>
        </>
      ) : null}
    </Page>
  );
}
