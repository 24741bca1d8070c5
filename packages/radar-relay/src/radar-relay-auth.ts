// Signing of RadarRelay private requests. The keys live in core's
// Credentials (masked in every printing path); read them only to sign.
import {
  CredentialedAuth,
  notImplemented,
  type Auth,
  type Credentials,
  type RestRequestToSign,
  type SignedRestRequest,
} from '@hb/core/connector';
import { RADAR_RELAY_EXCHANGE } from './radar-relay-constants.js';

/** Signs RadarRelay requests. */
export class RadarRelayAuth extends CredentialedAuth implements Auth {
  constructor(credentials: Credentials, serverTime: () => number) {
    super(credentials, serverTime);
  }

  protected get authName(): string {
    return 'RadarRelayAuth';
  }

  signRest(_request: RestRequestToSign): SignedRestRequest {
    throw notImplemented(RADAR_RELAY_EXCHANGE, 'request signing (src/radar-relay-auth.ts)');
  }
}
