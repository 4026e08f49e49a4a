/**
 * Request and response schemas of the dosing session (issue 5): one per payload, used for
 * validation, handler types and OpenAPI. Responses are allow-lists.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { ROUTE_IDS, VITAL_FIELDS } from '../protocol/clinic-protocol.schema';
import { SESSION_STATES } from '../dosing/session-lifecycle';
import { IsoDate, IsoInstant, Uuid } from './common.schema';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

export const RouteId = Literals(ROUTE_IDS);
export const SessionState = Literals(SESSION_STATES);
export const VitalField = Literals(VITAL_FIELDS);

export const SessionParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export const SessionItemParams = Type.Object({ id: Uuid, itemId: Uuid }, { additionalProperties: false });

// ---- protocol ----
export const ProtocolView = Type.Object({
  revision: Type.Integer(),
  isDefault: Type.Boolean(),
  document: Type.Unknown({ description: 'The ClinicProtocol document (see core/protocol/clinic-protocol.schema.ts)' }),
  changeNote: Nullable(Type.String()),
  createdAt: Nullable(Type.String()),
  createdByName: Nullable(Type.String()),
});
export type ProtocolView = Static<typeof ProtocolView>;
export const PutProtocolBody = Type.Object(
  { document: Type.Unknown(), changeNote: Type.Optional(Type.String({ maxLength: 500 })), baseRevision: Type.Optional(Type.Integer({ minimum: 0 })) },
  { additionalProperties: false },
);
export type PutProtocolBody = Static<typeof PutProtocolBody>;
export const ProtocolRevisionList = Type.Object({
  items: Type.Array(Type.Object({ revision: Type.Integer(), changeNote: Nullable(Type.String()), createdAt: Type.String(), createdByName: Nullable(Type.String()), version: Type.String() })),
});

// ---- shared pieces ----
export const Reason = Type.Object({
  code: Type.String(),
  message: Type.String(),
  overridable: Type.Boolean(),
  rule: Type.Optional(Type.String()),
  source: Type.Optional(Type.String()),
});
export const Decision = Type.Object({ allowed: Type.Boolean(), overridable: Type.Boolean(), reasons: Type.Array(Reason) });

export const ReadingValues = {
  hr: Nullable(Type.Number()),
  sbp: Nullable(Type.Number()),
  dbp: Nullable(Type.Number()),
  spo2: Nullable(Type.Number()),
  rr: Nullable(Type.Number()),
};
export const VitalReadingView = Type.Object({
  id: Type.String(),
  seq: Type.Integer(),
  at: Type.String(),
  ...ReadingValues,
  source: Type.String(),
  phase: Type.String(),
});
export type VitalReadingView = Static<typeof VitalReadingView>;

export const AlertView = Type.Object({
  id: Type.String(),
  sessionId: Type.String(),
  rule: Type.String(),
  level: Type.String(),
  field: Nullable(Type.String()),
  value: Nullable(Type.Number()),
  threshold: Type.Number(),
  message: Type.String(),
  source: Type.String(),
  raisedAt: Type.String(),
  escalationLevel: Type.String(),
  escalatedAt: Nullable(Type.String()),
  status: Type.String(),
  acknowledgedAt: Nullable(Type.String()),
  acknowledgedByName: Nullable(Type.String()),
  intervention: Nullable(Type.String()),
});
export type AlertView = Static<typeof AlertView>;

// ---- session ----
export const CreateSessionBody = Type.Object({ appointmentId: Uuid }, { additionalProperties: false });
export type CreateSessionBody = Static<typeof CreateSessionBody>;

export const PregnancyStatus = Literals(['unknown', 'not-applicable', 'confirmed-not-pregnant', 'pregnant']);
export const CheckInFactsBody = Type.Object(
  {
    weightKg: Type.Optional(Nullable(Type.Number({ exclusiveMinimum: 0, maximum: 400 }))),
    pregnancyStatus: Type.Optional(PregnancyStatus),
    fastingConfirmed: Type.Optional(Type.Boolean()),
    abstinenceConfirmed: Type.Optional(Type.Boolean()),
    escortName: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    escortPhone: Type.Optional(Nullable(Type.String({ pattern: '^[+0-9 ()./-]{7,25}$' }))),
    next24hKeptFree: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type CheckInFactsBody = Static<typeof CheckInFactsBody>;

export const AldreteActivity = Literals(['moves-4-limbs', 'moves-2-limbs', 'moves-none']);
export const AldreteRespiration = Literals(['deep-breath-and-cough', 'dyspnea-or-limited', 'apneic']);
export const AldreteConsciousness = Literals(['fully-awake', 'rousable-when-called', 'not-responding']);
export const DischargeAssessmentBody = Type.Object(
  {
    activity: AldreteActivity,
    respiration: AldreteRespiration,
    consciousness: AldreteConsciousness,
    onSupplementalOxygen: Type.Boolean(),
    alertAndOriented: Type.Boolean(),
    steadyGait: Type.Boolean(),
    escortPresent: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type DischargeAssessmentBody = Static<typeof DischargeAssessmentBody>;

export const DoseCalculationView = Type.Object({
  route: Type.String(),
  drug: Type.String(),
  weightKg: Nullable(Type.Number()),
  orderedMgPerKg: Nullable(Type.Number()),
  unroundedDoseMg: Type.Number(),
  doseMg: Type.Number(),
  effectiveMgPerKg: Nullable(Type.Number()),
  iv: Nullable(Type.Object({ concentrationMgPerMl: Type.Number(), volumeMl: Type.Number(), durationMinutes: Type.Number(), rateMlPerHour: Type.Number() })),
  im: Nullable(Type.Object({ concentrationMgPerMl: Type.Number(), volumeMl: Type.Number() })),
  intranasal: Nullable(
    Type.Object({ mgPerDevice: Type.Number(), deviceCount: Type.Number(), minutesBetweenDevices: Type.Number(), administrationMinutes: Type.Number() }),
  ),
  violations: Type.Array(Type.Object({ code: Type.String(), message: Type.String(), overridable: Type.Boolean() })),
  warnings: Type.Array(Type.Object({ code: Type.String(), message: Type.String() })),
  withinProtocol: Type.Boolean(),
  overridable: Type.Boolean(),
});

export const DoseRequestBody = Type.Object(
  {
    route: RouteId,
    mgPerKg: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    doseMg: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    ivDurationMinutes: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    /** Prescriber only: give a dose outside the protocol's limits, with a reason. */
    overrideReason: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type DoseRequestBody = Static<typeof DoseRequestBody>;

