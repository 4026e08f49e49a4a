/**
 * Intake, screening and eligibility payloads (issue 4): questionnaires, responses,
 * scores, safety alerts, eligibility decisions, consents, goals, clinician review.
 * One schema per payload: validation, types and OpenAPI.
 */
import { Type, type Static } from '@sinclair/typebox';
import { CONSENT_KINDS } from '../consent/consent-documents';
import { ELIGIBILITY_DECISIONS } from '../eligibility/eligibility-decision';
import { GOAL_KINDS, TARGET_COMPARATORS } from '../goals/goal-progress';
import { InstrumentDefinitionSchema } from '../instruments/instrument-definition.schema';
import { IsoDate, IsoInstant, Uuid } from './common.schema';

/** A string-literal union from a const list (typed as the list's union). */
const literals = <T extends string>(values: readonly T[]) => Type.Unsafe<T>(Type.Union(values.map((v) => Type.Literal(v))));
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

// ---- questionnaires ---------------------------------------------------------------

export const Questionnaire = Type.Composite([
  InstrumentDefinitionSchema,
  Type.Object({
    /** Clinic-imported (licensed) rather than bundled. */
    imported: Type.Boolean(),
    /** Stored definition id for imported instruments. */
    definitionId: Nullable(Type.String()),
    /** Item ids whose positive answer raises a safety alert. */
    criticalItemIds: Type.Array(Type.String()),
  }),
]);
export type Questionnaire = Static<typeof Questionnaire>;

export const QuestionnaireList = Type.Object({ items: Type.Array(Questionnaire) });
export type QuestionnaireList = Static<typeof QuestionnaireList>;

export const QuestionnaireCodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
export type QuestionnaireCodeParams = Static<typeof QuestionnaireCodeParams>;

/** Admin import: the definition file's JSON (validated by validateInstrumentDefinition). */
export const ImportInstrumentBody = Type.Object({ definition: Type.Unknown() }, { additionalProperties: false });
export type ImportInstrumentBody = Static<typeof ImportInstrumentBody>;

export const ImportedInstrument = Type.Object({
  id: Type.String(),
  code: Type.String(),
  version: Type.String(),
  title: Type.String(),
  active: Type.Boolean(),
  createdAt: IsoInstant,
});
export const ImportedInstrumentList = Type.Object({ items: Type.Array(ImportedInstrument) });

// ---- responses, scores and alerts -------------------------------------------------

/*
 * One JSON-Schema `type` list, not an anyOf: the server's Ajv coerces types (`coerceTypes:
 * 'array'`), and inside an anyOf it coerced a cleared answer (null) to 0 and the text "3" to
 * the number 3 before the service saw them — an untouched optional item was stored as 0 or
 * refused as "expected text". With a type list a value that already has one of the types is
 * never coerced. (`maxLength` applies to strings only.)
 */
type AnswerScalarValue = number | string;
const AnswerScalar = Type.Unsafe<AnswerScalarValue>({ type: ['number', 'string'], maxLength: 4000 });
export const AnswerValue = Type.Unsafe<AnswerScalarValue | AnswerScalarValue[] | null>({
  type: ['number', 'string', 'array', 'null'],
  maxLength: 4000,
  maxItems: 50,
  items: AnswerScalar,
});

