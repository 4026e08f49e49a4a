import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { getSchedulingSettings, type SettingsResourceKind } from '../../api/scheduling-settings';
import { useMe } from '../../api/session';
import { ErrorNotice, Loading, Page } from '../../components/Page';
import { AvailabilityEditor } from '../../components/scheduling/AvailabilityEditor';

const KINDS: readonly SettingsResourceKind[] = ['clinician', 'nurse', 'room', 'chair'];

/**
 * "Availability": a clinician's own weekly hours and time off. Front desk and admins pick
 * whose hours to see (admins may change anyone's; front desk reads). `?kind=&id=` selects.
 */
export function AvailabilityPage() {
  const { data: me } = useMe();
  const [params, setParams] = useSearchParams();
  const clinical = me?.role === 'therapist' || me?.role === 'prescriber' || me?.role === 'nurse';
  const settings = useQuery({ queryKey: ['scheduling-settings'], queryFn: getSchedulingSettings, enabled: Boolean(me) });
  if (!me || settings.isPending) return <Loading />;
  if (settings.isError) return <ErrorNotice error={settings.error} />;
  const s = settings.data;
  const paramKind = params.get('kind') as SettingsResourceKind | null;
  const kind: SettingsResourceKind = paramKind && KINDS.includes(paramKind) ? paramKind : me.role === 'nurse' ? 'nurse' : 'clinician';
  const id = params.get('id') ?? (clinical ? me.id : (s.staff[0]?.id ?? ''));
  const options = [
    ...s.staff.map((u) => ({ value: `${u.role === 'nurse' ? 'nurse' : 'clinician'}:${u.id}`, label: `${u.displayName} (${u.role})` })),
    ...s.rooms.filter((r) => r.active).map((r) => ({ value: `${r.kind}:${r.id}`, label: `${r.name} (${r.kind})` })),
  ];
  const current = `${kind}:${id}`;
  return (
    <Page
      title="Availability"
      lead={clinical && id === me.id ? 'Your weekly hours and time off. Changes show on the booking page at once.' : 'Weekly hours and time off of clinicians, rooms and chairs.'}
    >
      {options.length > 0 ? (
        <div className="field">
          <label className="field__label" htmlFor="availability-resource">
            Whose availability
          </label>
          <select
            id="availability-resource"
            className="input input--medium"
            value={current}
            onChange={(e) => {
              const [k, v] = e.target.value.split(':') as [string, string];
              setParams({ kind: k, id: v });
            }}
          >
            {options.some((o) => o.value === current) ? null : <option value={current}>Me</option>}
            {options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {id ? <AvailabilityEditor key={current} kind={kind} id={id} /> : <p>No clinicians yet.</p>}
    </Page>
  );
}
