import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { isApiError } from '../../../api/client';
import { getPostSessionMeasure, requestPostSessionMeasure, type PostSessionMeasureView } from '../../../api/dosing';
import { listQuestionnaires, submitResponse, type Answers } from '../../../api/intake';
import { Badge } from '../../../components/Page';
import { answerText, isVisible, QuestionItem } from '../../../components/intake/QuestionItem';
import { formatInstant } from '../../../lib/format';

const ENTRY_LABELS: Record<string, string> = { portal: 'answered by the patient in the portal', paper: 'entered from the paper form', staff: 'entered in clinic' };

/**
 * The optional post-session experience measure (issue 5): once the session is in recovery or
 * discharged, ask the patient to answer it in the portal, or enter the paper form. The
 * answers and score show here. Whether it is offered, and which instrument, is the clinic
 * protocol's choice (the bundled check-in is labelled as not a validated scale).
 */
export function PostSessionMeasureSection({ sessionId, timeZone }: { sessionId: string; timeZone: string }) {
  const queryClient = useQueryClient();
  const key = ['dosing-post-session', sessionId];
  const view = useQuery({ queryKey: key, queryFn: () => getPostSessionMeasure(sessionId) });
  const catalog = useQuery({ queryKey: ['questionnaires'], queryFn: listQuestionnaires });
  const [status, setStatus] = useState('');
  const [paper, setPaper] = useState(false);
  const [answers, setAnswers] = useState<Answers>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = (v: PostSessionMeasureView) => queryClient.setQueryData(key, v);
  // Asking the patient, and saving the paper answers, each remove the control just used:
  // focus goes to the section's heading, with the outcome announced below it.
  const heading = useRef<HTMLHeadingElement>(null);
  const ask = useMutation({
    mutationFn: () => requestPostSessionMeasure(sessionId),
    onSuccess: (v) => {
      heading.current?.focus();
      set(v);
      setStatus('The patient can now answer it in their portal (Questionnaires).');
    },
    onError: (e) => setStatus(isApiError(e) ? e.message : 'That did not work.'),
  });
  const enter = useMutation({
    mutationFn: (v: PostSessionMeasureView) =>
      submitResponse(v.patientId, {
        instrument: v.instrument,
        answers,
        complete: true,
        entryMode: 'paper',
        administeredOn: new Date().toISOString().slice(0, 10),
        dosingSessionId: sessionId,
        ...(draftOf(v) ? { responseId: draftOf(v)!.id } : {}),
      }),
    onSuccess: async () => {
      setPaper(false);
      setAnswers({});
      setErrors({});
      setStatus('Paper answers saved.');
      heading.current?.focus();
      await view.refetch();
    },
    onError: (e) => {
      if (isApiError(e) && e.field?.startsWith('answers.')) setErrors({ [e.field.slice('answers.'.length)]: e.message });
      setStatus(isApiError(e) ? e.message : 'That did not work.');
    },
  });

  if (!view.data) return null;
  const v = view.data;
  const q = catalog.data?.items.find((i) => i.code === v.instrument);
  const submitted = v.responses.find((r) => r.status === 'submitted');
  const draft = draftOf(v);
  return (
    <section className="dosing-section" aria-labelledby="post-session-heading" data-testid="post-session-measure">
      <h2 id="post-session-heading" tabIndex={-1} ref={heading}>
        After the session: experience check-in
      </h2>
      {!v.offered ? (
        <p className="muted">The clinic protocol does not offer a post-session measure.</p>
      ) : (
        <>
          <p>
            <strong>{v.instrumentTitle ?? v.instrument}</strong> · optional for the patient
          </p>
          <p className="protocol-leaf__source">Source: {v.instrumentSource}</p>
          {submitted ? (
            <div className="calc" data-testid="post-session-response">
              <p>
                <Badge tone="success">Answered</Badge> {submitted.submittedAt ? formatInstant(submitted.submittedAt, timeZone) : ''} — {ENTRY_LABELS[submitted.entryMode] ?? submitted.entryMode}
                {submitted.entryMode !== 'portal' ? ` by ${submitted.enteredByName}` : ''}
              </p>
              {submitted.score?.total !== null && submitted.score?.total !== undefined ? (
                <p>
                  Total {submitted.score.total}
                  {submitted.score.bandLabel ? ` (${submitted.score.bandLabel})` : ' — no bands or cut-offs'}
                </p>
              ) : null}
              {q ? (
                <dl className="q-review">
                  {q.groups
                    .flatMap((g) => g.items)
                    .filter((i) => isVisible(q, i.id, submitted.answers))
                    .map((i) => (
                      <div key={i.id}>
                        <dt>{i.text}</dt>
                        <dd>{answerText(i, submitted.answers[i.id])}</dd>
                      </div>
                    ))}
                </dl>
              ) : null}
            </div>
          ) : !v.available ? (
            <p className="muted">Offered once the session is in recovery or discharged.</p>
          ) : (
            <>
              {draft ? <p><Badge tone="warning">Waiting for the patient</Badge> asked {formatInstant(draft.startedAt, timeZone)}; they answer it in their portal.</p> : null}
              <div className="row">
                {!draft ? (
                  <button type="button" className="button button--secondary" onClick={() => ask.mutate()} disabled={ask.isPending}>
                    Ask the patient to complete it
                  </button>
                ) : null}
                <button type="button" className="button button--secondary" onClick={() => setPaper((p) => !p)} aria-expanded={paper}>
                  Enter from paper
                </button>
              </div>
              {paper && q ? (
                <form
                  className="stack"
                  noValidate
                  onSubmit={(e) => {
                    e.preventDefault();
                    enter.mutate(v);
                  }}
                >
                  {q.groups.map((g) => (
                    <fieldset key={g.id} className="fieldset">
                      <legend>{g.title ?? q.title}</legend>
                      {g.preamble ? <p className="field__hint">{g.preamble}</p> : null}
                      {g.items
                        .filter((i) => isVisible(q, i.id, answers))
                        .map((item) => (
                          <QuestionItem key={item.id} idPrefix="post-session" item={item} value={answers[item.id]} error={errors[item.id]} onChange={(x) => setAnswers((a) => ({ ...a, [item.id]: x ?? null }))} />
                        ))}
                    </fieldset>
                  ))}
                  <button type="submit" className="button button--primary" disabled={enter.isPending}>
                    Save paper answers
                  </button>
                </form>
              ) : null}
            </>
          )}
        </>
      )}
      <p role="status">{status}</p>
    </section>
  );
}

function draftOf(v: PostSessionMeasureView) {
  return v.responses.find((r) => r.status === 'in_progress') ?? null;
}
