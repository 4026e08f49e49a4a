import type { ClinicProtocol } from '../../../core/protocol/clinic-protocol.schema';
import { createFieldCipher, type FieldCipher } from '../../crypto/field-encryption';
import type { Deps } from '../../deps';
import { LiveEvents } from './live-events';

/** What the dosing services share: the app's deps, the live-event fan-out, the cipher and a protocol cache. */
export interface DosingContext {
  readonly deps: Deps;
  readonly live: LiveEvents;
  readonly cipher: FieldCipher;
  /** Protocol revisions never change once stored, so they are cached by org and revision. */
  readonly protocolCache: Map<string, ClinicProtocol>;
}

export function createDosingContext(deps: Deps): DosingContext {
  return {
    deps,
    live: new LiveEvents(deps.database),
    cipher: createFieldCipher(deps.config.secrets.dataEncryptionKey),
    protocolCache: new Map(),
  };
}
