/**
 * The instruments Threshold ships with. C-SSRS and DAST-10 are deliberately absent:
 * their licences do not allow bundling (clinical-facts.md §6 [80][86]); a licensed clinic
 * imports them as a definition file (see `validateInstrumentDefinition`). The CADSS is
 * absent for the same reason; the post-session check-in stands in for it, labelled as
 * not validated (see post-session-check-in.ts).
 */
import type { InstrumentDefinition } from '../instrument-definition.schema';
import { audit } from './audit';
import { auditC } from './audit-c';
import { gad7 } from './gad-7';
import { medicalHistory } from './medical-history';
import { pcl5 } from './pcl-5';
import { pgic } from './pgic';
import { phq9 } from './phq-9';
import { postSessionCheckIn } from './post-session-check-in';
import { scoff } from './scoff';

export const BUNDLED_INSTRUMENTS: readonly InstrumentDefinition[] = [phq9, gad7, pcl5, audit, auditC, scoff, pgic, medicalHistory, postSessionCheckIn];

export function findBundledInstrument(code: string): InstrumentDefinition | undefined {
  return BUNDLED_INSTRUMENTS.find((d) => d.code === code);
}
