/**
 * Dosing-session lifecycle:
 *   scheduled → checked-in → dosing → monitoring → recovery → discharged
 *   any non-terminal state → aborted (with a reason).
 * `evaluateTransition` is pure: the caller evaluates the gate / dose / discharge rules and
 * passes their decisions in `context`; this function decides and explains. A prescriber
 * may override reasons marked overridable, with a recorded reason.
 */
import type { Role } from '../access/roles';
import type { DoseIssueCode } from './calculate-dose';
import type { CheckInReasonCode, GateDecision } from './check-in-gate';
import type { DischargeDecision, DischargeReasonCode } from './discharge';

export const SESSION_STATES = ['scheduled', 'checked-in', 'dosing', 'monitoring', 'recovery', 'discharged', 'aborted'] as const;
export type SessionState = (typeof SESSION_STATES)[number];

export const TERMINAL_STATES: readonly SessionState[] = ['discharged', 'aborted'];

/** The one forward step allowed from each non-terminal state. */
export const NEXT_STATE: Partial<Record<SessionState, SessionState>> = {
  scheduled: 'checked-in',
  'checked-in': 'dosing',
  dosing: 'monitoring',
  monitoring: 'recovery',
  recovery: 'discharged',
};

export const isTerminal = (s: SessionState) => TERMINAL_STATES.includes(s);

export type LifecycleReasonCode =
  | 'invalid-transition'
  | 'terminal-state'
  | 'abort-reason-required'
  | 'evaluation-missing'
  | 'dose-not-verified'
  | 'dose-verified-by-same-clinician'
  | 'administration-missing'
  | 'administration-in-progress'
  | 'open-alerts'
  | 'override-not-permitted'
  | 'override-reason-required';

export interface TransitionReason {
  code: LifecycleReasonCode | CheckInReasonCode | DischargeReasonCode | DoseIssueCode;
  message: string;
  overridable: boolean;
}

export interface TransitionOverride {
  by: { id: string; role: Role };
  reason: string;
}

export interface TransitionContext {
  /** Required for → checked-in: the result of evaluateCheckInGate. */
  checkIn?: GateDecision;
  /** Required for → dosing: the calculation and its double check (high-alert medication). */
  dose?: {
    violations: ReadonlyArray<{ code: DoseIssueCode; message: string; overridable: boolean }>;
    calculatedBy: string;
    verifiedBy: string | null;
  };
  /** Required for → monitoring. */
  administrations?: { count: number; inProgress: number };
  /** For → recovery: unacknowledged alerts. */
  openAlertCount?: number;
  /** Required for → discharged: the result of evaluateDischarge. */
  discharge?: DischargeDecision;
  /** Required for → aborted. */
  abortReason?: string;
  override?: TransitionOverride;
}

export interface TransitionDecision {
  from: SessionState;
  to: SessionState;
  allowed: boolean;
  /** Reasons the step is blocked — kept when overridden, for the record. */
  reasons: TransitionReason[];
  /** Allowed only because a prescriber overrode overridable reasons. */
  overridden: boolean;
  /** Blocked, but a prescriber override with a reason would allow it. */
  overridable: boolean;
}

/** Who may override a blocked step. Kept as data so it can be tested and shown. */
export const OVERRIDE_ROLES: readonly Role[] = ['prescriber'];

export function evaluateTransition(from: SessionState, to: SessionState, context: TransitionContext = {}): TransitionDecision {
  const reasons: TransitionReason[] = [];
  const add = (code: TransitionReason['code'], message: string, overridable: boolean) =>
    reasons.push({ code, message, overridable });

  if (isTerminal(from)) {
    add('terminal-state', `The session is ${from}; it cannot change state.`, false);
    return finish(from, to, reasons, undefined);
  }

  if (to === 'aborted') {
    if (!context.abortReason || context.abortReason.trim() === '')
      add('abort-reason-required', 'Aborting a session requires a reason.', false);
    // An abort is never blocked by clinical rules and needs no override.
    return finish(from, to, reasons, undefined);
  }

  if (NEXT_STATE[from] !== to) {
    add('invalid-transition', `A session cannot go from ${from} to ${to}.`, false);
    return finish(from, to, reasons, undefined);
  }

  switch (to) {
    case 'checked-in': {
      if (!context.checkIn) add('evaluation-missing', 'The check-in gate has not been evaluated.', false);
      else reasons.push(...context.checkIn.reasons);
      break;
    }
    case 'dosing': {
      const dose = context.dose;
      if (!dose) {
        add('evaluation-missing', 'No dose calculation is recorded.', false);
        break;
      }
      reasons.push(...dose.violations);
      if (!dose.verifiedBy) {
        add('dose-not-verified', 'A second clinician must verify the dose calculation (high-alert medication).', false);
      } else if (dose.verifiedBy === dose.calculatedBy) {
        add('dose-verified-by-same-clinician', 'The dose must be verified by a clinician other than the one who calculated it.', false);
      }
      break;
    }
    case 'monitoring': {
      const a = context.administrations;
      if (!a) add('evaluation-missing', 'Administrations have not been provided.', false);
      else if (a.count === 0) add('administration-missing', 'No administration has been recorded.', false);
      else if (a.inProgress > 0) add('administration-in-progress', `${a.inProgress} administration(s) have no end time yet.`, false);
      break;
    }
    case 'recovery': {
      const n = context.openAlertCount ?? 0;
      if (n > 0) add('open-alerts', `${n} alert(s) must be acknowledged first.`, false);
      break;
    }
    case 'discharged': {
      if (!context.discharge) add('evaluation-missing', 'The discharge criteria have not been evaluated.', false);
      else reasons.push(...context.discharge.reasons);
      break;
    }
    case 'scheduled':
      break;
  }

  return finish(from, to, reasons, context.override);
}

function finish(
  from: SessionState,
  to: SessionState,
  reasons: TransitionReason[],
  override: TransitionOverride | undefined,
): TransitionDecision {
  const overridable = reasons.length > 0 && reasons.every((r) => r.overridable);
  if (reasons.length === 0) return { from, to, allowed: true, reasons, overridden: false, overridable: false };
  if (override && overridable) {
    if (!OVERRIDE_ROLES.includes(override.by.role)) {
      return {
        from,
        to,
        allowed: false,
        reasons: [
          ...reasons,
          { code: 'override-not-permitted', message: `Only a prescriber may override; ${override.by.role} may not.`, overridable: false },
        ],
        overridden: false,
        overridable: true,
      };
    }
    if (override.reason.trim() === '') {
      return {
        from,
        to,
        allowed: false,
        reasons: [...reasons, { code: 'override-reason-required', message: 'An override needs a recorded reason.', overridable: false }],
        overridden: false,
        overridable: true,
      };
    }
    return { from, to, allowed: true, reasons, overridden: true, overridable: true };
  }
  return { from, to, allowed: false, reasons, overridden: false, overridable };
}
