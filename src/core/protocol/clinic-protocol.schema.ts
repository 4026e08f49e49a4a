/**
 * The clinic protocol document: every clinical number the dosing-session rules use.
 *
 * Each setting is a `{ value, source }` pair so the UI can show where a number comes from
 * next to the number itself (clinical-facts.md §2d "show its source next to it"). Source
 * strings cite `shared/reference/clinical-facts.md` source numbers in [brackets]. Where that
 * note marks a fact ⚠️ unconfirmed, or has no fact at all, the default is labelled
 * "PRACTICE EXAMPLE, NOT A STANDARD" and each clinic must set its own value.
 *
 * Pure: no I/O, no clock. See docs/clinical-references.md "Dosing, monitoring and discharge".
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** Version of this document's *shape*; bump with a migration when the shape changes. */
export const CLINIC_PROTOCOL_SCHEMA_VERSION = 1 as const;

/** Label prefix for defaults that are not backed by a confirmed source. */
export const PRACTICE_EXAMPLE = '⚠️ PRACTICE EXAMPLE, NOT A STANDARD (clinic must set):';

const Source = Type.String({ minLength: 1, description: 'Where this value comes from' });

const Cited = <T extends TSchema>(value: T) =>
  Type.Object({ value, source: Source }, { additionalProperties: false });

const CitedNumber = (opts: { minimum?: number; maximum?: number; exclusiveMinimum?: number } = {}) =>
  Cited(Type.Number(opts));
const CitedBoolean = () => Cited(Type.Boolean());

export const ROUTE_IDS = [
  'ivInfusion',
  'im',
  'intranasalEsketamine',
  'intranasalRacemic',
  'sublingual',
  'oral',
] as const;
export const RouteIdSchema = Type.Union(ROUTE_IDS.map((id) => Type.Literal(id)));
export type RouteId = (typeof ROUTE_IDS)[number];

export const VITAL_FIELDS = ['hr', 'sbp', 'dbp', 'spo2', 'rr'] as const;
export const VitalFieldSchema = Type.Union(VITAL_FIELDS.map((f) => Type.Literal(f)));
export type VitalField = (typeof VITAL_FIELDS)[number];

export const WeightBasedDosingSchema = Type.Object(
  {
    mode: Type.Literal('weight-based'),
    mgPerKgMin: CitedNumber({ minimum: 0 }),
    mgPerKgMax: CitedNumber({ exclusiveMinimum: 0 }),
    mgPerKgDefault: CitedNumber({ exclusiveMinimum: 0 }),
  },
  { additionalProperties: false },
);

export const FixedDosingSchema = Type.Object(
  {
    mode: Type.Literal('fixed'),
    mgMin: CitedNumber({ minimum: 0 }),
    mgMax: CitedNumber({ exclusiveMinimum: 0 }),
    mgDefault: CitedNumber({ exclusiveMinimum: 0 }),
  },
  { additionalProperties: false },
);

export const RouteProtocolSchema = Type.Object(
  {
    offered: CitedBoolean(),
    drug: Type.Union([Type.Literal('racemic-ketamine'), Type.Literal('esketamine')]),
    label: Type.String({ minLength: 1 }),
    dosing: Type.Union([WeightBasedDosingSchema, FixedDosingSchema]),
    absoluteCapMg: CitedNumber({ exclusiveMinimum: 0 }),
    /** The dose in mg is rounded (half up) to a multiple of this step. */
    roundingMg: CitedNumber({ exclusiveMinimum: 0 }),
    /** Concentration of the prepared drug (IV bag / IM syringe), mg/mL. Required for IV and IM. */
    concentrationMgPerMl: Type.Optional(CitedNumber({ exclusiveMinimum: 0 })),
    /** IV only: infusion duration default and allowed range. */
    ivDurationMinutes: Type.Optional(
      Type.Object(
        {
          default: CitedNumber({ exclusiveMinimum: 0 }),
          min: CitedNumber({ exclusiveMinimum: 0 }),
          max: CitedNumber({ exclusiveMinimum: 0 }),
        },
        { additionalProperties: false },
      ),
    ),
    /** Intranasal only: mg delivered by one device and rest between devices. */
    device: Type.Optional(
      Type.Object(
        {
          mgPerDevice: CitedNumber({ exclusiveMinimum: 0 }),
          minutesBetweenDevices: CitedNumber({ minimum: 0 }),
        },
        { additionalProperties: false },
      ),
    ),
    /** A dose more than this % above the previous session's dose needs a prescriber override. */
    maxIncreaseFromPreviousPercent: CitedNumber({ minimum: 0 }),
    /** Minimum observation after the dose, before discharge. */
    minObservationMinutes: CitedNumber({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type RouteProtocol = Static<typeof RouteProtocolSchema>;

/** A vital-sign rule: fires when the reading is strictly `above` or strictly `below` `value`. */
export const VitalAlertRuleSchema = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    field: VitalFieldSchema,
    comparison: Type.Union([Type.Literal('above'), Type.Literal('below')]),
    value: Type.Number(),
    level: Type.Union([Type.Literal('warning'), Type.Literal('critical')]),
    source: Source,
  },
  { additionalProperties: false },
);
export type VitalAlertRule = Static<typeof VitalAlertRuleSchema>;

/** A pre-dose rule: a reading strictly above/below `value` blocks check-in. */
export const PreDoseVitalRuleSchema = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    field: VitalFieldSchema,
    comparison: Type.Union([Type.Literal('above'), Type.Literal('below')]),
    value: Type.Number(),
    /** false = hard stop (repeat the reading later); true = a prescriber may override with a reason. */
    overridable: Type.Boolean(),
    source: Source,
  },
  { additionalProperties: false },
);
export type PreDoseVitalRule = Static<typeof PreDoseVitalRuleSchema>;

