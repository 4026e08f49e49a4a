import { isClinicalRole } from '../../core/access/roles';
import type { StaffMember } from '../api/endpoints';
import { roleLabel } from '../lib/format';
import { Checkbox } from './forms';

/** Checkboxes of active staff; the chosen ids are the care team. */
export function CareTeamPicker({
  form,
  staff,
  selected,
  onChange,
  legend = 'Care team',
  hint,
  error,
  selfId,
}: {
  form: string;
  staff: readonly StaffMember[];
  selected: readonly string[];
  onChange: (ids: string[]) => void;
  legend?: string;
  hint?: string;
  error?: string | undefined;
  selfId?: string;
}) {
  // Care teams are clinicians; anyone already on the team stays visible so saving does not drop them unseen.
  const active = staff.filter((s) => (s.active && isClinicalRole(s.role)) || selected.includes(s.id));
  const toggle = (id: string, on: boolean) => onChange(on ? [...selected, id] : selected.filter((x) => x !== id));
  const hintId = `${form}-care-team-hint`;
  const errorId = `${form}-care-team-error`;
  return (
    <fieldset className={`fieldset${error ? ' field--error' : ''}`} aria-describedby={[hint ? hintId : '', error ? errorId : ''].join(' ').trim() || undefined}>
      <legend>{legend}</legend>
      {hint ? (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field__error" id={errorId}>
          <span className="visually-hidden">Error: </span>
          {error}
        </p>
      ) : null}
      <div className="checkbox-grid" id={`${form}-careTeamUserIds`} tabIndex={-1}>
        {active.map((s) => (
          <Checkbox
            key={s.id}
            id={`${form}-ct-${s.id}`}
            checked={selected.includes(s.id)}
            onChange={(on) => toggle(s.id, on)}
            label={
              <>
                {s.displayName}
                {s.id === selfId ? ' (you)' : ''} <span className="role-tag">{roleLabel(s.role)}</span>
              </>
            }
          />
        ))}
      </div>
    </fieldset>
  );
}