export const DoseOrderView = Type.Object({
  id: Type.String(),
  route: Type.String(),
  doseMg: Type.Number(),
  status: Type.String(),
  calculation: DoseCalculationView,
  overrideReason: Nullable(Type.String()),
  calculatedBy: Type.String(),
  calculatedByName: Type.String(),
  calculatedAt: Type.String(),
  verifiedBy: Nullable(Type.String()),
  verifiedByName: Nullable(Type.String()),
  verifiedAt: Nullable(Type.String()),
});
export type DoseOrderView = Static<typeof DoseOrderView>;

export const AdministrationBody = Type.Object(
  {
    idempotencyKey: Type.String({ minLength: 8, maxLength: 100 }),
    doseOrderId: Uuid,
    lot: Type.String({ minLength: 1, maxLength: 60 }),
    expiry: IsoDate,
    startedAt: IsoInstant,
    endedAt: Type.Optional(IsoInstant),
  },
  { additionalProperties: false },
);
export type AdministrationBody = Static<typeof AdministrationBody>;
export const EndAdministrationBody = Type.Object({ endedAt: IsoInstant }, { additionalProperties: false });
export const AddendumBody = Type.Object({ text: Type.String({ minLength: 1, maxLength: 5000 }) }, { additionalProperties: false });

export const AdministrationView = Type.Object({
  id: Type.String(),
  doseOrderId: Type.String(),
  drug: Type.String(),
  route: Type.String(),
  concentrationMgPerMl: Nullable(Type.Number()),
  lot: Type.String(),
  expiry: Type.String(),
  doseMg: Type.Number(),
  volumeMl: Nullable(Type.Number()),
  startedAt: Type.String(),
  endedAt: Nullable(Type.String()),
  givenBy: Type.String(),
  givenByName: Type.String(),
  verifiedBy: Type.String(),
  verifiedByName: Type.String(),
  createdAt: Type.String(),
  addenda: Type.Array(Type.Object({ id: Type.String(), text: Type.String(), authorName: Type.String(), createdAt: Type.String() })),
});
export type AdministrationView = Static<typeof AdministrationView>;