export const SubmitResponseBody = Type.Object(
  {
    instrument: Type.String({ minLength: 1, maxLength: 64 }),
    answers: Type.Record(Type.String({ maxLength: 64 }), AnswerValue, { maxProperties: 200 }),
    /** false = save progress (resumable on any device); true = submit for scoring. */
    complete: Type.Boolean(),
    /** Staff transcribing a paper form set 'paper'; default 'portal' for patients, 'staff' for staff. */
    entryMode: Type.Optional(Type.Union([Type.Literal('portal'), Type.Literal('paper'), Type.Literal('staff')])),
    /** Date the paper form was filled in (paper entry). */
    administeredOn: Type.Optional(IsoDate),
    /** Continue this saved response (otherwise the patient's open draft of the instrument is continued). */
    responseId: Type.Optional(Uuid),
    /** The dosing session this post-session measure is answered for (issue 5). */
    dosingSessionId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type SubmitResponseBody = Static<typeof SubmitResponseBody>;

export const ScoreSummary = Type.Object({
  status: Type.Union([Type.Literal('scored'), Type.Literal('incomplete'), Type.Literal('complete')]),
  total: Nullable(Type.Number()),
  /** Band id by the published cut-offs, e.g. "moderate". */
  band: Nullable(Type.String()),
  bandLabel: Nullable(Type.String()),
  /** Band after an indicator's escalation (AUDIT), when different. */
  adjustedBand: Nullable(Type.String()),
  adjustedBandLabel: Nullable(Type.String()),
  indicators: Type.Array(Type.Object({ id: Type.String(), label: Type.String(), met: Type.Boolean() })),
  subscales: Type.Array(Type.Object({ id: Type.String(), label: Type.String(), total: Type.Number(), band: Nullable(Type.String()) })),
  missingItemIds: Type.Array(Type.String()),
});
export type ScoreSummary = Static<typeof ScoreSummary>;

export const CrisisResource = Type.Object({
  id: Type.String(),
  name: Type.String(),
  action: Type.String(),
  href: Type.String(),
  detail: Type.Optional(Type.String()),
});

export const RaisedAlert = Type.Object({
  id: Type.String(),
  priority: Type.Literal('high'),
  instrument: Type.String(),
  itemId: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('acknowledged')]),
  raisedAt: IsoInstant,
});

export const SubmitResponseResult = Type.Object({
  id: Type.String(),
  instrument: Type.String(),
  version: Type.String(),
  status: Type.Union([Type.Literal('in_progress'), Type.Literal('submitted')]),
  score: ScoreSummary,
  alerts: Type.Array(RaisedAlert),
  /** Present (non-empty) when an answer was critical: show these to the patient now. */
  crisisResources: Type.Array(CrisisResource),
  crisisMessage: Nullable(Type.String()),
});
export type SubmitResponseResult = Static<typeof SubmitResponseResult>;

export const StoredResponse = Type.Object({
  id: Type.String(),
  instrument: Type.String(),
  instrumentTitle: Type.String(),
  version: Type.String(),
  status: Type.Union([Type.Literal('in_progress'), Type.Literal('submitted')]),
  entryMode: Type.Union([Type.Literal('portal'), Type.Literal('paper'), Type.Literal('staff')]),
  enteredByName: Type.String(),
  administeredOn: Nullable(Type.String()),
  answers: Type.Record(Type.String(), AnswerValue),
  score: Nullable(ScoreSummary),
  startedAt: IsoInstant,
  updatedAt: IsoInstant,
  submittedAt: Nullable(IsoInstant),
  /** Set when the response is a dosing session's post-session measure. */
  dosingSessionId: Type.Optional(Nullable(Type.String())),
});
export type StoredResponse = Static<typeof StoredResponse>;

export const ResponseListQuery = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal('in_progress'), Type.Literal('submitted')])),
    instrument: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type ResponseListQuery = Static<typeof ResponseListQuery>;
export const ResponseList = Type.Object({ items: Type.Array(StoredResponse) });

export const ScoreEntry = Type.Object({
  responseId: Type.String(),
  instrument: Type.String(),
  instrumentTitle: Type.String(),
  version: Type.String(),
  total: Nullable(Type.Number()),
  band: Nullable(Type.String()),
  bandLabel: Nullable(Type.String()),
  adjustedBand: Nullable(Type.String()),
  status: Type.String(),
  entryMode: Type.String(),
  submittedAt: IsoInstant,
});
export type ScoreEntry = Static<typeof ScoreEntry>;

export const OutcomeSummary = Type.Object({
  instrument: Type.String(),
  baseline: Type.Number(),
  current: Type.Number(),
  change: Type.Number(),
  response: Type.Optional(Type.Boolean()),
  remission: Type.Optional(Type.Boolean()),
  meaningfulImprovement: Type.Optional(Type.Boolean()),
  meaningfulWorsening: Type.Optional(Type.Boolean()),
});

export const ScoreHistory = Type.Object({
  items: Type.Array(ScoreEntry),
  /** Baseline (first) vs latest per instrument with outcome criteria. */
  outcomes: Type.Array(OutcomeSummary),
});
export type ScoreHistory = Static<typeof ScoreHistory>;