/**
 * A point in time relative to the dosing start T:
 * - `offset-hours`: elapsed time on the instant timeline (physiology: fasting, abstinence);
 * - `local-time`: wall-clock time in the clinic zone, `dayOffset` calendar days from T's
 *   local date (e.g. "from 18:00 the evening before"). DST-correct via luxon.
 */
export const PrepAnchorSchema = Type.Union([
  Type.Object(
    { kind: Type.Literal('offset-hours'), hours: Type.Number() },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('local-time'),
      dayOffset: Type.Integer(),
      time: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' }),
    },
    { additionalProperties: false },
  ),
]);
export type PrepAnchor = Static<typeof PrepAnchorSchema>;

export const PrepItemSchema = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    label: Type.String({ minLength: 1 }),
    /**
     * `abstain`: the patient refrains from something between `start` and `end`.
     * `task`: the patient does something between `start` and `end` (the due time).
     */
    kind: Type.Union([Type.Literal('abstain'), Type.Literal('task')]),
    /** Routes this item applies to; absent = all routes. */
    routes: Type.Optional(Type.Array(RouteIdSchema, { minItems: 1 })),
    start: PrepAnchorSchema,
    end: PrepAnchorSchema,
    source: Source,
  },
  { additionalProperties: false },
);
export type PrepItem = Static<typeof PrepItemSchema>;

/**
 * The optional post-session experience measure: whether it is offered once the session is
 * in recovery or discharged, and which instrument (questionnaire engine code: the bundled
 * check-in, or an imported licensed one such as the CADSS). It is always optional for the
 * patient and never gates discharge.
 */
