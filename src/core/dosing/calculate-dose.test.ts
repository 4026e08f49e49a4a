import { describe, expect, it } from 'vitest';
import { defaultClinicProtocol, type ClinicProtocol } from '../protocol/clinic-protocol.schema';
import { calculateDose, roundTo, roundToStep } from './calculate-dose';

const P = defaultClinicProtocol;
const codes = (r: { violations: { code: string }[] }) => r.violations.map((v) => v.code);
const withRoutesOffered = (): ClinicProtocol => {
  const p = structuredClone(P);
  p.routes.oral.offered.value = true;
  p.routes.intranasalRacemic.offered.value = true;
  return p;
};

describe('rounding helpers', () => {
  it('rounds half up to the step, without float noise', () => {
    expect(roundToStep(36.5, 1)).toBe(37);
    expect(roundToStep(36.49, 1)).toBe(36);
    expect(roundToStep(125, 50)).toBe(150);
    expect(roundToStep(124.9, 50)).toBe(100);
    expect(roundToStep(0.1 * 3, 0.1)).toBe(0.3);
    expect(roundTo(52.45, 1)).toBe(52.5);
  });
});

describe('calculateDose — IV infusion', () => {
  it('default 0.5 mg/kg × 70 kg = 35 mg, 35 mL at 1 mg/mL over 40 min = 52.5 mL/h', () => {
    const r = calculateDose(P, { route: 'ivInfusion', weightKg: 70 });
    expect(r).toMatchObject({
      doseMg: 35,
      orderedMgPerKg: 0.5,
      effectiveMgPerKg: 0.5,
      iv: { concentrationMgPerMl: 1, volumeMl: 35, durationMinutes: 40, rateMlPerHour: 52.5 },
      im: null,
      intranasal: null,
      withinProtocol: true,
      violations: [],
      warnings: [],
      drug: 'racemic-ketamine',
    });
  });

  it('mg/kg range boundaries, both sides, never clamped', () => {
    expect(codes(calculateDose(P, { route: 'ivInfusion', weightKg: 70, mgPerKg: 0.1 }))).toEqual([]);
    const low = calculateDose(P, { route: 'ivInfusion', weightKg: 70, mgPerKg: 0.09 });
    expect(codes(low)).toEqual(['below-range']);
    expect(low.doseMg).toBe(6); // 6.3 rounded, not raised to 7
    expect(low.overridable).toBe(true);
    expect(codes(calculateDose(P, { route: 'ivInfusion', weightKg: 70, mgPerKg: 0.75 }))).toEqual([]);
    const high = calculateDose(P, { route: 'ivInfusion', weightKg: 70, mgPerKg: 0.76 });
    expect(codes(high)).toEqual(['above-range']);
    expect(high.doseMg).toBe(53);
    expect(high.violations[0]?.message).toContain('0.76 mg/kg is above the protocol range 0.1–0.75 mg/kg');
  });

  it('absolute cap: 75 mg passes, 76 mg is flagged with the computed dose kept', () => {
    expect(codes(calculateDose(P, { route: 'ivInfusion', weightKg: 100, mgPerKg: 0.75 }))).toEqual([]);
    const r = calculateDose(P, { route: 'ivInfusion', weightKg: 101.4, mgPerKg: 0.75 }); // 76.05 → 76
    expect(r.doseMg).toBe(76);
    expect(codes(r)).toEqual(['above-absolute-cap']);
    expect(r.withinProtocol).toBe(false);
    expect(r.overridable).toBe(true);
  });

  it('rounding is reported as a warning', () => {
    const r = calculateDose(P, { route: 'ivInfusion', weightKg: 73.3, mgPerKg: 0.5 }); // 36.65
    expect(r.unroundedDoseMg).toBe(36.65);
    expect(r.doseMg).toBe(37);
    expect(r.warnings.map((w) => w.code)).toEqual(['rounded']);
  });

  it('warns when rounding moves an in-range order out of range', () => {
    const r = calculateDose(P, { route: 'ivInfusion', weightKg: 5, mgPerKg: 0.75 }); // 3.75 → 4 = 0.8 mg/kg
    expect(r.warnings.map((w) => w.code)).toEqual(['rounded', 'rounding-left-range']);
    expect(codes(r)).toEqual([]);
  });

  it('accepts an order in mg and derives mg/kg', () => {
    const r = calculateDose(P, { route: 'ivInfusion', weightKg: 70, doseMg: 35 });
    expect(r.orderedMgPerKg).toBe(0.5);
    expect(r.doseMg).toBe(35);
    expect(codes(calculateDose(P, { route: 'ivInfusion', weightKg: 70, doseMg: 60 }))).toEqual(['above-range']);
    expect(codes(calculateDose(P, { route: 'ivInfusion', weightKg: 70, doseMg: -1 }))).toEqual(['invalid-input']);
  });

  it('requires a weight; rejects nonsense input', () => {
    const r = calculateDose(P, { route: 'ivInfusion' });
    expect(codes(r)).toEqual(['weight-required']);
    expect(r.overridable).toBe(false);
    expect(codes(calculateDose(P, { route: 'ivInfusion', weightKg: -70 }))).toEqual(['invalid-input', 'weight-required']);
    expect(codes(calculateDose(P, { route: 'ivInfusion', weightKg: 70, mgPerKg: 0 }))).toEqual(['invalid-input']);
    expect(codes(calculateDose(P, { route: 'ivInfusion', weightKg: 70, mgPerKg: Number.NaN }))).toEqual(['invalid-input']);
  });

  it('infusion duration boundaries 2–100 min', () => {
    expect(codes(calculateDose(P, { route: 'ivInfusion', weightKg: 70, ivDurationMinutes: 2 }))).toEqual([]);
    expect(codes(calculateDose(P, { route: 'ivInfusion', weightKg: 70, ivDurationMinutes: 100 }))).toEqual([]);
    expect(codes(calculateDose(P, { route: 'ivInfusion', weightKg: 70, ivDurationMinutes: 1.9 }))).toEqual(['iv-duration-out-of-range']);
    const long = calculateDose(P, { route: 'ivInfusion', weightKg: 70, ivDurationMinutes: 101 });
    expect(codes(long)).toEqual(['iv-duration-out-of-range']);
    expect(long.iv?.rateMlPerHour).toBe(20.8); // 35 mL / (101/60) h
    expect(codes(calculateDose(P, { route: 'ivInfusion', weightKg: 70, ivDurationMinutes: 0 }))).toEqual(['invalid-input']);
  });

  it('rate follows the concentration', () => {
    const p = structuredClone(P);
    p.routes.ivInfusion.concentrationMgPerMl!.value = 0.5;
    const r = calculateDose(p, { route: 'ivInfusion', weightKg: 70 });
    expect(r.iv).toMatchObject({ volumeMl: 70, rateMlPerHour: 105 });
  });

  it('flags a protocol without an IV concentration', () => {
    const p = structuredClone(P);
    delete p.routes.ivInfusion.concentrationMgPerMl;
    const r = calculateDose(p, { route: 'ivInfusion', weightKg: 70 });
    expect(codes(r)).toEqual(['protocol-incomplete']);
    expect(r.iv).toBeNull();
  });
});