export const SafetyAlert = Type.Object({
  id: Type.String(),
  patientId: Type.String(),
  patientName: Type.String(),
  priority: Type.Literal('high'),
  status: Type.Union([Type.Literal('open'), Type.Literal('acknowledged')]),
  raisedAt: IsoInstant,
  escalatedAt: Nullable(IsoInstant),
  /** Clinical detail: present for the care team, absent for the clinic admin's escalation view. */
  instrument: Type.Optional(Type.String()),
  itemId: Type.Optional(Type.String()),
  itemText: Type.Optional(Type.String()),
  answerLabel: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
  acknowledgedAt: Nullable(IsoInstant),
  acknowledgedByName: Nullable(Type.String()),
  followUp: Type.Optional(Nullable(Type.String())),
});
export type SafetyAlert = Static<typeof SafetyAlert>;

export const AlertListQuery = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('acknowledged'), Type.Literal('all')], { default: 'open' })),
    patientId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type AlertListQuery = Static<typeof AlertListQuery>;
export const AlertList = Type.Object({ items: Type.Array(SafetyAlert), view: Type.Union([Type.Literal('care_team'), Type.Literal('escalations')]) });
export type AlertList = Static<typeof AlertList>;

export const AcknowledgeAlertBody = Type.Object(
  { followUp: Type.String({ minLength: 10, maxLength: 4000 }) },
  { additionalProperties: false },
);
export type AcknowledgeAlertBody = Static<typeof AcknowledgeAlertBody>;

// ---- contraindications and settings ----------------------------------------------

export const FlagDto = Type.Object({
  ruleId: Type.String(),
  title: Type.String(),
  level: Type.Union([Type.Literal('absolute'), Type.Literal('relative'), Type.Literal('informational')]),
  category: Type.String(),
  reason: Type.String(),
  source: Type.Object({ citation: Type.String(), status: Type.String() }),
});
export const UndeterminedDto = Type.Object({
  ruleId: Type.String(),
  title: Type.String(),
  level: Type.Union([Type.Literal('absolute'), Type.Literal('relative'), Type.Literal('informational')]),
  missingFacts: Type.Array(Type.String()),
});
export const ContraindicationResult = Type.Object({ flags: Type.Array(FlagDto), undetermined: Type.Array(UndeterminedDto) });
export type ContraindicationResult = Static<typeof ContraindicationResult>;

export const IntakeSettings = Type.Object({
  alertEscalationMinutes: Type.Integer(),
  eligibilityValidDays: Nullable(Type.Integer()),
  contraindicationRules: Type.Array(Type.Unknown()),
  usingDefaultRules: Type.Boolean(),
});
export type IntakeSettings = Static<typeof IntakeSettings>;

export const UpdateIntakeSettingsBody = Type.Object(
  {
    alertEscalationMinutes: Type.Optional(Type.Integer({ minimum: 5, maximum: 24 * 60 })),
    eligibilityValidDays: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 3650 }))),
    /** A full rule set (validated), or null to go back to the bundled defaults. */
    contraindicationRules: Type.Optional(Nullable(Type.Unknown())),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateIntakeSettingsBody = Static<typeof UpdateIntakeSettingsBody>;

// ---- eligibility -----------------------------------------------------------------

export const EligibilityDecisionKind = literals(ELIGIBILITY_DECISIONS);

export const RecordEligibilityBody = Type.Object(
  {
    decision: EligibilityDecisionKind,
    rationale: Type.String({ minLength: 1, maxLength: 8000 }),
    conditions: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))),
    overrideReason: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))),
    validUntil: Type.Optional(Nullable(IsoInstant)),
  },
  { additionalProperties: false },
);
export type RecordEligibilityBody = Static<typeof RecordEligibilityBody>;

export const AddendumBody = Type.Object({ text: Type.String({ minLength: 1, maxLength: 8000 }) }, { additionalProperties: false });
export type AddendumBody = Static<typeof AddendumBody>;

export const Addendum = Type.Object({
  id: Type.String(),
  text: Type.String(),
  authorName: Type.String(),
  createdAt: IsoInstant,
});