export const PostSessionSchema = Type.Object(
  {
    experienceMeasure: Type.Object(
      {
        offered: CitedBoolean(),
        instrument: Cited(Type.String({ minLength: 2, maxLength: 64, pattern: '^[a-z0-9][a-z0-9-]*$' })),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type PostSessionProtocol = Static<typeof PostSessionSchema>;

export const ClinicProtocolSchema = Type.Object(
  {
    schemaVersion: Type.Literal(CLINIC_PROTOCOL_SCHEMA_VERSION),
    /** The clinic's own revision label for this protocol (bumped on every sign-off). */
    version: Type.String({ minLength: 1 }),
    name: Type.String({ minLength: 1 }),
    routes: Type.Object(
      {
        ivInfusion: RouteProtocolSchema,
        im: RouteProtocolSchema,
        intranasalEsketamine: RouteProtocolSchema,
        intranasalRacemic: RouteProtocolSchema,
        sublingual: RouteProtocolSchema,
        oral: RouteProtocolSchema,
      },
      { additionalProperties: false },
    ),
    vitalAlerts: Type.Object(
      {
        rules: Type.Array(VitalAlertRuleSchema),
        noReadingMinutes: CitedNumber({ exclusiveMinimum: 0 }),
        escalation: Type.Object(
          {
            prescriberAfterMinutes: CitedNumber({ minimum: 0 }),
            adminAfterMinutes: CitedNumber({ minimum: 0 }),
          },
          { additionalProperties: false },
        ),
      },
      { additionalProperties: false },
    ),
    preDose: Type.Object(
      {
        vitalRules: Type.Array(PreDoseVitalRuleSchema),
        /** A pre-dose vitals reading older than this does not count. */
        vitalsMaxAgeMinutes: CitedNumber({ exclusiveMinimum: 0 }),
        /** Instrument codes (questionnaire engine) that must be completed on the dosing day. */
        requiredMeasures: Cited(Type.Array(Type.String({ minLength: 1 }))),
        /** Weight must be measured within this many clinic-calendar days (0 = same day). */
        weightMaxAgeDays: CitedNumber({ minimum: 0 }),
        requirePregnancyStatus: CitedBoolean(),
        requireFastingConfirmation: CitedBoolean(),
        requireAbstinenceConfirmation: CitedBoolean(),
        requireEscort: CitedBoolean(),
        require24hKeptFree: CitedBoolean(),
        /** Clinic-calendar days between dosing sessions (2 = e.g. Monday then Wednesday). */
        minDaysBetweenSessions: CitedNumber({ minimum: 0 }),
      },
      { additionalProperties: false },
    ),
    discharge: Type.Object(
      {
        aldretePassingScore: CitedNumber({ minimum: 0, maximum: 10 }),
        /** Aldrete circulation item: which blood pressure is compared with baseline. */
        aldreteBpMeasure: Cited(Type.Union([Type.Literal('systolic'), Type.Literal('mean-arterial')])),
        /** SBP, DBP and HR must each be within ± this % of the pre-dose baseline. */
        vitalsBandPercent: CitedNumber({ minimum: 0 }),
        /** The discharge vitals must be no older than this. */
        vitalsMaxAgeMinutes: CitedNumber({ exclusiveMinimum: 0 }),
        requireAlertAndOriented: CitedBoolean(),
        requireSteadyGait: CitedBoolean(),
        requireEscortPresent: CitedBoolean(),
        requireNoOpenAlerts: CitedBoolean(),
      },
      { additionalProperties: false },
    ),
    preparation: Type.Object(
      { items: Type.Array(PrepItemSchema) },
      { additionalProperties: false },
    ),
    /**
     * After the session. Optional in the document so revisions saved before it existed stay
     * valid; `postSessionMeasureOf` gives the default when it is absent.
     */
    postSession: Type.Optional(PostSessionSchema),
  },
  { additionalProperties: false },
);
export type ClinicProtocol = Static<typeof ClinicProtocolSchema>;

// ---------------------------------------------------------------------------------------
// Defaults
// ---------------------------------------------------------------------------------------

const cite = <T>(value: T, source: string) => ({ value, source });
const example = (why: string) => `${PRACTICE_EXAMPLE} ${why}`;
const ISSUE5 = 'Threshold issue #5 (product requirement, not a clinical number)';

const DEFAULT_POST_SESSION: PostSessionProtocol = {
  experienceMeasure: {
    offered: cite(
      true,
      `${ISSUE5}: an optional post-session dissociation/experience measure. Offered, never required: clinical-facts §6 gives no validated free measure or schedule for one; the Spravato REMS form records dissociation after every session [24][25]`,
    ),
    instrument: cite(
      'post-session-check-in',
      'Threshold’s post-session experience check-in — NOT a validated scale; no free validated measure was found (clinical-facts §6: CADSS [87]–[89], MEQ30 [90][91], EBI [92]–[94]). A licensed clinic may import the CADSS and name its code here',
    ),
  },
};

export const defaultClinicProtocol: ClinicProtocol = {
  schemaVersion: CLINIC_PROTOCOL_SCHEMA_VERSION,
  version: 'threshold-default-1',
  name: 'Threshold default protocol (review and sign off before use)',
  routes: {
    ivInfusion: {
      offered: cite(true, 'clinical-facts §1 [1][2][3]: IV racemic ketamine is the most studied route'),
      drug: 'racemic-ketamine',
      label: 'IV infusion (racemic ketamine)',
      dosing: {
        mode: 'weight-based',
        mgPerKgMin: cite(0.1, 'clinical-facts §1 [3]: reported IV range 0.1–0.75 mg/kg'),
        mgPerKgMax: cite(0.75, 'clinical-facts §1 [3]: reported IV range 0.1–0.75 mg/kg'),
        mgPerKgDefault: cite(0.5, 'clinical-facts §1 [1][2]: 0.5 mg/kg over 40 min is the standard research dose'),
      },
      absoluteCapMg: cite(
        75,
        example('0.75 mg/kg [3] × a 100 kg dosing-weight ceiling; no source gives an absolute IV cap'),
      ),
      roundingMg: cite(1, example('round to 1 mg; no source gives a rounding rule')),
      concentrationMgPerMl: cite(
        1,
        example('1 mg/mL diluted infusion; no source in clinical-facts gives a concentration'),
      ),
      ivDurationMinutes: {
        default: cite(40, 'clinical-facts §1 [1][2]: 0.5 mg/kg over 40 min'),
        min: cite(2, 'clinical-facts §1 [3]: reported session lengths 2–100 min'),
        max: cite(100, 'clinical-facts §1 [3]: reported session lengths 2–100 min'),
      },
      maxIncreaseFromPreviousPercent: cite(
        50,
        example('+50% mirrors the Spravato 56→84 mg step [14]; no source gives a racemic titration limit'),
      ),
      minObservationMinutes: cite(
        120,
        example('the Spravato REMS 2 h minimum [13][19][20] adopted for racemic ketamine; no racemic standard retrieved'),
      ),
    },
    im: {
      offered: cite(true, 'clinical-facts §1 [3][8]: bolus IM dosing is safe and effective; used in KAP'),
      drug: 'racemic-ketamine',
      label: 'Intramuscular (racemic ketamine)',
      dosing: {
        mode: 'weight-based',
        mgPerKgMin: cite(0.1, example('lower bound borrowed from the IV range [3]; no IM lower bound retrieved')),
        mgPerKgMax: cite(0.75, 'clinical-facts §1 [8]: KAP feasibility trial used IM up to 0.75 mg/kg'),
        mgPerKgDefault: cite(0.5, example('mid-range of [8]; no IM standard dose retrieved')),
      },
      absoluteCapMg: cite(75, example('0.75 mg/kg [8] × a 100 kg dosing-weight ceiling')),
      roundingMg: cite(1, example('round to 1 mg; no source gives a rounding rule')),
      concentrationMgPerMl: cite(50, example('50 mg/mL vial strength; not in clinical-facts')),
      maxIncreaseFromPreviousPercent: cite(
        50,
        example('+50% mirrors the Spravato 56→84 mg step [14]; no source gives an IM titration limit'),
      ),
      minObservationMinutes: cite(
        120,
        example('the Spravato REMS 2 h minimum [13][19][20] adopted for racemic ketamine'),
      ),
    },
    intranasalEsketamine: {
      offered: cite(true, 'clinical-facts §1 [13][14]: Spravato (esketamine) nasal spray, FDA-approved for TRD'),
      drug: 'esketamine',
      label: 'Intranasal esketamine (Spravato)',
      dosing: {
        mode: 'fixed',
        mgMin: cite(56, 'clinical-facts §1 [14][15]: TRD day-1 dose 56 mg, then 56 or 84 mg (28 mg for age ≥65 is ⚠️ unconfirmed [16])'),
        mgMax: cite(84, 'clinical-facts §1 [14][17]: 56 or 84 mg; MDSI 84 mg'),
        mgDefault: cite(56, 'clinical-facts §1 [14]: day-1 dose 56 mg'),
      },
      absoluteCapMg: cite(84, 'clinical-facts §1 [14][17]: highest labelled dose 84 mg'),
      roundingMg: cite(1, 'no rounding up to a device: a dose that is not whole 28 mg devices [13][14] is refused, not rounded'),
      device: {
        mgPerDevice: cite(28, 'clinical-facts §1 [13][14][15]: one device = 28 mg (2 sprays)'),
        minutesBetweenDevices: cite(5, 'clinical-facts §1 [13][14][15]: rest 5 min between devices'),
      },
      maxIncreaseFromPreviousPercent: cite(50, 'clinical-facts §1 [14]: labelled step 56→84 mg (+50%)'),
      minObservationMinutes: cite(120, 'clinical-facts §2a [13][19][20]: Spravato REMS — monitor at least 2 h'),
    },
    intranasalRacemic: {
      offered: cite(false, example('no intranasal racemic dosing facts retrieved; off until the clinic sets it')),
      drug: 'racemic-ketamine',
      label: 'Intranasal (racemic ketamine)',
      dosing: {
        mode: 'weight-based',
        mgPerKgMin: cite(0.1, example('no intranasal racemic range retrieved')),
        mgPerKgMax: cite(0.75, example('no intranasal racemic range retrieved')),
        mgPerKgDefault: cite(0.5, example('no intranasal racemic dose retrieved')),
      },
      absoluteCapMg: cite(75, example('no intranasal racemic cap retrieved')),
      roundingMg: cite(10, example('rounded to whole sprays of the device below')),
      device: {
        mgPerDevice: cite(10, example('10 mg per spray; compounded devices vary')),
        minutesBetweenDevices: cite(5, example('5 min rest as for Spravato devices [13]')),
      },
      maxIncreaseFromPreviousPercent: cite(50, example('+50% mirrors the Spravato 56→84 mg step [14]')),
      minObservationMinutes: cite(120, example('the Spravato REMS 2 h minimum [13][19][20] adopted')),
    },
    sublingual: {
      offered: cite(true, 'clinical-facts §1 [11][12]: sublingual/rapid-dissolve tablets used in KAP'),
      drug: 'racemic-ketamine',
      label: 'Sublingual tablets / lozenges (racemic ketamine)',
      dosing: {
        mode: 'fixed',
        mgMin: cite(100, 'clinical-facts §1 [11]: CTP/Wolfson general range 100–400 mg'),
        mgMax: cite(400, 'clinical-facts §1 [11]: CTP/Wolfson general range 100–400 mg'),
        mgDefault: cite(100, 'clinical-facts §1 [11]: lower end of 100–400 mg'),
      },
      absoluteCapMg: cite(400, 'clinical-facts §1 [11]: upper end of 100–400 mg'),
      roundingMg: cite(50, 'clinical-facts §1 [11]: 50 and 100 mg tablets'),
      maxIncreaseFromPreviousPercent: cite(50, example('+50% mirrors the Spravato 56→84 mg step [14]')),
      minObservationMinutes: cite(120, example('the Spravato REMS 2 h minimum [13][19][20] adopted')),
    },
    oral: {
      offered: cite(false, 'clinical-facts §1 [10]: Andrade calls oral use "experimental"; off by default'),
      drug: 'racemic-ketamine',
      label: 'Oral (racemic ketamine)',
      dosing: {
        mode: 'weight-based',
        mgPerKgMin: cite(0.25, 'clinical-facts §1 [10]: reported oral range 0.25–7 mg/kg'),
        mgPerKgMax: cite(7, 'clinical-facts §1 [10]: reported oral range 0.25–7 mg/kg'),
        mgPerKgDefault: cite(2, 'clinical-facts §1 [10]: about 2.0–2.5 mg/kg matches an IV dose'),
      },
      absoluteCapMg: cite(300, 'clinical-facts §1 [10]: fixed oral doses reported 25–300 mg'),
      roundingMg: cite(5, example('round to 5 mg; no source gives a rounding rule')),
      maxIncreaseFromPreviousPercent: cite(50, example('+50% mirrors the Spravato 56→84 mg step [14]')),
      minObservationMinutes: cite(120, example('the Spravato REMS 2 h minimum [13][19][20] adopted')),
    },
  },
  vitalAlerts: {
    rules: [
      { id: 'sbp-high', field: 'sbp', comparison: 'above', value: 180, level: 'warning', source: 'clinical-facts §2d [38][41]: SBP > 180 (ED protocol; Spravato clinic example BP > 180/110)' },
      { id: 'sbp-critical', field: 'sbp', comparison: 'above', value: 200, level: 'critical', source: 'clinical-facts §2d [41]: BP > 200/120 once (one clinic; example only)' },
      { id: 'dbp-high', field: 'dbp', comparison: 'above', value: 110, level: 'warning', source: 'clinical-facts §2d [41]: BP > 180/110 (one clinic; example only)' },
      { id: 'dbp-critical', field: 'dbp', comparison: 'above', value: 120, level: 'critical', source: 'clinical-facts §2d [41]: BP > 200/120 once (one clinic; example only)' },
      { id: 'sbp-low', field: 'sbp', comparison: 'below', value: 90, level: 'warning', source: 'clinical-facts §2d [39]: ED protocol adds SBP < 90' },
      { id: 'hr-high', field: 'hr', comparison: 'above', value: 120, level: 'warning', source: 'clinical-facts §2d [41]: HR > 120 sustained 5 min (one clinic; example only; evaluated per reading here)' },
      { id: 'hr-critical', field: 'hr', comparison: 'above', value: 150, level: 'critical', source: 'clinical-facts §2d [38]: do not give if HR > 150' },
      { id: 'hr-low', field: 'hr', comparison: 'below', value: 50, level: 'warning', source: 'clinical-facts §2d [39]: ED protocol adds HR < 50' },
      { id: 'spo2-low', field: 'spo2', comparison: 'below', value: 93, level: 'warning', source: 'clinical-facts §5 [40]: modified Aldrete scores 2 only for SpO2 > 92% (alert at ≤ 92%)' },
      { id: 'spo2-critical', field: 'spo2', comparison: 'below', value: 90, level: 'critical', source: 'clinical-facts §5 [40]: SpO2 < 90% scores 0 on modified Aldrete' },
      { id: 'rr-low', field: 'rr', comparison: 'below', value: 10, level: 'critical', source: 'clinical-facts §2d [38]: RR < 10; REMS names respiratory depression [20]' },
      { id: 'rr-high', field: 'rr', comparison: 'above', value: 30, level: 'warning', source: 'clinical-facts §2d [38]: RR > 30' },
    ],
    noReadingMinutes: cite(
      15,
      example('15 min; the ASA 2018 sedation monitoring intervals [42] are ⚠️ not retrieved. Spravato requires BP pre-dose and ~40 min [13][19]'),
    ),
    escalation: {
      prescriberAfterMinutes: cite(5, example('5 min unacknowledged → prescriber (REMS requires a prescriber on site [20][21])')),
      adminAfterMinutes: cite(15, example('15 min unacknowledged → clinic admin')),
    },
  },
  preDose: {
    vitalRules: [
      { id: 'predose-sbp-block', field: 'sbp', comparison: 'above', value: 180, overridable: false, source: 'clinical-facts §2d [38]: do not give if SBP > 180' },
      { id: 'predose-dbp-block', field: 'dbp', comparison: 'above', value: 110, overridable: false, source: 'clinical-facts §2d [41]: BP > 180/110 (one clinic; example only)' },
      { id: 'predose-sbp-caution', field: 'sbp', comparison: 'above', value: 140, overridable: true, source: 'clinical-facts §2a [22][23]: baseline BP > 140/90 — weigh the BP rise, "consider delaying"' },
      { id: 'predose-dbp-caution', field: 'dbp', comparison: 'above', value: 90, overridable: true, source: 'clinical-facts §2a [22][23]: baseline BP > 140/90 — "consider delaying"' },
      { id: 'predose-sbp-low', field: 'sbp', comparison: 'below', value: 90, overridable: true, source: 'clinical-facts §2d [39]: ED protocol adds SBP < 90' },
      { id: 'predose-hr-high', field: 'hr', comparison: 'above', value: 150, overridable: false, source: 'clinical-facts §2d [38]: do not give if HR > 150' },
      { id: 'predose-hr-low', field: 'hr', comparison: 'below', value: 50, overridable: true, source: 'clinical-facts §2d [39]: ED protocol adds HR < 50' },
      { id: 'predose-rr-low', field: 'rr', comparison: 'below', value: 10, overridable: false, source: 'clinical-facts §2d [38]: do not give if RR < 10' },
      { id: 'predose-rr-high', field: 'rr', comparison: 'above', value: 30, overridable: false, source: 'clinical-facts §2d [38]: do not give if RR > 30' },
      { id: 'predose-spo2-low', field: 'spo2', comparison: 'below', value: 93, overridable: true, source: example('SpO2 ≤ 92% — the modified Aldrete 2-point line [40] used as a pre-dose check') },
    ],
    vitalsMaxAgeMinutes: cite(60, example('pre-dose vitals within 60 min of check-in; Spravato requires BP "before dosing" [13][19]')),
    requiredMeasures: cite(['phq9'], 'Threshold issue #5 (e.g. PHQ-9 on the dosing day); clinical-facts §6 [62][65] PHQ-9 is free to use'),
    weightMaxAgeDays: cite(0, `${ISSUE5}: weight measured today`),
    requirePregnancyStatus: cite(true, 'clinical-facts §3 [19][23][45][46]: pregnancy not recommended (label warning; common research exclusion)'),
    requireFastingConfirmation: cite(true, 'clinical-facts §4 [22][48][49][50]: fasting before dosing'),
    requireAbstinenceConfirmation: cite(true, 'clinical-facts §4 [51]–[56]: alcohol and recreational drugs avoided around dosing'),
    requireEscort: cite(true, 'clinical-facts §4 [13][19][52][55][56]: transport home arranged; driver/escort required'),
    require24hKeptFree: cite(true, 'clinical-facts §4 [52][55]: no driving or important decisions for 24 h'),
    minDaysBetweenSessions: cite(
      2,
      example('2 calendar days allows the twice-weekly schedules of Spravato induction [14] and Singh 2016 [4]'),
    ),
  },
  discharge: {
    aldretePassingScore: cite(9, 'clinical-facts §5 [40][57][58]: modified Aldrete ≥ 9 allows discharge'),
    aldreteBpMeasure: cite('systolic', example('systolic BP compared with baseline; the Aldrete table [40] says "BP"')),
    vitalsBandPercent: cite(20, 'clinical-facts §5 [40][59][60]: within 20% of baseline (Aldrete circulation, PADSS vital signs)'),
    vitalsMaxAgeMinutes: cite(15, example('discharge vitals taken within the last 15 min; Spravato asks for BP before discharge [24][25]')),
    requireAlertAndOriented: cite(true, 'clinical-facts §5 [59][61]: oriented ×3 (PADSS); back to pre-treatment awareness (ACEP)'),
    requireSteadyGait: cite(true, 'clinical-facts §5 [59][60]: steady gait (PADSS) / ambulation (modified PADSS)'),
    requireEscortPresent: cite(true, 'clinical-facts §5 [59][60] and §4 [13][56]: a competent adult escort is required'),
    requireNoOpenAlerts: cite(true, `${ISSUE5}: every alert needs acknowledgement with the intervention taken`),
  },
  preparation: {
    items: [
      {
        id: 'no-solid-food',
        label: 'No solid food or milk',
        kind: 'abstain',
        routes: ['ivInfusion', 'im', 'intranasalRacemic', 'sublingual', 'oral'],
        start: { kind: 'offset-hours', hours: -6 },
        end: { kind: 'offset-hours', hours: 0 },
        source: 'clinical-facts §4 [48][49]: ASA light meal 6 h; clinic instructions vary [51]–[56]',
      },
      {
        id: 'no-clear-liquids',
        label: 'No clear liquids',
        kind: 'abstain',
        routes: ['ivInfusion', 'im', 'intranasalRacemic', 'sublingual', 'oral'],
        start: { kind: 'offset-hours', hours: -2 },
        end: { kind: 'offset-hours', hours: 0 },
        source: 'clinical-facts §4 [48][49]: ASA clear liquids 2 h',
      },
      {
        id: 'esketamine-no-food',
        label: 'No food',
        kind: 'abstain',
        routes: ['intranasalEsketamine'],
        start: { kind: 'offset-hours', hours: -2 },
        end: { kind: 'offset-hours', hours: 0 },
        source: 'clinical-facts §4 [22][50]: Spravato — no food for 2 h before dosing',
      },
      {
        id: 'esketamine-no-liquids',
        label: 'No liquids',
        kind: 'abstain',
        routes: ['intranasalEsketamine'],
        start: { kind: 'offset-hours', hours: -0.5 },
        end: { kind: 'offset-hours', hours: 0 },
        source: 'clinical-facts §4 [22][50]: Spravato — no liquids for 30 min before dosing',
      },
      {
        id: 'esketamine-nasal-steroid',
        label: 'If you use a nasal steroid or decongestant, take it at least 1 hour before',
        kind: 'task',
        routes: ['intranasalEsketamine'],
        start: { kind: 'local-time', dayOffset: 0, time: '00:00' },
        end: { kind: 'offset-hours', hours: -1 },
        source: 'clinical-facts §4 [22]: nasal steroids or decongestants at least 1 h before',
      },
      {
        id: 'no-alcohol',
        label: 'No alcohol or recreational drugs',
        kind: 'abstain',
        start: { kind: 'offset-hours', hours: -24 },
        end: { kind: 'offset-hours', hours: 24 },
        source: example('24 h before and after; clinics vary: 24 h after, or 72 h before and after [51]–[56]'),
      },
      {
        id: 'no-benzodiazepines',
        label: 'No benzodiazepines from the evening before (unless your prescriber says otherwise)',
        kind: 'abstain',
        start: { kind: 'local-time', dayOffset: -1, time: '18:00' },
        end: { kind: 'offset-hours', hours: 0 },
        source: example('"the night before" — some clinics avoid benzodiazepines on the day or the night before [51]–[56]; 18:00 chosen here'),
      },
      {
        id: 'keep-24h-free',
        label: 'Keep the next 24 hours free: no important decisions',
        kind: 'abstain',
        start: { kind: 'offset-hours', hours: 0 },
        end: { kind: 'offset-hours', hours: 24 },
        source: 'clinical-facts §4 [52][55]: no driving or important decisions for 24 h',
      },
      {
        id: 'no-driving',
        label: 'No driving or machinery until the next day after restful sleep',
        kind: 'abstain',
        start: { kind: 'offset-hours', hours: 0 },
        end: { kind: 'local-time', dayOffset: 1, time: '08:00' },
        source: 'clinical-facts §4 [13][19]: not until the next day after restful sleep (the 08:00 end is a ⚠️ practice example)',
      },
    ],
  },
  postSession: DEFAULT_POST_SESSION,
};

/** The post-session settings of a protocol; revisions stored before they existed get the defaults. */
export function postSessionMeasureOf(protocol: ClinicProtocol): PostSessionProtocol['experienceMeasure'] {
  return (protocol.postSession ?? DEFAULT_POST_SESSION).experienceMeasure;
}

// ---------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------

export interface ProtocolFieldError {
  /** Dotted path, e.g. `routes.ivInfusion.dosing.mgPerKgMax.value`. */
  field: string;
  message: string;
}

export type ValidateClinicProtocolResult =
  | { ok: true; protocol: ClinicProtocol; errors: [] }
  | { ok: false; errors: ProtocolFieldError[] };

const pointerToField = (path: string) =>
  path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.') || '(root)';

/** Structural (TypeBox) validation, then cross-field rules. Errors name the field. */
export function validateClinicProtocol(input: unknown): ValidateClinicProtocolResult {
  const structural: ProtocolFieldError[] = [];
  const seen = new Set<string>();
  for (const e of Value.Errors(ClinicProtocolSchema, input)) {
    const field = pointerToField(e.path);
    const key = `${field}|${e.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    structural.push({ field, message: e.message });
  }
  if (structural.length > 0) return { ok: false, errors: structural };

  const p = input as ClinicProtocol;
  const errors: ProtocolFieldError[] = [];
  const err = (field: string, message: string) => errors.push({ field, message });

  for (const id of ROUTE_IDS) {
    const r = p.routes[id];
    const base = `routes.${id}`;
    if (r.dosing.mode === 'weight-based') {
      const { mgPerKgMin: min, mgPerKgMax: max, mgPerKgDefault: def } = r.dosing;
      if (min.value > max.value) err(`${base}.dosing.mgPerKgMin.value`, 'must not exceed mgPerKgMax');
      if (def.value < min.value || def.value > max.value)
        err(`${base}.dosing.mgPerKgDefault.value`, 'must lie within mgPerKgMin–mgPerKgMax');
    } else {
      const { mgMin: min, mgMax: max, mgDefault: def } = r.dosing;
      if (min.value > max.value) err(`${base}.dosing.mgMin.value`, 'must not exceed mgMax');
      if (def.value < min.value || def.value > max.value)
        err(`${base}.dosing.mgDefault.value`, 'must lie within mgMin–mgMax');
      if (def.value > r.absoluteCapMg.value)
        err(`${base}.dosing.mgDefault.value`, 'must not exceed absoluteCapMg');
    }
    if (id === 'ivInfusion') {
      if (!r.concentrationMgPerMl) err(`${base}.concentrationMgPerMl`, 'is required for IV infusion');
      if (!r.ivDurationMinutes) err(`${base}.ivDurationMinutes`, 'is required for IV infusion');
      else {
        const d = r.ivDurationMinutes;
        if (d.min.value > d.max.value) err(`${base}.ivDurationMinutes.min.value`, 'must not exceed max');
        if (d.default.value < d.min.value || d.default.value > d.max.value)
          err(`${base}.ivDurationMinutes.default.value`, 'must lie within min–max');
      }
    }
    if (id === 'im' && !r.concentrationMgPerMl) err(`${base}.concentrationMgPerMl`, 'is required for IM');
    if (id === 'intranasalEsketamine' || id === 'intranasalRacemic') {
      if (!r.device) err(`${base}.device`, 'is required for intranasal routes');
    }
  }

  const ruleIds = new Set<string>();
  p.vitalAlerts.rules.forEach((rule, i) => {
    if (ruleIds.has(rule.id)) err(`vitalAlerts.rules.${i}.id`, `duplicate rule id "${rule.id}"`);
    ruleIds.add(rule.id);
  });
  const preIds = new Set<string>();
  p.preDose.vitalRules.forEach((rule, i) => {
    if (preIds.has(rule.id)) err(`preDose.vitalRules.${i}.id`, `duplicate rule id "${rule.id}"`);
    preIds.add(rule.id);
  });
  const esc = p.vitalAlerts.escalation;
  if (esc.adminAfterMinutes.value < esc.prescriberAfterMinutes.value)
    err('vitalAlerts.escalation.adminAfterMinutes.value', 'must not be earlier than prescriberAfterMinutes');
  if (!Number.isInteger(p.preDose.weightMaxAgeDays.value))
    err('preDose.weightMaxAgeDays.value', 'must be a whole number of days');
  if (!Number.isInteger(p.preDose.minDaysBetweenSessions.value))
    err('preDose.minDaysBetweenSessions.value', 'must be a whole number of days');

  const prepIds = new Set<string>();
  p.preparation.items.forEach((item, i) => {
    if (prepIds.has(item.id)) err(`preparation.items.${i}.id`, `duplicate item id "${item.id}"`);
    prepIds.add(item.id);
    if (item.start.kind === 'offset-hours' && item.end.kind === 'offset-hours' && item.end.hours < item.start.hours)
      err(`preparation.items.${i}.end`, 'must not be before start');
  });

  return errors.length > 0 ? { ok: false, errors } : { ok: true, protocol: p, errors: [] };
}

/** The minimum observation time for a session that used these routes: the longest applies. */
export function minimumObservationMinutes(protocol: ClinicProtocol, routes: readonly RouteId[]): number {
  return routes.reduce((m, r) => Math.max(m, protocol.routes[r].minObservationMinutes.value), 0);
}
