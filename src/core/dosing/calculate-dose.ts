/**
 * Dose calculator. Pure. Never clamps: it returns the dose that was asked for (rounded to
 * the route's step) and lists every limit that dose violates, so a prescriber can see the
 * computed value and override with a reason, or change the order.
 */
import type { ClinicProtocol, RouteId, RouteProtocol } from '../protocol/clinic-protocol.schema';

export interface DoseRequest {
  route: RouteId;
  /** Body weight in kg (required for weight-based routes; recorded for fixed ones). */
  weightKg?: number | null;
  /** Ordered mg/kg (weight-based routes). Defaults to the protocol's default mg/kg. */
  mgPerKg?: number | null;
  /** Ordered dose in mg (fixed routes, or a weight-based route ordered in mg). */
  doseMg?: number | null;
  /** IV only: infusion duration; defaults to the protocol's default. */
  ivDurationMinutes?: number | null;
  /** The previous dosing session's dose, for the titration limit. */
  previous?: { route: RouteId; doseMg: number; mgPerKg?: number | null } | null;
}

export type DoseIssueCode =
  | 'route-not-offered'
  | 'weight-required'
  | 'invalid-input'
  | 'protocol-incomplete'
  | 'below-range'
  | 'above-range'
  | 'above-absolute-cap'
  | 'above-titration-limit'
  | 'not-whole-devices'
  | 'iv-duration-out-of-range';

export interface DoseIssue {
  code: DoseIssueCode;
  message: string;
  /** true = a prescriber may give it anyway with a recorded reason. */
  overridable: boolean;
}

export type DoseWarningCode = 'rounded' | 'rounding-left-range' | 'previous-route-differs';
export interface DoseWarning {
  code: DoseWarningCode;
  message: string;
}

export interface DoseCalculation {
  route: RouteId;
  drug: RouteProtocol['drug'];
  weightKg: number | null;
  /** The ordered mg/kg (weight-based), or null. */
  orderedMgPerKg: number | null;
  /** Dose before rounding, mg. */
  unroundedDoseMg: number;
  /** The dose to give, mg (rounded to the route's step, never clamped). */
  doseMg: number;
  /** doseMg ÷ weight, if weight is known. */
  effectiveMgPerKg: number | null;
  iv: { concentrationMgPerMl: number; volumeMl: number; durationMinutes: number; rateMlPerHour: number } | null;
  im: { concentrationMgPerMl: number; volumeMl: number } | null;
  intranasal: {
    mgPerDevice: number;
    deviceCount: number;
    minutesBetweenDevices: number;
    /** From the first device to the last: (count − 1) × rest. */
    administrationMinutes: number;
  } | null;
  /** Limits the dose violates. Empty = within protocol. */
  violations: DoseIssue[];
  warnings: DoseWarning[];
  /** No violations at all. */
  withinProtocol: boolean;
  /** Every violation can be overridden by a prescriber with a reason. */
  overridable: boolean;
}

/** Round half up to a multiple of `step`, cancelling binary float noise. */
export function roundToStep(value: number, step: number): number {
  const q = Math.round(value / step + 1e-9);
  return roundTo(q * step, 6);
}

/** Round to a number of decimals (display/volume precision). */
export function roundTo(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f + (value >= 0 ? 1e-9 : -1e-9)) / f;
}

const fmt = (n: number) => String(roundTo(n, 3));
const positive = (n: number | null | undefined): n is number =>
  typeof n === 'number' && Number.isFinite(n) && n > 0;