export const EligibilityDecisionDto = Type.Object({
  id: Type.String(),
  decision: EligibilityDecisionKind,
  decisionLabel: Type.String(),
  rationale: Type.String(),
  conditions: Nullable(Type.String()),
  overriddenRuleIds: Type.Array(Type.String()),
  overrideReason: Nullable(Type.String()),
  flagsAtSigning: ContraindicationResult,
  validUntil: Nullable(IsoInstant),
  signedByName: Type.String(),
  signedAt: IsoInstant,
  contentSha256: Type.String(),
  supersededById: Nullable(Type.String()),
  addenda: Type.Array(Addendum),
});
export type EligibilityDecisionDto = Static<typeof EligibilityDecisionDto>;

export const EligibilityView = Type.Object({
  current: Nullable(
    Type.Object({ decisionId: Type.String(), decision: EligibilityDecisionKind, expiresAt: Nullable(IsoInstant), expired: Type.Boolean(), allowsDosing: Type.Boolean() }),
  ),
  decisions: Type.Array(EligibilityDecisionDto),
  /** Flags evaluated now from the latest history and measures. */
  contraindications: ContraindicationResult,
  /** Absolute rules an `eligible` decision would override now (needs overrideReason). */
  overrideRequiredFor: Type.Array(Type.String()),
});
export type EligibilityView = Static<typeof EligibilityView>;

export const DecisionParams = Type.Object({ id: Uuid, decisionId: Uuid }, { additionalProperties: false });
export type DecisionParams = Static<typeof DecisionParams>;

// ---- consent ---------------------------------------------------------------------

export const ConsentKindSchema = literals(CONSENT_KINDS);

export const ConsentDocument = Type.Object({
  id: Type.String(),
  kind: ConsentKindSchema,
  kindLabel: Type.String(),
  version: Type.Integer(),
  title: Type.String(),
  body: Type.String(),
  status: Type.Union([Type.Literal('draft'), Type.Literal('published'), Type.Literal('retired')]),
  textSha256: Type.String(),
  createdAt: IsoInstant,
  updatedAt: IsoInstant,
  publishedAt: Nullable(IsoInstant),
});
export type ConsentDocument = Static<typeof ConsentDocument>;
export const ConsentDocumentList = Type.Object({ items: Type.Array(ConsentDocument) });

export const CreateConsentDocumentBody = Type.Object(
  { kind: ConsentKindSchema, title: Type.String({ minLength: 1, maxLength: 200 }), body: Type.String({ minLength: 20, maxLength: 100_000 }) },
  { additionalProperties: false },
);
export type CreateConsentDocumentBody = Static<typeof CreateConsentDocumentBody>;
export const UpdateConsentDocumentBody = Type.Object(
  { title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), body: Type.Optional(Type.String({ minLength: 20, maxLength: 100_000 })) },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateConsentDocumentBody = Static<typeof UpdateConsentDocumentBody>;

export const SignConsentBody = Type.Object(
  {
    documentId: Uuid,
    /** The patient's full legal name, typed. */
    typedName: Type.String({ minLength: 1, maxLength: 200 }),
    agree: Type.Literal(true),
  },
  { additionalProperties: false },
);
export type SignConsentBody = Static<typeof SignConsentBody>;

export const ConsentSignature = Type.Object({
  id: Type.String(),
  documentId: Type.String(),
  kind: ConsentKindSchema,
  version: Type.Integer(),
  title: Type.String(),
  typedName: Type.String(),
  signedAt: IsoInstant,
  ip: Nullable(Type.String()),
  textSha256: Type.String(),
  pdfUrl: Type.String(),
});
export type ConsentSignature = Static<typeof ConsentSignature>;

export const ConsentStatus = Type.Object({
  kind: ConsentKindSchema,
  kindLabel: Type.String(),
  /** The published version the patient must sign (null when the clinic has not published one). */
  current: Nullable(ConsentDocument),
  /** The latest signature for this kind, whatever its version. */
  latestSignature: Nullable(ConsentSignature),
  /** True when the latest signature is for the current published version. */
  signedCurrent: Type.Boolean(),
  needsSignature: Type.Boolean(),
});
export const PatientConsents = Type.Object({ items: Type.Array(ConsentStatus), signatures: Type.Array(ConsentSignature) });
export type PatientConsents = Static<typeof PatientConsents>;

