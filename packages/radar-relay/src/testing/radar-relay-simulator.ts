// The RadarRelay simulator, on @hb/testing's SimulatorBase: the exchange's
// REST paths, frames, error shapes and limits as shared/exchanges/radar-relay.md writes
// them, over the shared matching engine and balance ledger.
import { notImplemented } from '@hb/core/connector';
import {
  BalanceLedger,
  SimulatorBase,
  type SimAccountInput,
  type SimulatorCommonOptions,
  type SimVenue,
} from '@hb/testing';
import { RADAR_RELAY_EXCHANGE, RADAR_RELAY_PATHS } from '../radar-relay-constants.js';

/** Start options of the RadarRelay simulator. */
export type RadarRelaySimulatorOptions = SimulatorCommonOptions<SimAccountInput>;

/** A loopback RadarRelay exchange. */
export class RadarRelaySimulator extends SimulatorBase {
  protected readonly venue: SimVenue = {
    ledger: new BalanceLedger(),
    markets: [],
    orderByClientId: () => undefined,
  };

  protected constructor() {
    super({
      name: 'RadarRelaySimulator',
      errorBody: (status) => ({ code: status, message: `HTTP ${status}` }),
      apiKeyHeader: 'x-api-key',
      orderPaths: { place: RADAR_RELAY_PATHS.order, cancel: RADAR_RELAY_PATHS.order },
    });
  }

  /** Starts the simulator on 127.0.0.1. */
  static async start(_options: RadarRelaySimulatorOptions = {}): Promise<RadarRelaySimulator> {
    throw notImplemented(RADAR_RELAY_EXCHANGE, 'the simulator (src/testing/radar-relay-simulator.ts)');
  }

  createAccount(_input: SimAccountInput): unknown {
    throw notImplemented(RADAR_RELAY_EXCHANGE, 'simulator accounts (src/testing/radar-relay-simulator.ts)');
  }

  flush(): void {
    throw notImplemented(RADAR_RELAY_EXCHANGE, 'simulator frames (src/testing/radar-relay-simulator.ts)');
  }

  dropMarketSockets(_pairOrId?: string): void {
    throw notImplemented(
      RADAR_RELAY_EXCHANGE,
      'simulator market sockets (src/testing/radar-relay-simulator.ts)',
    );
  }

  dropUserSockets(): unknown {
    throw notImplemented(
      RADAR_RELAY_EXCHANGE,
      'simulator user sockets (src/testing/radar-relay-simulator.ts)',
    );
  }

  protected refuseUserStreams(_on: boolean): void {
    throw notImplemented(
      RADAR_RELAY_EXCHANGE,
      'simulator user-stream outages (src/testing/radar-relay-simulator.ts)',
    );
  }

  protected refuseMarketStreams(_on: boolean): void {
    throw notImplemented(
      RADAR_RELAY_EXCHANGE,
      'simulator market-stream outages (src/testing/radar-relay-simulator.ts)',
    );
  }
}
