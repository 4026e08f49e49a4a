import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../../api/client';
import { listQuestionnaires, listResponses, submitResponse, type Answers, type Questionnaire, type SubmitResponseResult } from '../../../api/intake';
import { useMe } from '../../../api/session';
import { StatusMessage } from '../../../components/forms';
import { CrisisPanel } from '../../../components/intake/CrisisPanel';
import { answerText, isAnswered, isVisible, QuestionItem, type ChoiceGesture } from '../../../components/intake/QuestionItem';
import { ErrorNotice, Loading, Page } from '../../../components/Page';

/** The patient answers one questionnaire, one question group per screen, saved as they go. */
export function QuestionnairePage() {
  const { code = '' } = useParams();
  const { data: me } = useMe();
  const patientId = me?.patientId ?? '';
  const catalog = useQuery({ queryKey: ['questionnaires'], queryFn: listQuestionnaires });
  const drafts = useQuery({
    queryKey: ['responses', patientId, code, 'in_progress'],
    queryFn: () => listResponses(patientId, { status: 'in_progress', instrument: code }),
    enabled: !!patientId,
    staleTime: 0,
    gcTime: 0,
  });
  const q = catalog.data?.items.find((i) => i.code === code);
  if (catalog.isPending || drafts.isPending) return <Page title="Questionnaire"><Loading /></Page>;
  if (catalog.isError) return <Page title="Questionnaire"><ErrorNotice error={catalog.error} /></Page>;
  if (drafts.isError) return <Page title="Questionnaire"><ErrorNotice error={drafts.error} /></Page>;
  if (!q) return <Page title="Questionnaire not found"><p><Link to="/portal/intake">Back to intake</Link></p></Page>;
  const draft = drafts.data.items[0] ?? null;
  return <Runner key={draft?.id ?? 'new'} q={q} patientId={patientId} initialAnswers={(draft?.answers ?? {}) as Answers} initialResponseId={draft?.id ?? null} />;
}

type Step = number | 'review' | 'done';

/** How long a selection made with the arrow keys must rest before it is saved. */
const PASSING_SETTLE_MS = 1500;

type Passing = Map<string, { value: Answers[string]; timer: ReturnType<typeof setTimeout> }>;

/** Removes an item's unsaved passing selection (and its timer); returns it, if there was one. */
function takePassing(passing: Passing, itemId: string) {
  const pending = passing.get(itemId);
  if (pending) clearTimeout(pending.timer);
  passing.delete(itemId);
  return pending;
}

function firstIncompleteStep(q: Questionnaire, answers: Answers): Step {
  if (Object.keys(answers).length === 0) return 0;
  const idx = q.groups.findIndex((g) => g.items.some((i) => i.required !== false && isVisible(q, i.id, answers) && !isAnswered(answers[i.id])));
  return idx === -1 ? 'review' : idx;
}

