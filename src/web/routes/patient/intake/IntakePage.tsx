import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { listQuestionnaires, listResponses } from '../../../api/intake';
import { useMe } from '../../../api/session';
import '../../../components/intake/intake.css';
import { Badge, ErrorNotice, Loading, Page } from '../../../components/Page';

/** The intake questionnaires, in order. */
export const INTAKE_CODES = ['medical-history', 'phq-9', 'gad-7'] as const;

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
      )}
    </Page>
  );
}
