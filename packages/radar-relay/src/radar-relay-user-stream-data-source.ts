import { throwError, type Observable } from 'rxjs';
import { notImplemented, type UserStreamEvent, type UserStreamTrackerDataSource } from '@hb/core/connector';
import type { RadarRelayAuth } from './radar-relay-auth.js';
import { RADAR_RELAY_EXCHANGE } from './radar-relay-constants.js';

/** A raw private event of RadarRelay, as parsed JSON. */
export type RadarRelayUserEvent = Readonly<Record<string, unknown>>;

/** The private stream of RadarRelay: subscribe with the keys, emit every event. */
export class RadarRelayUserStreamDataSource implements UserStreamTrackerDataSource<RadarRelayUserEvent> {
  constructor(readonly auth: RadarRelayAuth) {}

  listen(): Observable<UserStreamEvent<RadarRelayUserEvent>> {
    return throwError(() =>
      notImplemented(RADAR_RELAY_EXCHANGE, 'the user stream (src/radar-relay-user-stream-data-source.ts)'),
    );
  }
}
