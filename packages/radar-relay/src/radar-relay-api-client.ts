import { ExchangeApiClient, notImplemented, type ExchangeApiClientOptions } from '@hb/core/connector';
import { RadarRelayAuth } from './radar-relay-auth.js';
import { RADAR_RELAY_EXCHANGE, RADAR_RELAY_RATE_LIMITS } from './radar-relay-constants.js';
import { classifyRadarRelayError } from './radar-relay-errors.js';

/**
 * The raw RadarRelay REST client: one method per endpoint, each one
 * `this.request({...})` with the endpoint's path and costs.
 */
export class RadarRelayApiClient extends ExchangeApiClient<RadarRelayAuth> {
  constructor(options: ExchangeApiClientOptions) {
    super(
      {
        exchange: RADAR_RELAY_EXCHANGE,
        rateLimits: RADAR_RELAY_RATE_LIMITS,
        defaultCosts: { REQUESTS: 1 },
        classifyError: classifyRadarRelayError,
        createAuth: (credentials, serverTime) => new RadarRelayAuth(credentials, serverTime),
      },
      options,
    );
  }

  async time(): Promise<number> {
    throw notImplemented(RADAR_RELAY_EXCHANGE, 'the server time endpoint (src/radar-relay-api-client.ts)');
  }
}
