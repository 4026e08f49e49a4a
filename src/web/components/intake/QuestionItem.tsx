import { useRef } from 'react';
import type { Questionnaire } from '../../api/intake';
import './intake.css';

type Item = Questionnaire['groups'][number]['items'][number];
type Value = string | number | (string | number)[] | null | undefined;

/**
 * How a choice was made. A radio group moves its selection with each arrow key, so a keyboard
 * or screen-reader user passing from "Not at all" to "Nearly every day" selects every option on
 * the way: those selections are 'passing' until the user stops or leaves the question.
 */
export type ChoiceGesture = 'direct' | 'passing';

const ARROW_KEYS = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight']);

/**
 * One question, rendered accessibly: radio group / checkbox group in a fieldset, or a labelled
 * input. `onLeave` is called when focus leaves a choice question.
 */
export function QuestionItem({
  item,
  value,
  onChange,
  onLeave,
  error,
  idPrefix,
}: {
  item: Item;
  value: Value;
  onChange: (v: Value, gesture: ChoiceGesture) => void;
  onLeave?: () => void;
  error?: string | undefined;
  idPrefix: string;
}) {
  const arrowKeyDown = useRef(false);
  const id = `${idPrefix}-${item.id}`;
  const errorId = `${id}-error`;
  const helpId = `${id}-help`;
  const describedBy = [item.help ? helpId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  const required = item.required !== false;
  const errorLine = error ? (
    <p id={errorId} className="field__error">
      <span className="visually-hidden">Error: </span>
      {error}
    </p>
  ) : null;
  const help = item.help ? (
    <p id={helpId} className="field__hint">
      {item.help}
    </p>
  ) : null;

  if (item.kind === 'choice' || item.kind === 'multi-choice') {
    const multi = item.kind === 'multi-choice';
    const chosen = multi ? (Array.isArray(value) ? value : []) : value;
    return (
      <fieldset
        className={`q-item${error ? ' field--error' : ''}`}
        id={id}
        aria-describedby={describedBy}
        tabIndex={-1}
        onKeyDown={(e) => {
          arrowKeyDown.current = ARROW_KEYS.has(e.key);
        }}
        onPointerDown={() => {
          arrowKeyDown.current = false;
        }}
        onBlur={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget)) onLeave?.();
        }}
      >
        <legend>
          {item.text}
          {!required ? <span className="muted"> (optional)</span> : null}
        </legend>
        {help}
        {errorLine}
        {/* aria-invalid belongs on a radiogroup, not on a plain group: a checkbox group marks each box. */}
        <div
          className="q-options"
          role={multi ? 'group' : 'radiogroup'}
          aria-required={!multi && required ? true : undefined}
          aria-invalid={!multi && error ? true : undefined}
        >
          {item.options.map((o, i) => {
            const optionId = `${id}-o${i}`;
            const checked = multi ? (chosen as (string | number)[]).includes(o.value) : chosen === o.value;
            return (
              <label key={String(o.value)} className="q-option" htmlFor={optionId}>
                <input
                  id={optionId}
                  type={multi ? 'checkbox' : 'radio'}
                  name={id}
                  checked={checked}
                  aria-invalid={multi && error ? true : undefined}
                  onChange={(e) => {
                    const gesture: ChoiceGesture = arrowKeyDown.current ? 'passing' : 'direct';
                    arrowKeyDown.current = false;
                    if (!multi) return onChange(o.value, gesture);
                    const current = chosen as (string | number)[];
                    onChange(e.target.checked ? [...current, o.value] : current.filter((v) => v !== o.value), 'direct');
                  }}
                />
                <span>{o.label}</span>
              </label>
            );
          })}
        </div>
      </fieldset>
    );
  }
  const label = (
    <label htmlFor={id} className="field__label">
      {item.text}
      {item.kind === 'number' && item.unit ? ` (${item.unit})` : ''}
      {!required ? <span className="muted"> (optional)</span> : null}
    </label>
  );
  return (
    <div className={`field${error ? ' field--error' : ''}`}>
      {label}
      {help}
      {errorLine}
      {item.kind === 'number' ? (
        <input
          id={id}
          className="input input--short"
          type="number"
          inputMode="decimal"
          min={item.min}
          max={item.max}
          step={item.integer ? 1 : 'any'}
          value={typeof value === 'number' ? value : ''}
          onChange={(e) => onChange(e.target.value === '' ? null : Number(e.target.value), 'direct')}
          aria-describedby={describedBy}
          aria-invalid={error ? true : undefined}
          aria-required={required || undefined}
        />
      ) : (
        <textarea
          id={id}
          className="input input--full"
          rows={3}
          maxLength={item.maxLength}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.target.value, 'direct')}
          aria-describedby={describedBy}
          aria-invalid={error ? true : undefined}
          aria-required={required || undefined}
        />
      )}
    </div>
  );
}

/** Mirror of the server's skip logic for display (the server re-checks everything). */
export function isVisible(q: Questionnaire, itemId: string, answers: Record<string, Value>): boolean {
  const all = q.groups.flatMap((g) => g.items);
  const item = all.find((i) => i.id === itemId);
  if (!item?.showIf) return true;
  if (!isVisible(q, item.showIf.itemId, answers)) return false;
  const parent = answers[item.showIf.itemId];
  if (parent === null || parent === undefined || Array.isArray(parent)) return false;
  const { op, value } = item.showIf;
  switch (op) {
    case 'eq':
      return parent === value;
    case 'neq':
      return parent !== value;
    case 'gt':
      return typeof parent === 'number' && typeof value === 'number' && parent > value;
    case 'gte':
      return typeof parent === 'number' && typeof value === 'number' && parent >= value;
    case 'lt':
      return typeof parent === 'number' && typeof value === 'number' && parent < value;
    case 'lte':
      return typeof parent === 'number' && typeof value === 'number' && parent <= value;
  }
}

export function isAnswered(v: Value): boolean {
  return !(v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0));
}

export function answerText(item: Item, v: Value): string {
  if (!isAnswered(v)) return 'Not answered';
  if (item.kind === 'choice' || item.kind === 'multi-choice') {
    const values = Array.isArray(v) ? v : [v];
    return values.map((x) => item.options.find((o) => o.value === x)?.label ?? String(x)).join('; ');
  }
  return item.kind === 'number' && item.unit ? `${String(v)} ${item.unit}` : String(v);
}
