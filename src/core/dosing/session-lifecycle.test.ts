import { describe, expect, it } from 'vitest';
import type { GateDecision } from './check-in-gate';
import type { DischargeDecision } from './discharge';
import {
  evaluateTransition,
  NEXT_STATE,
  SESSION_STATES,
  TERMINAL_STATES,
  type SessionState,
  type TransitionContext,
} from './session-lifecycle';

const passingGate: GateDecision = { allowed: true, reasons: [], overridable: true };
const passingDischarge: DischargeDecision = { allowed: true, reasons: [], overridable: true, aldrete: null, observedMinutes: 130, observationMetAt: 0 };

/** A context under which each forward step passes. */
const passing: Record<string, TransitionContext> = {
  'checked-in': { checkIn: passingGate },
  dosing: { dose: { violations: [], calculatedBy: 'nurse-1', verifiedBy: 'prescriber-1' } },
  monitoring: { administrations: { count: 1, inProgress: 0 } },
  recovery: { openAlertCount: 0 },
  discharged: { discharge: passingDischarge },
};
const prescriber = { by: { id: 'p1', role: 'prescriber' as const }, reason: 'Reviewed; benefit outweighs risk' };
const codes = (d: { reasons: { code: string }[] }) => d.reasons.map((r) => r.code);

describe('evaluateTransition — the full matrix', () => {
  for (const from of SESSION_STATES) {
    for (const to of SESSION_STATES) {
      const terminal = TERMINAL_STATES.includes(from);
      const forward = NEXT_STATE[from] === to;
      const expected = terminal ? 'terminal-state' : to === 'aborted' ? 'allowed with a reason' : forward ? 'allowed with passing context' : 'invalid-transition';
      it(`${from} → ${to}: ${expected}`, () => {
        const ctx: TransitionContext = to === 'aborted' ? { abortReason: 'Patient asked to stop' } : (passing[to] ?? {});
        const d = evaluateTransition(from, to, ctx);
        if (terminal) {
          expect(codes(d)).toEqual(['terminal-state']);
          expect(d.allowed).toBe(false);
        } else if (to === 'aborted' || forward) {
          expect(d).toMatchObject({ allowed: true, reasons: [], overridden: false });
        } else {
          expect(codes(d)).toEqual(['invalid-transition']);
          expect(d.overridable).toBe(false);
        }
      });
    }
  }

  it('a terminal state cannot be overridden out of', () => {
    expect(evaluateTransition('discharged', 'aborted', { abortReason: 'x', override: prescriber }).allowed).toBe(false);
  });
});

describe('abort', () => {
  it('needs a reason from every non-terminal state', () => {
    for (const from of ['scheduled', 'checked-in', 'dosing', 'monitoring', 'recovery'] as SessionState[]) {
      expect(codes(evaluateTransition(from, 'aborted'))).toEqual(['abort-reason-required']);
      expect(codes(evaluateTransition(from, 'aborted', { abortReason: '  ' }))).toEqual(['abort-reason-required']);
    }
  });
});