describe('calculateDose — IM', () => {
  it('0.5 mg/kg × 80 kg = 40 mg = 0.8 mL at 50 mg/mL', () => {
    const r = calculateDose(P, { route: 'im', weightKg: 80 });
    expect(r).toMatchObject({ doseMg: 40, im: { concentrationMgPerMl: 50, volumeMl: 0.8 }, iv: null, withinProtocol: true });
  });
  it('volume to 0.01 mL', () => {
    expect(calculateDose(P, { route: 'im', weightKg: 67, mgPerKg: 0.5 }).im?.volumeMl).toBe(0.68); // 34 mg / 50
  });
  it('range 0.1–0.75 mg/kg', () => {
    expect(codes(calculateDose(P, { route: 'im', weightKg: 80, mgPerKg: 0.75 }))).toEqual([]);
    expect(codes(calculateDose(P, { route: 'im', weightKg: 80, mgPerKg: 0.8 }))).toEqual(['above-range']);
  });
  it('flags a protocol without an IM concentration', () => {
    const p = structuredClone(P);
    delete p.routes.im.concentrationMgPerMl;
    expect(codes(calculateDose(p, { route: 'im', weightKg: 80 }))).toEqual(['protocol-incomplete']);
  });
});

describe('calculateDose — intranasal esketamine (fixed dose, 28 mg devices)', () => {
  it('56 mg = 2 devices, 5 min apart', () => {
    const r = calculateDose(P, { route: 'intranasalEsketamine', doseMg: 56 });
    expect(r).toMatchObject({ doseMg: 56, drug: 'esketamine', intranasal: { mgPerDevice: 28, deviceCount: 2, minutesBetweenDevices: 5, administrationMinutes: 5 }, withinProtocol: true });
  });
  it('84 mg = 3 devices over 10 min; default is 56 mg; weight is not needed', () => {
    expect(calculateDose(P, { route: 'intranasalEsketamine', doseMg: 84 }).intranasal).toMatchObject({ deviceCount: 3, administrationMinutes: 10 });
    expect(calculateDose(P, { route: 'intranasalEsketamine' }).doseMg).toBe(56);
  });
  it('28 mg is below the default range (age ≥65 dose unconfirmed) → override', () => {
    const r = calculateDose(P, { route: 'intranasalEsketamine', doseMg: 28 });
    expect(codes(r)).toEqual(['below-range']);
    expect(r.intranasal?.deviceCount).toBe(1);
    expect(r.intranasal?.administrationMinutes).toBe(0);
  });
  it('112 mg is above range and cap', () => {
    const r = calculateDose(P, { route: 'intranasalEsketamine', doseMg: 112 });
    expect(codes(r)).toEqual(['above-range', 'above-absolute-cap']);
    expect(r.intranasal?.deviceCount).toBe(4);
  });
  it('a dose that is not whole devices is refused, not rounded', () => {
    const r = calculateDose(P, { route: 'intranasalEsketamine', doseMg: 70 });
    expect(r.doseMg).toBe(70);
    expect(codes(r)).toEqual(['not-whole-devices']);
    expect(r.overridable).toBe(false);
    expect(r.intranasal?.deviceCount).toBe(3);
  });
  it('titration: 56 → 84 (+50%) passes; 50 → 84 does not', () => {
    expect(codes(calculateDose(P, { route: 'intranasalEsketamine', doseMg: 84, previous: { route: 'intranasalEsketamine', doseMg: 56 } }))).toEqual([]);
    const r = calculateDose(P, { route: 'intranasalEsketamine', doseMg: 84, previous: { route: 'intranasalEsketamine', doseMg: 50 } });
    expect(codes(r)).toEqual(['above-titration-limit']);
    expect(r.violations[0]?.message).toContain('limit 75 mg');
  });
  it('flags a protocol without a device', () => {
    const p = structuredClone(P);
    delete p.routes.intranasalEsketamine.device;
    expect(codes(calculateDose(p, { route: 'intranasalEsketamine', doseMg: 56 }))).toEqual(['protocol-incomplete']);
  });
});

