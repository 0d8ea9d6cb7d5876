import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'What one recordValuationSnapshots run did.' })
export class SnapshotRun {
  @Field(() => String, { description: "the quarter's first day recorded for, YYYY-MM-DD" })
  date!: string;

  @Field(() => Int)
  recorded!: number;

  @Field(() => Int, { description: 'already recorded for that date (and force was false)' })
  skipped!: number;

  @Field(() => [String], { description: 'symbols that could not be valued, with why' })
  failed!: string[];
}