export const WasteBody = Type.Object(
  {
    lot: Type.String({ minLength: 1, maxLength: 60 }),
    amountMg: Type.Number({ exclusiveMinimum: 0, maximum: 10000 }),
    witnessUserId: Uuid,
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type WasteBody = Static<typeof WasteBody>;
export const LotQuery = Type.Object({ lot: Type.String({ minLength: 1, maxLength: 60 }) }, { additionalProperties: false });
export const ControlledSubstanceLot = Type.Object({
  lot: Type.String(),
  givenMg: Type.Number(),
  wastedMg: Type.Number(),
  entries: Type.Array(
    Type.Object({
      id: Type.String(),
      kind: Type.String(),
      drug: Type.String(),
      amountMg: Type.Number(),
      sessionId: Nullable(Type.String()),
      recordedByName: Type.String(),
      witnessName: Type.String(),
      at: Type.String(),
    }),
  ),
});

export const TransitionBody = Type.Object(
  { to: SessionState, reason: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })) },
  { additionalProperties: false },
);
export type TransitionBody = Static<typeof TransitionBody>;
export const TransitionDecisionView = Type.Object({
  from: Type.String(),
  to: Type.String(),
  allowed: Type.Boolean(),
  overridden: Type.Boolean(),
  overridable: Type.Boolean(),
  reasons: Type.Array(Reason),
});
export const TransitionBlocked = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), field: Type.Optional(Type.String()) }),
  decision: TransitionDecisionView,
});

export const DischargeView = Type.Object({
  allowed: Type.Boolean(),
  overridable: Type.Boolean(),
  reasons: Type.Array(Reason),
  aldrete: Nullable(
    Type.Object({
      total: Type.Number(),
      items: Type.Object({ activity: Type.Number(), respiration: Type.Number(), circulation: Type.Number(), consciousness: Type.Number(), spo2: Type.Number() }),
      circulationDeviationPercent: Type.Number(),
    }),
  ),
  observedMinutes: Nullable(Type.Number()),
  observationMetAt: Nullable(Type.String()),
  minObservationMinutes: Type.Number(),
});

export const SessionView = Type.Object({
  id: Type.String(),
  patientId: Type.String(),
  patientName: Type.String(),
  appointmentId: Type.String(),
  scheduledStart: Type.String(),
  scheduledEnd: Type.String(),
  roomId: Nullable(Type.String()),
  roomName: Nullable(Type.String()),
  clinicianName: Nullable(Type.String()),
  state: Type.String(),
  nextState: Nullable(Type.String()),
  protocolRevision: Type.Integer(),
  eventSeq: Type.Integer(),
  timeZone: Type.String(),
  facts: Type.Object({
    weightKg: Nullable(Type.Number()),
    weightMeasuredAt: Nullable(Type.String()),
    pregnancyStatus: Type.String(),
    fastingConfirmed: Type.Boolean(),
    abstinenceConfirmed: Type.Boolean(),
    escortName: Nullable(Type.String()),
    escortPhone: Nullable(Type.String()),
    next24hKeptFree: Type.Boolean(),
    updatedAt: Nullable(Type.String()),
  }),
  baselineVitals: Nullable(Type.Object({ at: Type.String(), ...ReadingValues })),
  dischargeAssessment: Nullable(
    Type.Object({
      activity: Type.String(),
      respiration: Type.String(),
      consciousness: Type.String(),
      onSupplementalOxygen: Type.Boolean(),
      alertAndOriented: Type.Boolean(),
      steadyGait: Type.Boolean(),
      escortPresent: Type.Boolean(),
      assessedAt: Type.String(),
      assessedByName: Type.String(),
    }),
  ),
  checkedInAt: Nullable(Type.String()),
  dosingStartedAt: Nullable(Type.String()),
  firstDoseAt: Nullable(Type.String()),
  monitoringStartedAt: Nullable(Type.String()),
  recoveryStartedAt: Nullable(Type.String()),
  dischargedAt: Nullable(Type.String()),
  abortedAt: Nullable(Type.String()),
  abortReason: Nullable(Type.String()),
  doseOrders: Type.Array(DoseOrderView),
  administrations: Type.Array(AdministrationView),
  transitions: Type.Array(
    Type.Object({
      from: Type.String(),
      to: Type.String(),
      at: Type.String(),
      byName: Type.String(),
      byRole: Type.String(),
      reason: Nullable(Type.String()),
      overriddenReasons: Type.Array(Reason),
    }),
  ),
  openAlertCount: Type.Integer(),
  createdAt: Type.String(),
});
export type SessionView = Static<typeof SessionView>;

export const TransitionResult = Type.Object({ session: SessionView, decision: TransitionDecisionView });

