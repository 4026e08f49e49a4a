import { describe, expect, it } from 'vitest';
import {
  defaultClinicProtocol,
  minimumObservationMinutes,
  PRACTICE_EXAMPLE,
  ROUTE_IDS,
  validateClinicProtocol,
  type ClinicProtocol,
} from './clinic-protocol.schema';

const clone = (): ClinicProtocol => structuredClone(defaultClinicProtocol);

/** Every `{ value, source }` pair and every rule in the document, with its path. */
function citedEntries(node: unknown, path = ''): Array<{ path: string; source: unknown }> {
  if (Array.isArray(node)) return node.flatMap((n, i) => citedEntries(n, `${path}.${i}`));
  if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    const here = 'value' in o || 'source' in o ? [{ path, source: o.source }] : [];
    return [...here, ...Object.entries(o).flatMap(([k, v]) => citedEntries(v, path ? `${path}.${k}` : k))];
  }
  return [];
}

describe('defaultClinicProtocol', () => {
  it('validates against its own schema', () => {
    const r = validateClinicProtocol(defaultClinicProtocol);
    expect(r.errors).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('cites a source next to every default value and rule', () => {
    const entries = citedEntries(defaultClinicProtocol);
    expect(entries.length).toBeGreaterThan(60);
    for (const e of entries) {
      expect(typeof e.source, e.path).toBe('string');
      expect((e.source as string).length, e.path).toBeGreaterThan(10);
    }
  });

  it('cites clinical-facts source numbers or labels the value a practice example', () => {
    for (const e of citedEntries(defaultClinicProtocol)) {
      const s = e.source as string;
      const ok = /\[\d+\]/.test(s) || s.startsWith(PRACTICE_EXAMPLE) || s.includes('issue #5');
      expect(ok, `${e.path}: ${s}`).toBe(true);
    }
  });

  it('labels unconfirmed defaults as practice examples, not standards', () => {
    const p = defaultClinicProtocol;
    for (const s of [
      p.routes.ivInfusion.absoluteCapMg.source,
      p.routes.ivInfusion.concentrationMgPerMl?.source,
      p.routes.im.concentrationMgPerMl?.source,
      p.routes.ivInfusion.maxIncreaseFromPreviousPercent.source,
      p.routes.ivInfusion.minObservationMinutes.source,
      p.vitalAlerts.noReadingMinutes.source,
      p.vitalAlerts.escalation.prescriberAfterMinutes.source,
      p.vitalAlerts.escalation.adminAfterMinutes.source,
      p.preDose.minDaysBetweenSessions.source,
      p.preparation.items.find((i) => i.id === 'no-alcohol')?.source,
    ]) {
      expect(s).toContain('PRACTICE EXAMPLE, NOT A STANDARD');
    }
  });

  it('holds the sourced numbers from clinical-facts', () => {
    const p = defaultClinicProtocol;
    expect(p.routes.ivInfusion.dosing).toMatchObject({ mode: 'weight-based', mgPerKgMin: { value: 0.1 }, mgPerKgMax: { value: 0.75 }, mgPerKgDefault: { value: 0.5 } });
    expect(p.routes.ivInfusion.ivDurationMinutes?.default.value).toBe(40);
    expect(p.routes.intranasalEsketamine.device).toMatchObject({ mgPerDevice: { value: 28 }, minutesBetweenDevices: { value: 5 } });
    expect(p.routes.intranasalEsketamine.minObservationMinutes.value).toBe(120);
    expect(p.routes.sublingual.dosing).toMatchObject({ mgMin: { value: 100 }, mgMax: { value: 400 } });
    expect(p.discharge.aldretePassingScore.value).toBe(9);
    expect(p.discharge.vitalsBandPercent.value).toBe(20);
    expect(p.preDose.vitalRules.find((r) => r.id === 'predose-sbp-block')?.value).toBe(180);
  });

  it('has all six routes; oral and intranasal racemic are off by default', () => {
    expect(Object.keys(defaultClinicProtocol.routes).sort()).toEqual([...ROUTE_IDS].sort());
    expect(defaultClinicProtocol.routes.oral.offered.value).toBe(false);
    expect(defaultClinicProtocol.routes.intranasalRacemic.offered.value).toBe(false);
  });
});

describe('validateClinicProtocol — structural errors name the field', () => {
  it('rejects a non-object', () => {
    const r = validateClinicProtocol(null);
    expect(r.ok).toBe(false);
    expect(r.errors[0]?.field).toBe('(root)');
  });

  it('rejects an unknown schemaVersion', () => {
    const p = { ...clone(), schemaVersion: 2 };
    const r = validateClinicProtocol(p);
    expect(r.ok).toBe(false);
    expect(r.errors.map((e) => e.field)).toContain('schemaVersion');
  });

  it('rejects a missing source', () => {
    const p = clone() as unknown as { routes: { im: { absoluteCapMg: Record<string, unknown> } } };
    delete p.routes.im.absoluteCapMg.source;
    const r = validateClinicProtocol(p);
    expect(r.errors.map((e) => e.field)).toContain('routes.im.absoluteCapMg.source');
  });

  it('rejects a wrong type and a negative number', () => {
    const p = clone();
    (p.discharge.aldretePassingScore as { value: unknown }).value = 'nine';
    p.preDose.weightMaxAgeDays.value = -1;
    const fields = validateClinicProtocol(p).errors.map((e) => e.field);
    expect(fields).toContain('discharge.aldretePassingScore.value');
    expect(fields).toContain('preDose.weightMaxAgeDays.value');
  });

  it('rejects an unknown vital field in a rule and a bad local time', () => {
    const p = clone() as unknown as ClinicProtocol;
    (p.vitalAlerts.rules[0] as { field: string }).field = 'temp';
    p.preparation.items.push({ id: 'x', label: 'x', kind: 'task', start: { kind: 'local-time', dayOffset: 0, time: '24:00' }, end: { kind: 'offset-hours', hours: 0 }, source: 's' });
    const fields = validateClinicProtocol(p).errors.map((e) => e.field);
    expect(fields).toContain('vitalAlerts.rules.0.field');
    expect(fields.some((f) => f.startsWith(`preparation.items.${p.preparation.items.length - 1}.start`))).toBe(true);
  });

  it('rejects extra properties', () => {
    const p = { ...clone(), surprise: 1 };
    expect(validateClinicProtocol(p).ok).toBe(false);
  });
});

describe('validateClinicProtocol — cross-field rules', () => {
  const fieldsOf = (p: ClinicProtocol) => validateClinicProtocol(p).errors.map((e) => e.field);

  it('mg/kg min above max, default outside range', () => {
    const p = clone();
    if (p.routes.ivInfusion.dosing.mode !== 'weight-based') throw new Error();
    p.routes.ivInfusion.dosing.mgPerKgMin.value = 0.8;
    expect(fieldsOf(p)).toEqual(['routes.ivInfusion.dosing.mgPerKgMin.value', 'routes.ivInfusion.dosing.mgPerKgDefault.value']);
  });

  it('fixed mg min above max, default outside range or above cap', () => {
    const p = clone();
    if (p.routes.sublingual.dosing.mode !== 'fixed') throw new Error();
    p.routes.sublingual.dosing.mgMin.value = 500;
    expect(fieldsOf(p)).toEqual(['routes.sublingual.dosing.mgMin.value', 'routes.sublingual.dosing.mgDefault.value']);
    const q = clone();
    q.routes.sublingual.absoluteCapMg.value = 50;
    expect(fieldsOf(q)).toEqual(['routes.sublingual.dosing.mgDefault.value']);
  });

  it('IV needs a concentration and a consistent duration', () => {
    const p = clone();
    delete p.routes.ivInfusion.concentrationMgPerMl;
    expect(fieldsOf(p)).toEqual(['routes.ivInfusion.concentrationMgPerMl']);
    const q = clone();
    delete q.routes.ivInfusion.ivDurationMinutes;
    expect(fieldsOf(q)).toEqual(['routes.ivInfusion.ivDurationMinutes']);
    const r = clone();
    r.routes.ivInfusion.ivDurationMinutes!.min.value = 200;
    expect(fieldsOf(r)).toEqual(['routes.ivInfusion.ivDurationMinutes.min.value', 'routes.ivInfusion.ivDurationMinutes.default.value']);
  });

  it('IM needs a concentration; intranasal needs a device', () => {
    const p = clone();
    delete p.routes.im.concentrationMgPerMl;
    delete p.routes.intranasalEsketamine.device;
    delete p.routes.intranasalRacemic.device;
    expect(fieldsOf(p)).toEqual(['routes.im.concentrationMgPerMl', 'routes.intranasalEsketamine.device', 'routes.intranasalRacemic.device']);
  });

  it('duplicate rule ids and item ids', () => {
    const p = clone();
    p.vitalAlerts.rules.push({ ...p.vitalAlerts.rules[0]! });
    p.preDose.vitalRules.push({ ...p.preDose.vitalRules[0]! });
    p.preparation.items.push({ ...p.preparation.items[0]! });
    expect(fieldsOf(p)).toEqual([
      `vitalAlerts.rules.${p.vitalAlerts.rules.length - 1}.id`,
      `preDose.vitalRules.${p.preDose.vitalRules.length - 1}.id`,
      `preparation.items.${p.preparation.items.length - 1}.id`,
    ]);
  });

  it('escalation to admin before prescriber', () => {
    const p = clone();
    p.vitalAlerts.escalation.adminAfterMinutes.value = 4;
    expect(fieldsOf(p)).toEqual(['vitalAlerts.escalation.adminAfterMinutes.value']);
    p.vitalAlerts.escalation.adminAfterMinutes.value = 5; // equal is allowed
    expect(fieldsOf(p)).toEqual([]);
  });

  it('whole days only', () => {
    const p = clone();
    p.preDose.weightMaxAgeDays.value = 0.5;
    p.preDose.minDaysBetweenSessions.value = 1.5;
    expect(fieldsOf(p)).toEqual(['preDose.weightMaxAgeDays.value', 'preDose.minDaysBetweenSessions.value']);
  });

  it('a prep window ending before it starts', () => {
    const p = clone();
    p.preparation.items[0]!.end = { kind: 'offset-hours', hours: -7 };
    expect(fieldsOf(p)).toEqual(['preparation.items.0.end']);
  });
});

describe('minimumObservationMinutes', () => {
  it('takes the longest of the routes used', () => {
    const p = clone();
    p.routes.im.minObservationMinutes.value = 60;
    expect(minimumObservationMinutes(p, ['im'])).toBe(60);
    expect(minimumObservationMinutes(p, ['im', 'intranasalEsketamine'])).toBe(120);
    expect(minimumObservationMinutes(p, [])).toBe(0);
  });
});
