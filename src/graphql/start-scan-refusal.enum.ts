import { registerEnumType } from 'type-graphql';

export enum StartScanRefusal {
  ALREADY_RUNNING = 'ALREADY_RUNNING',
  MARKET_CLOSED = 'MARKET_CLOSED',
}

registerEnumType(StartScanRefusal, { name: 'StartScanRefusal', description: 'why startScan did not start a scan' });