function Runner({ q, patientId, initialAnswers, initialResponseId }: { q: Questionnaire; patientId: string; initialAnswers: Answers; initialResponseId: string | null }) {
  const queryClient = useQueryClient();
  const [answers, setAnswers] = useState<Answers>(initialAnswers);
  const [step, setStep] = useState<Step>(() => firstIncompleteStep(q, initialAnswers));
  const [responseId, setResponseId] = useState<string | null>(initialResponseId);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [crisis, setCrisis] = useState<SubmitResponseResult | null>(null);
  const [saved, setSaved] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const resumed = initialResponseId !== null;

  const save = useMutation({
    mutationFn: (v: { answers: Answers; complete: boolean }) =>
      submitResponse(patientId, { instrument: q.code, answers: v.answers, complete: v.complete, ...(responseId ? { responseId } : {}) }),
    onSuccess: (result) => {
      setResponseId(result.status === 'submitted' ? null : result.id);
      if (result.crisisResources.length > 0) setCrisis(result);
      setFormError(null);
    },
    onError: (error) => {
      if (error instanceof ApiError && error.field?.startsWith('answers.')) {
        setErrors({ [error.field.slice('answers.'.length)]: error.message });
      } else setFormError(error instanceof ApiError ? error.message : 'Your answer could not be saved. Check your connection and try again.');
    },
  });

  useEffect(() => {
    if (typeof step === 'number' || step === 'review') headingRef.current?.focus();
    // Sent: the button pressed is gone, so focus goes to the new page's heading, as after a
    // navigation; the thank-you notice below it is a status that is announced too.
    if (step === 'done') document.querySelector<HTMLElement>('main h1')?.focus();
  }, [step]);

  const total = q.groups.length;
  const { mutate } = save; // stable across renders
  const saveAnswer = useCallback(
    (itemId: string, value: Answers[string]) => mutate({ answers: { [itemId]: value }, complete: false }, { onSuccess: () => setSaved('Answer saved.') }),
    [mutate],
  );
  // Selections made in passing with the arrow keys, saved once the user rests on one
  // (PASSING_SETTLE_MS) or leaves the question: saving each would raise a safety alert for
  // an item-9 answer the patient only moved across.
  const passing = useRef<Passing>(new Map());
  const settle = useCallback(
    (itemId: string) => {
      const pending = takePassing(passing.current, itemId);
      if (pending) saveAnswer(itemId, pending.value);
    },
    [saveAnswer],
  );
  // Leaving the page (another page of the app, or signing out) saves what was settled on.
  useEffect(() => {
    const pending = passing.current;
    return () => [...pending.keys()].forEach(settle);
  }, [settle]);

  const change = (itemId: string, value: Answers[string] | undefined, kind: string, gesture: ChoiceGesture) => {
    const next = { ...answers, [itemId]: value ?? null };
    setAnswers(next);
    setErrors((e) => ({ ...e, [itemId]: '' }));
    if (kind !== 'choice' && kind !== 'multi-choice') return;
    takePassing(passing.current, itemId);
    // Choices are saved the moment they are made (and a critical answer reaches the care team at once).
    if (gesture === 'direct') {
      saveAnswer(itemId, value ?? null);
      return;
    }
    passing.current.set(itemId, { value: value ?? null, timer: setTimeout(() => settle(itemId), PASSING_SETTLE_MS) });
  };

  const saveGroup = async (groupIndex: number): Promise<boolean> => {
    const group = q.groups[groupIndex]!;
    const missing: Record<string, string> = {};
    for (const item of group.items) {
      if (item.required !== false && isVisible(q, item.id, answers) && !isAnswered(answers[item.id])) missing[item.id] = 'Please answer this question.';
    }
    if (Object.keys(missing).length > 0) {
      setErrors(missing);
      document.getElementById(`q-${Object.keys(missing)[0]}`)?.focus();
      return false;
    }
    // The group is saved whole below: a passing selection in it needs no save of its own.
    for (const item of group.items) takePassing(passing.current, item.id);
    const groupAnswers = Object.fromEntries(group.items.map((i) => [i.id, answers[i.id] ?? null]));
    try {
      await save.mutateAsync({ answers: groupAnswers, complete: false });
      setSaved('Your answers are saved. You can leave and come back on any device.');
      return true;
    } catch {
      return false;
    }
  };

  const crisisPanel = crisis ? <CrisisPanel resources={crisis.crisisResources} message={crisis.crisisMessage} /> : null;

  if (step === 'done') {
    return (
      <Page title={`${q.title}: submitted`}>
        {crisisPanel}
        <p className="notice notice--success" role="status">
          Thank you. Your answers were sent to your care team.
        </p>
        <p>
          <Link to="/portal/intake">Back to intake</Link>
        </p>
      </Page>
    );
  }

  if (step === 'review') {
    return (
      <Page title={q.title} lead="Check your answers before you send them.">
        {crisisPanel}
        <div className="q-progress">
          <p>Review your answers</p>
          <progress max={total + 1} value={total} aria-label={`Review, after ${total} of ${total} steps`} />
        </div>
        <h2 ref={headingRef} tabIndex={-1}>
          Review
        </h2>
        {formError ? <p className="notice notice--error" role="alert">{formError}</p> : null}
        {q.groups.map((g, gi) => (
          <section key={g.id} aria-labelledby={`review-${g.id}`}>
            <h3 id={`review-${g.id}`}>{g.title ?? `Part ${gi + 1}`}</h3>
            <dl className="q-review">
              {g.items
                .filter((i) => isVisible(q, i.id, answers))
                .map((i) => (
                  <div key={i.id}>
                    <dt>{i.text}</dt>
                    <dd>
                      {answerText(i, answers[i.id])}
                      {errors[i.id] ? <span className="field__error"> — {errors[i.id]}</span> : null}
                    </dd>
                  </div>
                ))}
            </dl>
            <button type="button" className="button button--secondary button--small" onClick={() => setStep(gi)}>
              Change {g.title ?? `part ${gi + 1}`}
            </button>
          </section>
        ))}
        <div className="q-nav">
          <button
            type="button"
            className="button button--primary"
            disabled={save.isPending}
            onClick={() =>
              save.mutate(
                { answers, complete: true },
                {
                  onSuccess: async () => {
                    // Only the intake list: refetching this page's draft would remount the runner.
                    await queryClient.invalidateQueries({ queryKey: ['responses', patientId, 'all'] });
                    setStep('done');
                  },
                },
              )
            }
          >
            {save.isPending ? 'Sending…' : 'Send my answers'}
          </button>
        </div>
      </Page>
    );
  }

  const group = q.groups[step]!;
  return (
    <Page title={q.title} lead={q.recallPeriod ? `Thinking about the ${q.recallPeriod}.` : undefined}>
      {resumed && step === firstIncompleteStep(q, initialAnswers) ? <p className="notice notice--info">Welcome back — we kept your answers so far.</p> : null}
      <div className="q-progress">
        <p id="q-progress-label">
          Step {step + 1} of {total}
        </p>
        <progress max={total + 1} value={step} aria-labelledby="q-progress-label" />
      </div>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          if (await saveGroup(step)) setStep(step + 1 < total ? step + 1 : 'review');
        }}
        noValidate
      >
        <h2 ref={headingRef} tabIndex={-1}>
          {group.title ?? q.title}
        </h2>
        {group.preamble ? <p>{group.preamble}</p> : null}
        {formError ? <p className="notice notice--error" role="alert">{formError}</p> : null}
        {group.items
          .filter((i) => isVisible(q, i.id, answers))
          .map((item) => (
            <QuestionItem key={item.id} idPrefix="q" item={item} value={answers[item.id]} error={errors[item.id] || undefined} onChange={(v, gesture) => change(item.id, v ?? null, item.kind, gesture)} onLeave={() => settle(item.id)} />
          ))}
        {/* Right below the questions, where the patient is looking when they answer. */}
        {crisisPanel}
        <div className="q-nav">
          {step > 0 ? (
            <button type="button" className="button button--secondary" onClick={() => setStep(step - 1)}>
              Back
            </button>
          ) : null}
          <button type="submit" className="button button--primary" disabled={save.isPending}>
            {step + 1 < total ? 'Save and continue' : 'Save and review'}
          </button>
        </div>
      </form>
      <StatusMessage>{saved}</StatusMessage>
    </Page>
  );
}
