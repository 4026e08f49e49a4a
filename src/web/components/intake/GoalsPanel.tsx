import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { GOAL_KIND_LABELS, GOAL_KINDS, type GoalKind } from '../../../core/goals/goal-progress';
import { ApiError } from '../../api/client';
import { createGoal, listGoals, updateGoal, type Goal } from '../../api/intake';
import { ErrorSummary, fieldId, formErrorsFrom, NO_ERRORS, SelectField, StatusMessage, TextArea, TextField, useFocusOnToggle, type FormErrors } from '../forms';
import { checkNewGoal } from '../../lib/goal-form';
import { Badge, ErrorNotice, Loading } from '../Page';
import './intake.css';

const FIELDS = ['kind', 'what', 'howWeWillKnow', 'byWhen', 'measure', 'target'];

/** Goals on the chart and in the portal: list, progress against a measure target, add, mark achieved. */
export function GoalsPanel({ patientId, headingLevel = 2 }: { patientId: string; headingLevel?: 2 | 3 }) {
  const queryClient = useQueryClient();
  const q = useQuery({ queryKey: ['goals', patientId], queryFn: () => listGoals(patientId) });
  const [adding, setAdding] = useState(false);
  const [status, setStatus] = useState('');
  const H = headingLevel === 2 ? 'h2' : 'h3';
  // "Add a goal" disappears while the form is open: when the form closes (saved or
  // cancelled), focus returns to the button. The form puts focus on its first field.
  const addButton = useRef<HTMLButtonElement>(null);
  useFocusOnToggle(adding, null, addButton);
  // "Mark achieved" disappears with the change it makes: focus moves to the goal itself,
  // which now reads "achieved", instead of falling back to the top of the page.
  const [marked, setMarked] = useState<string | null>(null);
  const update = useMutation({
    mutationFn: (v: { goal: Goal; status: Goal['status'] }) => updateGoal(patientId, v.goal.id, { status: v.status }),
    onSuccess: async (g) => {
      setStatus(`Goal marked ${g.status}.`);
      await queryClient.invalidateQueries({ queryKey: ['goals', patientId] });
      setMarked(g.id);
    },
  });
  // Runs once per goal marked (a goal marked achieved has no button to be marked again).
  useEffect(() => {
    if (marked) document.getElementById(`goal-${marked}`)?.focus();
  }, [marked]);
  return (
    <div>
      <H>Goals</H>
      {q.isPending ? <Loading /> : q.isError ? <ErrorNotice error={q.error} /> : q.data.items.length === 0 ? <p className="muted">No goals yet.</p> : (
        <ul className="q-list">
          {q.data.items.map((g) => (
            <li key={g.id} id={`goal-${g.id}`} tabIndex={-1}>
              <div>
                <p>
                  <strong>{g.kindLabel}</strong> <Badge tone={g.status === 'achieved' ? 'success' : g.status === 'active' ? 'info' : 'neutral'}>{g.status}</Badge>
                </p>
                <p>{g.what}</p>
                <p className="muted">How we will know: {g.howWeWillKnow} · By {g.byWhen}</p>
                {g.measure ? (
                  <p>
                    Target: {g.measure.description}.{' '}
                    {g.measure.latestTotal === null ? 'No score yet.' : `Latest: ${g.measure.latestTotal}${g.measure.targetMet ? ' — target reached' : ''}.`}
                  </p>
                ) : null}
              </div>
              {g.status === 'active' ? (
                <button type="button" className="button button--secondary button--small" onClick={() => update.mutate({ goal: g, status: 'achieved' })}>
                  Mark achieved<span className="visually-hidden">: {g.what}</span>
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {update.isError ? <ErrorNotice error={update.error} title="The goal could not be updated" /> : null}
      <StatusMessage>{status}</StatusMessage>
      {adding ? (
        <NewGoalForm
          patientId={patientId}
          onDone={(msg) => {
            setAdding(false);
            setStatus(msg);
          }}
        />
      ) : (
        <button type="button" className="button button--secondary" onClick={() => setAdding(true)} ref={addButton}>
          Add a goal
        </button>
      )}
    </div>
  );
}

function NewGoalForm({ patientId, onDone }: { patientId: string; onDone: (msg: string) => void }) {
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<GoalKind>('symptom_reduction');
  const [what, setWhat] = useState('');
  const [how, setHow] = useState('');
  const [byWhen, setByWhen] = useState('');
  const [measure, setMeasure] = useState('');
  const [target, setTarget] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const create = useMutation({
    mutationFn: () =>
      createGoal(patientId, {
        kind,
        what,
        howWeWillKnow: how,
        byWhen,
        ...(measure ? { measure: { instrument: measure, comparator: 'below' as const, target: Number(target.trim()) } } : {}),
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['goals', patientId] });
      onDone('Goal added.');
    },
    onError: (e) => setErrors(formErrorsFrom(e, FIELDS)),
  });
  const form = 'new-goal';
  useEffect(() => {
    document.getElementById(fieldId(form, 'kind'))?.focus();
  }, []);
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const found = checkNewGoal({ what, how, byWhen, measure, target });
        if (Object.keys(found).length > 0) return setErrors({ fields: found });
        create.mutate();
      }}
    >
      <ErrorSummary errors={errors} form={form} />
      <SelectField form={form} name="kind" label="Kind of goal" value={kind} onChange={(v) => setKind(v as GoalKind)} options={GOAL_KINDS.map((k) => ({ value: k, label: GOAL_KIND_LABELS[k] }))} />
      <TextArea form={form} name="what" label="What do you want to achieve?" value={what} onChange={setWhat} required error={errors.fields.what} />
      <TextArea form={form} name="howWeWillKnow" label="How will we know?" value={how} onChange={setHow} required error={errors.fields.howWeWillKnow} />
      <TextField form={form} name="byWhen" label="By when" type="date" value={byWhen} onChange={setByWhen} required width="medium" error={errors.fields.byWhen} />
      <SelectField
        form={form}
        name="measure"
        label="Tie to a questionnaire score (optional)"
        value={measure}
        onChange={setMeasure}
        error={errors.fields.measure}
        options={[
          { value: '', label: 'No' },
          { value: 'phq-9', label: 'PHQ-9 (depression) below…' },
          { value: 'gad-7', label: 'GAD-7 (anxiety) below…' },
          { value: 'pcl-5', label: 'PCL-5 (PTSD) below…' },
        ]}
      />
      {measure ? <TextField form={form} name="target" label="Target score (below)" value={target} onChange={setTarget} inputMode="numeric" width="short" error={errors.fields.target} /> : null}
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={create.isPending}>
          Save goal
        </button>
        <button type="button" className="button button--secondary" onClick={() => onDone('')}>
          Cancel
        </button>
      </div>
      {create.error && !(create.error instanceof ApiError) ? <ErrorNotice error={create.error} /> : null}
    </form>
  );
}
