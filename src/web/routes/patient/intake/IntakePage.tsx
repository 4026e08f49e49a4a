import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { listQuestionnaires, listResponses } from '../../../api/intake';
import { useMe } from '../../../api/session';
import '../../../components/intake/intake.css';
import { Badge, ErrorNotice, Loading, Page } from '../../../components/Page';

/** The intake questionnaires, in order. */
export const INTAKE_CODES = ['medical-history', 'phq-9', 'gad-7'] as const;

/** Drafts the care team started for the patient outside the intake list (e.g. the post-session check-in). */
function requested<T extends { instrument: string; status: string }>(items: T[]): T[] {
  const codes: readonly string[] = INTAKE_CODES;
  return items.filter((r) => r.status === 'in_progress' && !codes.includes(r.instrument));
}

export function IntakePage() {
  const { data: me } = useMe();
  const patientId = me?.patientId ?? '';
  const catalog = useQuery({ queryKey: ['questionnaires'], queryFn: listQuestionnaires });
  const responses = useQuery({ queryKey: ['responses', patientId, 'all'], queryFn: () => listResponses(patientId), enabled: !!patientId });
  return (
    <Page title="Intake questionnaires" lead="Your care team uses these to plan your care. Your answers are saved as you go; you can stop and come back on any device.">
      {catalog.isPending || responses.isPending ? (
        <Loading />
      ) : catalog.isError ? (
        <ErrorNotice error={catalog.error} />
      ) : responses.isError ? (
        <ErrorNotice error={responses.error} />
      ) : (
        <>
        {requested(responses.data.items).length > 0 ? (
          <div className="notice notice--info" data-testid="requested-questionnaires">
            <p className="notice__title">Your care team asked you to fill in</p>
            <ul className="q-list">
              {requested(responses.data.items).map((r) => (
                <li key={r.id}>
                  <span>
                    <strong>{r.instrumentTitle}</strong> <Badge tone="warning">{Object.keys(r.answers).length > 0 ? 'In progress' : 'Not started'}</Badge>
                  </span>
                  <Link className="button button--secondary button--small" to={`/portal/intake/${r.instrument}`}>
                    {Object.keys(r.answers).length > 0 ? 'Continue' : 'Start'}
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <ul className="q-list">
          {INTAKE_CODES.map((code) => {
            const q = catalog.data.items.find((i) => i.code === code);
            if (!q) return null;
            const mine = responses.data.items.filter((r) => r.instrument === code);
            const draft = mine.find((r) => r.status === 'in_progress');
            const done = mine.find((r) => r.status === 'submitted');
            return (
              <li key={code}>
                <span>
                  <strong>{q.title}</strong>{' '}
                  {draft ? <Badge tone="warning">In progress</Badge> : done ? <Badge tone="success">Done</Badge> : <Badge tone="neutral">Not started</Badge>}
                </span>
                <Link className="button button--secondary button--small" to={`/portal/intake/${code}`}>
                  {draft ? `Continue ${q.title}` : done ? `Answer ${q.title} again` : `Start ${q.title}`}
                </Link>
              </li>
            );
          })}
        </ul>
        </>
      )}
    </Page>
  );
}
