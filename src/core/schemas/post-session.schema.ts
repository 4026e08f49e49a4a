/**
 * The post-session experience measure of a dosing session (issue 5): request/response
 * shapes. The responses themselves are ordinary questionnaire responses (intake.schema).
 */
import { Type, type Static } from '@sinclair/typebox';
import { StoredResponse } from './intake.schema';

export const PostSessionMeasureView = Type.Object({
  /** Whether the session's protocol offers the measure. It is always optional for the patient. */
  offered: Type.Boolean(),
  /** Whether it can be answered now (the session is in recovery or discharged). */
  available: Type.Boolean(),
  /** Questionnaire code the protocol names (bundled check-in, or an imported licensed measure). */
  instrument: Type.String(),
  /** Null when the protocol names an instrument this clinic no longer has. */
  instrumentTitle: Type.Union([Type.String(), Type.Null()]),
  /** The protocol's cited source for the choice of instrument. */
  instrumentSource: Type.String(),
  patientId: Type.String(),
  /** Responses linked to the session: a requested draft, and at most one submitted response. */
  responses: Type.Array(StoredResponse),
});
export type PostSessionMeasureView = Static<typeof PostSessionMeasureView>;