describe('forward steps block with reasons', () => {
  it('check-in: not evaluated; gate reasons passed through', () => {
    expect(codes(evaluateTransition('scheduled', 'checked-in'))).toEqual(['evaluation-missing']);
    const gate: GateDecision = { allowed: false, overridable: false, reasons: [{ code: 'pre-dose-vitals-out-of-range', message: 'BP 182/95', overridable: false }] };
    const d = evaluateTransition('scheduled', 'checked-in', { checkIn: gate });
    expect(d).toMatchObject({ allowed: false, overridable: false });
    expect(d.reasons[0]?.message).toBe('BP 182/95');
  });

  it('dosing: no calculation, not verified, verified by the same clinician, violations', () => {
    expect(codes(evaluateTransition('checked-in', 'dosing'))).toEqual(['evaluation-missing']);
    expect(codes(evaluateTransition('checked-in', 'dosing', { dose: { violations: [], calculatedBy: 'n1', verifiedBy: null } }))).toEqual(['dose-not-verified']);
    expect(codes(evaluateTransition('checked-in', 'dosing', { dose: { violations: [], calculatedBy: 'n1', verifiedBy: 'n1' } }))).toEqual(['dose-verified-by-same-clinician']);
    const d = evaluateTransition('checked-in', 'dosing', {
      dose: { violations: [{ code: 'above-range', message: 'm', overridable: true }], calculatedBy: 'n1', verifiedBy: 'p1' },
    });
    expect(d).toMatchObject({ allowed: false, overridable: true });
  });

  it('monitoring: administrations missing, none, in progress', () => {
    expect(codes(evaluateTransition('dosing', 'monitoring'))).toEqual(['evaluation-missing']);
    expect(codes(evaluateTransition('dosing', 'monitoring', { administrations: { count: 0, inProgress: 0 } }))).toEqual(['administration-missing']);
    expect(codes(evaluateTransition('dosing', 'monitoring', { administrations: { count: 1, inProgress: 1 } }))).toEqual(['administration-in-progress']);
  });

  it('recovery: open alerts must be acknowledged', () => {
    expect(codes(evaluateTransition('monitoring', 'recovery', { openAlertCount: 2 }))).toEqual(['open-alerts']);
    expect(evaluateTransition('monitoring', 'recovery').allowed).toBe(true);
  });

  it('discharge: not evaluated; reasons passed through', () => {
    expect(codes(evaluateTransition('recovery', 'discharged'))).toEqual(['evaluation-missing']);
    const discharge: DischargeDecision = { ...passingDischarge, allowed: false, reasons: [{ code: 'gait-not-steady', message: 'm', overridable: true }] };
    expect(evaluateTransition('recovery', 'discharged', { discharge })).toMatchObject({ allowed: false, overridable: true });
  });
});

describe('prescriber override', () => {
  const overridableGate: GateDecision = { allowed: false, overridable: true, reasons: [{ code: 'escort-missing', message: 'm', overridable: true }] };

  it('a prescriber with a reason overrides overridable reasons; the reasons are kept', () => {
    const d = evaluateTransition('scheduled', 'checked-in', { checkIn: overridableGate, override: prescriber });
    expect(d).toMatchObject({ allowed: true, overridden: true });
    expect(codes(d)).toEqual(['escort-missing']);
  });

  it('a nurse may not override', () => {
    const d = evaluateTransition('scheduled', 'checked-in', { checkIn: overridableGate, override: { by: { id: 'n', role: 'nurse' }, reason: 'x' } });
    expect(d.allowed).toBe(false);
    expect(codes(d)).toEqual(['escort-missing', 'override-not-permitted']);
  });

  it('an override needs a reason', () => {
    const d = evaluateTransition('scheduled', 'checked-in', { checkIn: overridableGate, override: { ...prescriber, reason: ' ' } });
    expect(codes(d)).toEqual(['escort-missing', 'override-reason-required']);
  });

  it('non-overridable reasons cannot be overridden', () => {
    const gate: GateDecision = {
      allowed: false,
      overridable: false,
      reasons: [
        { code: 'escort-missing', message: 'm', overridable: true },
        { code: 'consent-not-signed', message: 'm', overridable: false },
      ],
    };
    expect(evaluateTransition('scheduled', 'checked-in', { checkIn: gate, override: prescriber })).toMatchObject({ allowed: false, overridden: false, overridable: false });
    // Nor can a missing co-sign on a dose that is out of range.
    const d = evaluateTransition('checked-in', 'dosing', {
      dose: { violations: [{ code: 'above-range', message: 'm', overridable: true }], calculatedBy: 'p1', verifiedBy: null },
      override: prescriber,
    });
    expect(d.allowed).toBe(false);
  });

  it('an override on a passing step changes nothing', () => {
    expect(evaluateTransition('scheduled', 'checked-in', { checkIn: passingGate, override: prescriber })).toMatchObject({ allowed: true, overridden: false });
  });
});
