import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { getIntakeSettings, updateIntakeSettings, type IntakeSettingsDto, type RuleSummary } from '../../../api/intake';
import { ErrorSummary, formErrorsFrom, NO_ERRORS, StatusMessage, TextField, type FormErrors } from '../../../components/forms';
import '../../../components/intake/intake.css';
import { ErrorNotice, Loading, Page } from '../../../components/Page';

/** Clinic admins set the alert escalation delay, eligibility validity and the contraindication rules. */
export function IntakeSettingsPage() {
  const q = useQuery({ queryKey: ['intake-settings'], queryFn: getIntakeSettings });
  // Lives here: the form remounts with the saved settings after each save.
  const [status, setStatus] = useState('');
  return (
    <Page title="Intake settings" lead="Defaults are starting points with their sources (docs/clinical-references.md); your clinic reviews and signs off its own.">
      <StatusMessage>{status}</StatusMessage>
      {q.isPending ? <Loading /> : q.isError ? <ErrorNotice error={q.error} /> : <SettingsForm key={JSON.stringify(q.data)} settings={q.data} onStatus={setStatus} />}
    </Page>
  );
}

function SettingsForm({ settings, onStatus }: { settings: IntakeSettingsDto; onStatus: (s: string) => void }) {
  const queryClient = useQueryClient();
  const [minutes, setMinutes] = useState(String(settings.alertEscalationMinutes));
  const [days, setDays] = useState(settings.eligibilityValidDays === null ? '' : String(settings.eligibilityValidDays));
  const [rules, setRules] = useState<RuleSummary[]>(settings.contraindicationRules);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const done = async (msg: string) => {
    setErrors(NO_ERRORS);
    onStatus(msg);
    await queryClient.invalidateQueries({ queryKey: ['intake-settings'] });
  };
  const save = useMutation({
    mutationFn: () =>
      updateIntakeSettings({
        alertEscalationMinutes: Number(minutes),
        eligibilityValidDays: days.trim() === '' ? null : Number(days),
        contraindicationRules: rules,
      }),
    onSuccess: () => done('Intake settings saved.'),
    onError: (e) => setErrors(formErrorsFrom(e, ['alertEscalationMinutes', 'eligibilityValidDays', 'contraindicationRules'])),
  });
  const reset = useMutation({
    mutationFn: () => updateIntakeSettings({ contraindicationRules: null }),
    onSuccess: () => done('Contraindication rules reset to the bundled defaults.'),
  });
  const setRule = (id: string, change: Partial<RuleSummary>) => setRules((rs) => rs.map((r) => (r.id === id ? { ...r, ...change } : r)));
  const form = 'intake-settings';
  return (
    <form noValidate onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
      <ErrorSummary errors={errors} form={form} />
      <TextField form={form} name="alertEscalationMinutes" label="Escalate an unacknowledged safety alert to the clinic admin after (minutes)" value={minutes} onChange={setMinutes} inputMode="numeric" width="short" error={errors.fields.alertEscalationMinutes} hint="5 to 1440. Clinic policy; default 30." />
      <TextField form={form} name="eligibilityValidDays" label="An eligible decision stays valid for (days)" value={days} onChange={setDays} inputMode="numeric" width="short" error={errors.fields.eligibilityValidDays} hint="Leave empty: valid until a new decision is signed." />
      <h2>Contraindication rules {settings.usingDefaultRules ? <span className="muted">(bundled defaults)</span> : <span className="muted">(customised)</span>}</h2>
      <table className="score-table">
        <caption className="visually-hidden">Rules, their level and whether they are used</caption>
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">Level</th>
            <th scope="col">Used</th>
          </tr>
        </thead>
        <tbody>
          {rules.map((r) => (
            <tr key={r.id}>
              <td>
                <strong>{r.title}</strong>
                <br />
                <span className="flag__source">
                  {r.category}; source: {r.source.citation}
                  {r.source.status === 'unconfirmed' ? ' (unconfirmed)' : ''}
                </span>
              </td>
              <td>
                <select aria-label={`Level of ${r.title}`} className="input" value={r.level} onChange={(e) => setRule(r.id, { level: e.target.value as RuleSummary['level'] })}>
                  <option value="absolute">Absolute</option>
                  <option value="relative">Relative</option>
                  <option value="informational">Informational</option>
                </select>
              </td>
              <td>
                <input type="checkbox" aria-label={`Use ${r.title}`} checked={r.enabled} onChange={(e) => setRule(r.id, { enabled: e.target.checked })} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="q-nav">
        <button type="submit" className="button button--primary" disabled={save.isPending}>Save intake settings</button>
        {!settings.usingDefaultRules ? (
          <button type="button" className="button button--secondary" onClick={() => reset.mutate()} disabled={reset.isPending}>
            Reset rules to the defaults
          </button>
        ) : null}
      </div>
    </form>
  );
}
