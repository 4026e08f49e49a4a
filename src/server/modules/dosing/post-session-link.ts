import type { Kysely } from 'kysely';
import { postSessionMeasureOf, type ClinicProtocol } from '../../../core/protocol/clinic-protocol.schema';
import type { DB, DosingSessionsTable } from '../../db/schema';
import { AppError } from '../../http/errors';
import * as intakeRepo from '../intake/intake.repository';
import * as repo from './dosing.repository';
import { protocolRevisionAt } from './protocol.service';

/*
 * The rules linking a questionnaire response to a dosing session (post-session measure).
 * Kept apart from post-session-measure.ts so the intake module can call them without an
 * import cycle.
 */

/** Session states after which the measure is offered. */
export const POST_SESSION_STATES: readonly string[] = ['recovery', 'discharged'];

// Protocol revisions never change once stored.
const protocolCache = new Map<string, ClinicProtocol>();

export function measureOfSession(db: Kysely<DB>, session: Pick<DosingSessionsTable, 'organization_id' | 'protocol_revision'>) {
  return protocolRevisionAt(protocolCache, db, session.organization_id, session.protocol_revision).then(postSessionMeasureOf);
}

/**
 * Checks a response may be linked to this dosing session (called inside the response's
 * transaction, after the patient access check): the session is this patient's, it is over,
 * its protocol offers the measure, and the instrument is the one the protocol names.
 */
export async function assertPostSessionLink(db: Kysely<DB>, organizationId: string, patientId: string, sessionId: string, instrument: string): Promise<void> {
  const session = await repo.findSessionById(db, sessionId);
  if (!session || session.organization_id !== organizationId || session.patient_id !== patientId) {
    throw new AppError('not_found', 'No such dosing session for this patient', { field: 'dosingSessionId' });
  }
  if (!POST_SESSION_STATES.includes(session.state)) {
    throw new AppError('conflict', 'The post-session measure is answered once the session is in recovery or discharged', { field: 'dosingSessionId' });
  }
  const measure = await measureOfSession(db, session);
  if (!measure.offered.value) throw new AppError('conflict', 'The clinic protocol does not offer a post-session measure', { field: 'dosingSessionId' });
  if (measure.instrument.value !== instrument) {
    throw new AppError('validation', `The post-session measure of this session is "${measure.instrument.value}"`, { field: 'instrument' });
  }
  const existing = await intakeRepo.listResponsesForDosingSession(db, sessionId);
  if (existing.some((r) => r.status === 'submitted')) {
    throw new AppError('conflict', 'The post-session measure of this session was already submitted', { field: 'dosingSessionId' });
  }
}

