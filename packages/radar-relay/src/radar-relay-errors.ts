// RadarRelay refusals -> hb reasons, in one table. The spec walks every
// row; classifyRadarRelayError is the only way this package turns a refusal into an HbError.
import {
  createErrorClassifier,
  fieldsReader,
  type ErrorMapping,
  type ExchangeErrorClassifier,
} from '@hb/core/connector';
import { RADAR_RELAY_EXCHANGE } from './radar-relay-constants.js';

/** Every code or message we classify (fill in from the exchange's error list). Unlisted: by HTTP status. */
export const RADAR_RELAY_ERROR_TABLE: readonly ErrorMapping[] = [];

/** A refused RadarRelay request -> HbError (a 5xx is always an unknown outcome). */
export const classifyRadarRelayError: ExchangeErrorClassifier = createErrorClassifier(
  RADAR_RELAY_EXCHANGE,
  RADAR_RELAY_ERROR_TABLE,
  fieldsReader({ code: 'code', message: 'message' }),
);
