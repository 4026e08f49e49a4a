import { useQuery } from '@tanstack/react-query';
import { APPOINTMENT_KIND_LABELS, APPOINTMENT_STATUS_LABELS } from '../../../core/schemas/scheduling.schema';
import { listAppointments } from '../../api/scheduling';
import { useMe } from '../../api/session';
import { Badge, ErrorNotice, Loading, Page } from '../../components/Page';
import { fullWhen } from '../../lib/zoned';

/** The patient's upcoming appointments (next 6 months), in the clinic's time zone. */
export function MyAppointmentsPage() {
  const { data: me } = useMe();
  const now = new Date();
  const from = now.toISOString();
  const to = new Date(now.getTime() + 60 * 86_400_000).toISOString();
  const q = useQuery({ queryKey: ['my-appointments', from.slice(0, 13)], queryFn: () => listAppointments({ from, to }) });
  const zone = q.data?.timeZone ?? me?.timeZone ?? 'UTC';
  return (
    <Page title="Upcoming appointments" lead={`Times in the clinic's zone (${zone}). To change an appointment, please call the clinic.`}>
      {q.isPending ? <Loading /> : q.isError ? <ErrorNotice error={q.error} /> : q.data.items.length === 0 ? (
        <p className="notice notice--info">You have no appointments in the next 60 days.</p>
      ) : (
        <ul className="calendar__list">
          {q.data.items.map((a) => (
            <li key={a.id} className="calendar__item">
              <strong>{fullWhen(a.start, zone)}</strong>
              <br />
              {APPOINTMENT_KIND_LABELS[a.kind]} with {a.clinicianName}
              {a.roomName ? ` · ${a.roomName}` : ''} <Badge tone="info">{APPOINTMENT_STATUS_LABELS[a.status]}</Badge>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