// ---- vitals ----
export const VitalsBatchBody = Type.Object(
  {
    idempotencyKey: Type.String({ minLength: 8, maxLength: 100 }),
    source: Type.Optional(Literals(['manual', 'device'])),
    readings: Type.Array(
      // Values are validated per reading by the pure rules (so one bad reading rejects only itself).
      Type.Object(
        {
          at: Type.String({ maxLength: 40 }),
          hr: Type.Optional(Nullable(Type.Number())),
          sbp: Type.Optional(Nullable(Type.Number())),
          dbp: Type.Optional(Nullable(Type.Number())),
          spo2: Type.Optional(Nullable(Type.Number())),
          rr: Type.Optional(Nullable(Type.Number())),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 500 },
    ),
  },
  { additionalProperties: false },
);
export type VitalsBatchBody = Static<typeof VitalsBatchBody>;
export const VitalsBatchResult = Type.Object({
  idempotencyKey: Type.String(),
  replayed: Type.Boolean(),
  accepted: Type.Array(Type.Object({ index: Type.Integer(), id: Type.String(), seq: Type.Integer() })),
  rejected: Type.Array(Type.Object({ index: Type.Integer(), field: Type.String(), message: Type.String() })),
  alerts: Type.Array(AlertView),
});
export type VitalsBatchResult = Static<typeof VitalsBatchResult>;
export const VitalsList = Type.Object({ items: Type.Array(VitalReadingView), eventSeq: Type.Integer() });
export const AlertList = Type.Object({ items: Type.Array(AlertView) });
export const AcknowledgeBody = Type.Object({ intervention: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false });

// ---- therapist record ----
export const ADVERSE_EVENT_TYPES = ['nausea-vomiting', 'anxiety-agitation', 'hypertension', 'dissociation-distress', 'other'] as const;
const Text = (max: number) => Type.String({ maxLength: max });
export const SessionNoteContent = Type.Object(
  {
    setting: Type.Object(
      { room: Text(200), music: Text(500), eyeshades: Type.Boolean() },
      { additionalProperties: false },
    ),
    intention: Text(4000),
    support: Text(4000),
    observations: Text(8000),
    patientWords: Text(8000),
    adverseEvents: Type.Array(
      Type.Object(
        {
          type: Literals(ADVERSE_EVENT_TYPES),
          description: Text(1000),
          severity: Literals(['mild', 'moderate', 'severe']),
          intervention: Text(2000),
          at: Type.Optional(IsoInstant),
        },
        { additionalProperties: false },
      ),
      { maxItems: 50 },
    ),
  },
  { additionalProperties: false },
);
export type SessionNoteContent = Static<typeof SessionNoteContent>;
export const SessionNoteView = Type.Object({
  id: Nullable(Type.String()),
  status: Literals(['none', 'draft', 'signed']),
  content: Nullable(SessionNoteContent),
  authorName: Nullable(Type.String()),
  updatedAt: Nullable(Type.String()),
  signedAt: Nullable(Type.String()),
  signedByName: Nullable(Type.String()),
  contentSha256: Nullable(Type.String()),
  addenda: Type.Array(Type.Object({ id: Type.String(), text: Type.String(), authorName: Type.String(), createdAt: Type.String() })),
});
export type SessionNoteView = Static<typeof SessionNoteView>;
export const PutNoteBody = Type.Object({ content: SessionNoteContent }, { additionalProperties: false });

// ---- board ----
export const BoardRow = Type.Object({
  sessionId: Type.String(),
  patientId: Type.String(),
  patientName: Type.String(),
  roomName: Nullable(Type.String()),
  state: Type.String(),
  scheduledStart: Type.String(),
  firstDoseAt: Nullable(Type.String()),
  eventSeq: Type.Integer(),
  latestVitals: Nullable(VitalReadingView),
  openAlerts: Type.Array(AlertView),
});
export type BoardRow = Static<typeof BoardRow>;
export const BoardView = Type.Object({
  generatedAt: Type.String(),
  timeZone: Type.String(),
  sessions: Type.Array(BoardRow),
  arriving: Type.Array(
    Type.Object({
      appointmentId: Type.String(),
      patientId: Type.String(),
      patientName: Type.String(),
      roomName: Nullable(Type.String()),
      startAt: Type.String(),
    }),
  ),
  /** Active sessions of patients outside the caller's care team (no details shown). */
  otherActiveSessions: Type.Integer(),
});
export type BoardView = Static<typeof BoardView>;
