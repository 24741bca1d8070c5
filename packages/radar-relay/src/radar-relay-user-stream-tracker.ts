import { UserStreamTracker } from '@hb/core/connector';
import type {
  RadarRelayUserEvent,
  RadarRelayUserStreamDataSource,
} from './radar-relay-user-stream-data-source.js';

/** Core's user-stream tracker over RadarRelay's private stream. */
export class RadarRelayUserStreamTracker extends UserStreamTracker<RadarRelayUserEvent> {
  constructor(dataSource: RadarRelayUserStreamDataSource) {
    super({ dataSource });
  }
}
