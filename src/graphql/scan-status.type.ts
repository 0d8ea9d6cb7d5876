import { DateTimeResolver } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { ScanProgress } from './scan-progress.type.js';

@ObjectType()
export class ScanStatus {
  @Field(() => Boolean, { description: 'a scan holds the lock now (in any server process) and its heartbeat is within SCAN_LEASE_SECONDS' })
  inProgress!: boolean;

  @Field(() => String, { description: "'Never', in progress, the last completion or failure message, or why the last scan was interrupted" })
  lastRun!: string;

  @Field(() => DateTimeResolver, { nullable: true })
  startedAt!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true })
  finishedAt!: Date | null;

  @Field(() => ScanProgress, { nullable: true })
  progress!: ScanProgress | null;
}