export const SignatureParams = Type.Object({ id: Uuid, signatureId: Uuid }, { additionalProperties: false });
export type SignatureParams = Static<typeof SignatureParams>;

// ---- goals -----------------------------------------------------------------------

export const GoalKindSchema = literals(GOAL_KINDS);
export const TargetComparatorSchema = literals(TARGET_COMPARATORS);

export const GoalMeasure = Type.Object(
  {
    instrument: Type.String({ minLength: 1, maxLength: 64 }),
    comparator: TargetComparatorSchema,
    target: Type.Integer({ minimum: 0, maximum: 1000 }),
  },
  { additionalProperties: false },
);

export const CreateGoalBody = Type.Object(
  {
    kind: GoalKindSchema,
    what: Type.String({ minLength: 3, maxLength: 2000 }),
    howWeWillKnow: Type.String({ minLength: 3, maxLength: 2000 }),
    byWhen: IsoDate,
    measure: Type.Optional(Nullable(GoalMeasure)),
  },
  { additionalProperties: false },
);
export type CreateGoalBody = Static<typeof CreateGoalBody>;

export const UpdateGoalFields = {
  kind: Type.Optional(GoalKindSchema),
  what: Type.Optional(Type.String({ minLength: 3, maxLength: 2000 })),
  howWeWillKnow: Type.Optional(Type.String({ minLength: 3, maxLength: 2000 })),
  byWhen: Type.Optional(IsoDate),
  measure: Type.Optional(Nullable(GoalMeasure)),
  status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('achieved'), Type.Literal('discontinued')])),
};
export const UpdateGoalBody = Type.Object(UpdateGoalFields, { additionalProperties: false, minProperties: 1 });
export type UpdateGoalBody = Static<typeof UpdateGoalBody>;
/** PATCH on the collection: the goal id travels in the body. */
export const PatchGoalsBody = Type.Object({ id: Uuid, ...UpdateGoalFields }, { additionalProperties: false, minProperties: 2 });
export type PatchGoalsBody = Static<typeof PatchGoalsBody>;

export const Goal = Type.Object({
  id: Type.String(),
  kind: GoalKindSchema,
  kindLabel: Type.String(),
  what: Type.String(),
  howWeWillKnow: Type.String(),
  byWhen: Type.String(),
  measure: Nullable(
    Type.Object({
      instrument: Type.String(),
      instrumentTitle: Type.String(),
      comparator: TargetComparatorSchema,
      target: Type.Number(),
      description: Type.String(),
      latestTotal: Nullable(Type.Number()),
      latestAt: Nullable(IsoInstant),
      targetMet: Nullable(Type.Boolean()),
    }),
  ),
  status: Type.Union([Type.Literal('active'), Type.Literal('achieved'), Type.Literal('discontinued')]),
  createdByName: Type.String(),
  createdAt: IsoInstant,
  updatedAt: IsoInstant,
});
export type Goal = Static<typeof Goal>;
export const GoalList = Type.Object({ items: Type.Array(Goal) });
export type GoalList = Static<typeof GoalList>;
export const GoalParams = Type.Object({ id: Uuid, goalId: Uuid }, { additionalProperties: false });
export type GoalParams = Static<typeof GoalParams>;

// ---- clinician review ------------------------------------------------------------

export const HistoryAnswer = Type.Object({ itemId: Type.String(), text: Type.String(), answer: Type.String() });
export const HistorySection = Type.Object({ id: Type.String(), title: Type.String(), answers: Type.Array(HistoryAnswer) });

export const ClinicianReview = Type.Object({
  patient: Type.Object({ id: Type.String(), name: Type.String(), dateOfBirth: Type.String() }),
  history: Nullable(
    Type.Object({ responseId: Type.String(), version: Type.String(), status: Type.String(), submittedAt: Nullable(IsoInstant), sections: Type.Array(HistorySection) }),
  ),
  /** Latest submitted score per instrument. */
  latestScores: Type.Array(ScoreEntry),
  scores: ScoreHistory,
  openAlerts: Type.Array(SafetyAlert),
  eligibility: EligibilityView,
  consents: Type.Array(ConsentStatus),
  goals: Type.Array(Goal),
});
export type ClinicianReview = Static<typeof ClinicianReview>;
