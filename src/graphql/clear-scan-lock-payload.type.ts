import { DateTimeResolver } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { ScanStatus } from './scan-status.type.js';

@ObjectType({ description: 'what clearScanLock freed' })
export class ClearScanLockPayload {
  @Field(() => Boolean, { description: 'a lock was held and is now free; false when none was held' })
  cleared!: boolean;

  @Field(() => DateTimeResolver, { nullable: true, description: 'when the scan whose lock was freed started; null when none was held' })
  scanStartedAt!: Date | null;

  @Field(() => DateTimeResolver, {
    nullable: true,
    description: "that scan's last heartbeat: long past for a scan that had stopped answering, seconds ago for one that still ran (it stops now)",
  })
  lastHeartbeatAt!: Date | null;

  @Field(() => ScanStatus, { description: 'the status after clearing' })
  status!: ScanStatus;
}