describe('calculateDose — intranasal racemic (sprays)', () => {
  it('is refused while not offered', () => {
    const r = calculateDose(P, { route: 'intranasalRacemic', weightKg: 70 });
    expect(codes(r)).toEqual(['route-not-offered']);
    expect(r.overridable).toBe(false);
  });
  it('rounds to whole 10 mg sprays when offered', () => {
    const r = calculateDose(withRoutesOffered(), { route: 'intranasalRacemic', weightKg: 70 }); // 35 → 40
    expect(r.doseMg).toBe(40);
    expect(r.intranasal).toMatchObject({ deviceCount: 4, administrationMinutes: 15 });
    expect(codes(r)).toEqual([]);
  });
});

describe('calculateDose — sublingual and oral', () => {
  it('sublingual rounds to 50 mg tablets; range 100–400 mg', () => {
    expect(calculateDose(P, { route: 'sublingual', doseMg: 150 })).toMatchObject({ doseMg: 150, withinProtocol: true });
    const r = calculateDose(P, { route: 'sublingual', doseMg: 125 });
    expect(r.doseMg).toBe(150);
    expect(r.warnings.map((w) => w.code)).toEqual(['rounded']);
    expect(codes(calculateDose(P, { route: 'sublingual', doseMg: 100 }))).toEqual([]);
    expect(codes(calculateDose(P, { route: 'sublingual', doseMg: 99 }))).toEqual(['below-range']);
    expect(codes(calculateDose(P, { route: 'sublingual', doseMg: 400 }))).toEqual([]);
    expect(codes(calculateDose(P, { route: 'sublingual', doseMg: 401 }))).toEqual(['above-range']); // rounds to 400, not above cap
    expect(codes(calculateDose(P, { route: 'sublingual', doseMg: 450 }))).toEqual(['above-range', 'above-absolute-cap']);
    expect(codes(calculateDose(P, { route: 'sublingual', doseMg: 0 }))).toEqual(['invalid-input']);
  });
  it('oral is off by default; weight-based with a 300 mg cap when offered', () => {
    expect(codes(calculateDose(P, { route: 'oral', weightKg: 70 }))).toEqual(['route-not-offered']);
    const p = withRoutesOffered();
    expect(calculateDose(p, { route: 'oral', weightKg: 70 })).toMatchObject({ doseMg: 140, withinProtocol: true });
    expect(codes(calculateDose(p, { route: 'oral', weightKg: 70, mgPerKg: 5 }))).toEqual(['above-absolute-cap']); // 350 mg
  });
});

