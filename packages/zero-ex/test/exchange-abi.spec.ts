// The hand-written Exchange ABIs against 0x's published artifacts: every
// function selector, event topic and output shape, plus the specification's
// selector and topic tables (zero-ex.md §8, §9).
import { createRequire } from 'node:module';
import { Interface, type InterfaceAbi } from 'ethers';
import { EXCHANGE_INTERFACE, ZERO_EX_EVENT_TOPICS, ZERO_EX_V3_ERRORS } from '../src/index.js';

const req = createRequire(__filename);
const artifact = (pkg: string) =>
  new Interface(
    (req(`${pkg}/lib/artifacts/Exchange.json`) as { compilerOutput: { abi: InterfaceAbi } }).compilerOutput
      .abi,
  );

describe('Exchange ABIs', () => {
  it.each([
    ['v3', '@0x/contract-artifacts'],
    ['v2', '@0x/contract-artifacts-v2'],
  ] as const)('%s: every function and event matches the deployed artifact', (version, pkg) => {
    const ours = EXCHANGE_INTERFACE[version];
    const theirs = artifact(pkg);
    // Types, mutability and outputs must agree (output names are ours to choose).
    const mismatches: string[] = [];
    ours.forEachFunction((f) => {
      const t = theirs.getFunction(f.selector);
      if (t?.format('minimal') !== f.format('minimal'))
        mismatches.push(`${f.format('minimal')} vs ${t?.format('minimal')}`);
    });
    expect(mismatches).toEqual([]);
    ours.forEachEvent((e) => {
      expect(theirs.getEvent(e.topicHash)?.format('full')).toBe(e.format('full'));
    });
  });

  it('selectors and topics are the specification tables', () => {
    const sel = (v: 'v2' | 'v3', name: string) => EXCHANGE_INTERFACE[v].getFunction(name)!.selector;
    expect([sel('v2', 'fillOrder'), sel('v2', 'cancelOrder'), sel('v2', 'batchCancelOrders')]).toEqual([
      '0xb4be83d5',
      '0xd46b02c3',
      '0x4ac14782',
    ]);
    expect([sel('v2', 'marketBuyOrders'), sel('v2', 'marketSellOrders'), sel('v2', 'getOrderInfo')]).toEqual([
      '0xe5fa431b',
      '0x7e1d9808',
      '0xc75e0a81',
    ]);
    expect([sel('v3', 'fillOrder'), sel('v3', 'cancelOrder'), sel('v3', 'batchFillOrders')]).toEqual([
      '0x9b44d556',
      '0x2da62987',
      '0x9694a402',
    ]);
    expect([
      sel('v3', 'batchCancelOrders'),
      sel('v3', 'marketBuyOrdersNoThrow'),
      sel('v3', 'marketSellOrdersNoThrow'),
    ]).toEqual(['0xdedfc1f1', '0x78d29ac1', '0x369da099']);
    expect([
      sel('v3', 'getOrderInfo'),
      sel('v3', 'protocolFeeMultiplier'),
      sel('v3', 'cancelOrdersUpTo'),
    ]).toEqual(['0x9d3fa4b9', '0x1ce4c78b', '0x4f9559b1']);
    expect(ZERO_EX_EVENT_TOPICS.v2.Fill).toBe(
      '0x0bcc4c97732e47d9946f229edb95f5b6323f601300e4690de719993f3c371129',
    );
    expect(ZERO_EX_EVENT_TOPICS.v2.Cancel).toBe(
      '0xdc47b3613d9fe400085f6dbdc99453462279057e6207385042827ed6b1a62cf7',
    );
    expect(ZERO_EX_EVENT_TOPICS.v3.CancelUpTo).toBe(
      '0x82af639571738f4ebd4268fb0363d8957ebe1bbb9e78dba5ebd69eed39b154f0',
    );
    expect(ZERO_EX_EVENT_TOPICS.v3.Fill).toBe(
      '0x6869791f0a34781b29882982cc39e882768cf2c96995c2a110c577c53bc932d5',
    );
    expect(ZERO_EX_EVENT_TOPICS.v3.Cancel).toBe(
      '0x02c310a9a43963ff31a754a4099cc435ed498049687539d72d7818d9b093415c',
    );
  });

  it("v3 rich errors have 0x's selectors", () => {
    const errors = new Interface([...ZERO_EX_V3_ERRORS]);
    const selectors: Record<string, string> = {
      SignatureError: '0x7e5a2318',
      OrderStatusError: '0xfdb6ca8d',
      ExchangeInvalidContextError: '0xe53c76c8',
      FillError: '0xe94a7ed0',
      OrderEpochError: '0x4ad31275',
      AssetProxyDispatchError: '0x488219a6',
      AssetProxyTransferError: '0x4678472b',
      IncompleteFillError: '0x18e4b141',
      PayProtocolFeeError: '0x87cb1e75',
      TransactionError: '0xf5985184',
    };
    for (const [name, selector] of Object.entries(selectors))
      expect([name, errors.getError(name)?.selector]).toEqual([name, selector]);
  });
});
