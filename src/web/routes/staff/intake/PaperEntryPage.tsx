import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../../api/client';
import { listQuestionnaires, submitResponse, type Answers, type SubmitResponseResult } from '../../../api/intake';
import { SelectField, StatusMessage, TextField } from '../../../components/forms';
import '../../../components/intake/intake.css';
import { isVisible, QuestionItem } from '../../../components/intake/QuestionItem';
import { ErrorNotice, Loading, Page } from '../../../components/Page';

/** Staff transcribe a questionnaire the patient filled in on paper. */
export function PaperEntryPage() {
  const { id = '' } = useParams();
  const catalog = useQuery({ queryKey: ['questionnaires'], queryFn: listQuestionnaires });
  const [code, setCode] = useState('phq-9');
  const [date, setDate] = useState(new Date().toISOString().slice(0, 10));
  const [answers, setAnswers] = useState<Answers>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [result, setResult] = useState<SubmitResponseResult | null>(null);
  const m = useMutation({
    mutationFn: () => submitResponse(id, { instrument: code, answers, complete: true, entryMode: 'paper', administeredOn: date }),
    onSuccess: (r) => {
      setResult(r);
      setAnswers({});
      setErrors({});
      setFormError(null);
    },
    onError: (e) => {
      if (e instanceof ApiError && e.field?.startsWith('answers.')) {
        const item = e.field.slice('answers.'.length);
        setErrors({ [item]: e.message });
        document.getElementById(`paper-${item}`)?.focus();
      } else setFormError(e instanceof ApiError ? e.message : 'Could not save.');
    },
  });
  if (catalog.isPending) return <Page title="Enter a paper response"><Loading /></Page>;
  if (catalog.isError) return <Page title="Enter a paper response"><ErrorNotice error={catalog.error} /></Page>;
  const q = catalog.data.items.find((i) => i.code === code)!;
  return (
    <Page title="Enter a paper response" lead={<Link to={`/staff/patients/${id}/intake`}>Back to the intake review</Link>}>
      <StatusMessage>
        {result ? `Saved ${q.title}: ${result.score.total !== null ? `total ${result.score.total} (${result.score.bandLabel ?? result.score.band ?? 'no band'})` : 'complete'}${result.alerts.length > 0 ? ' — a safety alert was raised for the care team.' : '.'}` : ''}
      </StatusMessage>
      <SelectField
        form="paper"
        name="instrument"
        label="Questionnaire"
        value={code}
        onChange={(v) => {
          setCode(v);
          setAnswers({});
          setResult(null);
        }}
        options={catalog.data.items.map((i) => ({ value: i.code, label: i.title }))}
      />
      <form noValidate onSubmit={(e) => { e.preventDefault(); m.mutate(); }}>
        <TextField form="paper" name="administeredOn" label="Date the patient filled it in" type="date" value={date} onChange={setDate} width="medium" required />
        {formError ? <p className="notice notice--error" role="alert">{formError}</p> : null}
        {q.groups.map((g) => (
          <section key={g.id} aria-label={g.title ?? q.title}>
            {g.title ? <h2>{g.title}</h2> : null}
            {g.preamble ? <p>{g.preamble}</p> : null}
            {g.items.filter((i) => isVisible(q, i.id, answers)).map((item) => (
              <QuestionItem key={item.id} idPrefix="paper" item={item} value={answers[item.id]} error={errors[item.id]} onChange={(v) => setAnswers((a) => ({ ...a, [item.id]: v ?? null }))} />
            ))}
          </section>
        ))}
        <button type="submit" className="button button--primary" disabled={m.isPending}>
          Save paper response
        </button>
      </form>
    </Page>
  );
}