describe('calculateDose — titration on weight-based routes', () => {
  it('compares mg/kg when the previous mg/kg is known: +50% passes, more does not', () => {
    const prev = { route: 'ivInfusion' as const, doseMg: 40, mgPerKg: 0.4 };
    expect(codes(calculateDose(P, { route: 'ivInfusion', weightKg: 100, mgPerKg: 0.6, previous: prev }))).toEqual([]);
    const r = calculateDose(P, { route: 'ivInfusion', weightKg: 100, mgPerKg: 0.61, previous: prev });
    expect(codes(r)).toEqual(['above-titration-limit']);
    expect(r.violations[0]?.message).toContain('mg/kg');
  });
  it('falls back to mg without a previous mg/kg', () => {
    const prev = { route: 'ivInfusion' as const, doseMg: 30 };
    expect(codes(calculateDose(P, { route: 'ivInfusion', weightKg: 90, mgPerKg: 0.5, previous: prev }))).toEqual([]); // 45 = +50%
    expect(codes(calculateDose(P, { route: 'ivInfusion', weightKg: 92, mgPerKg: 0.5, previous: prev }))).toEqual(['above-titration-limit']); // 46
  });
  it('a decrease is always fine', () => {
    expect(codes(calculateDose(P, { route: 'ivInfusion', weightKg: 70, mgPerKg: 0.2, previous: { route: 'ivInfusion', doseMg: 50, mgPerKg: 0.7 } }))).toEqual([]);
  });
  it('a different previous route is not compared, with a warning', () => {
    const r = calculateDose(P, { route: 'ivInfusion', weightKg: 70, previous: { route: 'im', doseMg: 5 } });
    expect(codes(r)).toEqual([]);
    expect(r.warnings.map((w) => w.code)).toEqual(['previous-route-differs']);
  });
});