export function calculateDose(protocol: ClinicProtocol, req: DoseRequest): DoseCalculation {
  const route = protocol.routes[req.route];
  const violations: DoseIssue[] = [];
  const warnings: DoseWarning[] = [];
  const weightKg = positive(req.weightKg) ? req.weightKg : null;

  if (!route.offered.value) {
    violations.push({
      code: 'route-not-offered',
      message: `${route.label} is not offered by this clinic's protocol.`,
      overridable: false,
    });
  }
  if (req.weightKg != null && !positive(req.weightKg)) {
    violations.push({ code: 'invalid-input', message: 'Weight must be a positive number of kg.', overridable: false });
  }

  let orderedMgPerKg: number | null = null;
  let unroundedDoseMg = 0;

  if (route.dosing.mode === 'weight-based') {
    const { mgPerKgMin, mgPerKgMax, mgPerKgDefault } = route.dosing;
    if (weightKg === null) {
      violations.push({
        code: 'weight-required',
        message: `${route.label} is dosed by weight: a measured weight is required.`,
        overridable: false,
      });
    }
    if (req.doseMg != null) {
      if (!positive(req.doseMg)) {
        violations.push({ code: 'invalid-input', message: 'Dose must be a positive number of mg.', overridable: false });
      } else {
        unroundedDoseMg = req.doseMg;
        orderedMgPerKg = weightKg ? req.doseMg / weightKg : null;
      }
    } else {
      const mgPerKg = req.mgPerKg ?? mgPerKgDefault.value;
      if (!positive(mgPerKg)) {
        violations.push({ code: 'invalid-input', message: 'mg/kg must be a positive number.', overridable: false });
      } else {
        orderedMgPerKg = mgPerKg;
        unroundedDoseMg = weightKg ? mgPerKg * weightKg : 0;
      }
    }
    if (orderedMgPerKg !== null) {
      if (orderedMgPerKg < mgPerKgMin.value) {
        violations.push({
          code: 'below-range',
          message: `${fmt(orderedMgPerKg)} mg/kg is below the protocol range ${fmt(mgPerKgMin.value)}–${fmt(mgPerKgMax.value)} mg/kg for ${route.label}.`,
          overridable: true,
        });
      } else if (orderedMgPerKg > mgPerKgMax.value) {
        violations.push({
          code: 'above-range',
          message: `${fmt(orderedMgPerKg)} mg/kg is above the protocol range ${fmt(mgPerKgMin.value)}–${fmt(mgPerKgMax.value)} mg/kg for ${route.label}.`,
          overridable: true,
        });
      }
    }
  } else {
    const { mgMin, mgMax, mgDefault } = route.dosing;
    const ordered = req.doseMg ?? mgDefault.value;
    if (!positive(ordered)) {
      violations.push({ code: 'invalid-input', message: 'Dose must be a positive number of mg.', overridable: false });
    } else {
      unroundedDoseMg = ordered;
      if (ordered < mgMin.value) {
        violations.push({
          code: 'below-range',
          message: `${fmt(ordered)} mg is below the protocol range ${fmt(mgMin.value)}–${fmt(mgMax.value)} mg for ${route.label}.`,
          overridable: true,
        });
      } else if (ordered > mgMax.value) {
        violations.push({
          code: 'above-range',
          message: `${fmt(ordered)} mg is above the protocol range ${fmt(mgMin.value)}–${fmt(mgMax.value)} mg for ${route.label}.`,
          overridable: true,
        });
      }
    }
  }

  const doseMg = unroundedDoseMg > 0 ? roundToStep(unroundedDoseMg, route.roundingMg.value) : 0;
  if (doseMg !== roundTo(unroundedDoseMg, 6) && unroundedDoseMg > 0) {
    warnings.push({
      code: 'rounded',
      message: `Calculated ${fmt(unroundedDoseMg)} mg, rounded to ${fmt(doseMg)} mg (step ${fmt(route.roundingMg.value)} mg).`,
    });
  }
  const effectiveMgPerKg = weightKg && doseMg > 0 ? doseMg / weightKg : null;

  // Rounding can move an in-range order out of range; say so rather than hide it.
  if (route.dosing.mode === 'weight-based' && effectiveMgPerKg !== null && orderedMgPerKg !== null) {
    const { mgPerKgMin, mgPerKgMax } = route.dosing;
    const orderedInRange = orderedMgPerKg >= mgPerKgMin.value && orderedMgPerKg <= mgPerKgMax.value;
    const effectiveInRange = effectiveMgPerKg >= mgPerKgMin.value - 1e-9 && effectiveMgPerKg <= mgPerKgMax.value + 1e-9;
    if (orderedInRange && !effectiveInRange) {
      warnings.push({
        code: 'rounding-left-range',
        message: `After rounding, ${fmt(doseMg)} mg is ${fmt(effectiveMgPerKg)} mg/kg, outside ${fmt(mgPerKgMin.value)}–${fmt(mgPerKgMax.value)} mg/kg.`,
      });
    }
  }

  if (doseMg > route.absoluteCapMg.value) {
    violations.push({
      code: 'above-absolute-cap',
      message: `${fmt(doseMg)} mg exceeds the absolute cap of ${fmt(route.absoluteCapMg.value)} mg for ${route.label}.`,
      overridable: true,
    });
  }

  // Titration: compare like with like — mg/kg when both sessions were weight-based, else mg.
  if (req.previous && doseMg > 0) {
    const prev = req.previous;
    if (prev.route !== req.route) {
      warnings.push({
        code: 'previous-route-differs',
        message: `The previous session used a different route (${protocol.routes[prev.route].label}); the titration limit was not applied.`,
      });
    } else {
      const pct = route.maxIncreaseFromPreviousPercent.value;
      const useMgPerKg = route.dosing.mode === 'weight-based' && positive(prev.mgPerKg) && effectiveMgPerKg !== null;
      const previousValue = useMgPerKg ? (prev.mgPerKg as number) : prev.doseMg;
      const current = useMgPerKg ? (effectiveMgPerKg as number) : doseMg;
      const limit = previousValue * (1 + pct / 100);
      if (current > limit + 1e-9) {
        const unit = useMgPerKg ? 'mg/kg' : 'mg';
        violations.push({
          code: 'above-titration-limit',
          message: `${fmt(current)} ${unit} is more than ${fmt(pct)}% above the previous session's ${fmt(previousValue)} ${unit} (limit ${fmt(limit)} ${unit}).`,
          overridable: true,
        });
      }
    }
  }

  let iv: DoseCalculation['iv'] = null;
  let im: DoseCalculation['im'] = null;
  let intranasal: DoseCalculation['intranasal'] = null;

  if (req.route === 'ivInfusion') {
    const conc = route.concentrationMgPerMl?.value;
    const dur = route.ivDurationMinutes;
    if (!conc || !dur) {
      violations.push({ code: 'protocol-incomplete', message: 'The protocol lacks the IV concentration or duration.', overridable: false });
    } else {
      const durationMinutes = req.ivDurationMinutes ?? dur.default.value;
      if (!positive(durationMinutes)) {
        violations.push({ code: 'invalid-input', message: 'Infusion duration must be a positive number of minutes.', overridable: false });
      } else {
        if (durationMinutes < dur.min.value || durationMinutes > dur.max.value) {
          violations.push({
            code: 'iv-duration-out-of-range',
            message: `An infusion over ${fmt(durationMinutes)} min is outside the protocol's ${fmt(dur.min.value)}–${fmt(dur.max.value)} min.`,
            overridable: true,
          });
        }
        const volumeMl = doseMg / conc;
        iv = {
          concentrationMgPerMl: conc,
          volumeMl: roundTo(volumeMl, 1),
          durationMinutes,
          rateMlPerHour: roundTo(volumeMl / (durationMinutes / 60), 1),
        };
      }
    }
  } else if (req.route === 'im') {
    const conc = route.concentrationMgPerMl?.value;
    if (!conc) {
      violations.push({ code: 'protocol-incomplete', message: 'The protocol lacks the IM concentration.', overridable: false });
    } else {
      im = { concentrationMgPerMl: conc, volumeMl: roundTo(doseMg / conc, 2) };
    }
  } else if (req.route === 'intranasalEsketamine' || req.route === 'intranasalRacemic') {
    const device = route.device;
    if (!device) {
      violations.push({ code: 'protocol-incomplete', message: 'The protocol lacks the intranasal device size.', overridable: false });
    } else {
      const per = device.mgPerDevice.value;
      const exact = doseMg / per;
      const deviceCount = Math.ceil(exact - 1e-9);
      if (doseMg > 0 && Math.abs(exact - Math.round(exact)) > 1e-9) {
        // A device cannot be partly given: the dose must be whole devices.
        violations.push({
          code: 'not-whole-devices',
          message: `${fmt(doseMg)} mg is not a whole number of ${fmt(per)} mg devices.`,
          overridable: false,
        });
      }
      intranasal = {
        mgPerDevice: per,
        deviceCount,
        minutesBetweenDevices: device.minutesBetweenDevices.value,
        administrationMinutes: Math.max(0, deviceCount - 1) * device.minutesBetweenDevices.value,
      };
    }
  }

  return {
    route: req.route,
    drug: route.drug,
    weightKg,
    orderedMgPerKg,
    unroundedDoseMg: roundTo(unroundedDoseMg, 6),
    doseMg,
    effectiveMgPerKg: effectiveMgPerKg === null ? null : roundTo(effectiveMgPerKg, 4),
    iv,
    im,
    intranasal,
    violations,
    warnings,
    withinProtocol: violations.length === 0,
    overridable: violations.every((v) => v.overridable),
  };
}
