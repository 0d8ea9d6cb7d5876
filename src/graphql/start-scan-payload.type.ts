import { Field, ObjectType } from 'type-graphql';
import { ScanStatus } from './scan-status.type.js';
import { StartScanRefusal } from './start-scan-refusal.enum.js';

@ObjectType()
export class StartScanPayload {
  @Field(() => Boolean)
  started!: boolean;

  @Field(() => StartScanRefusal, { nullable: true, description: 'set when started is false' })
  reason!: StartScanRefusal | null;

  @Field(() => ScanStatus)
  status!: ScanStatus;
}
