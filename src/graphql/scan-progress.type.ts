import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType()
export class ScanProgress {
  @Field(() => Int, { description: 'tickers in the scan' })
  total!: number;

  @Field(() => Int, { description: 'tickers done, with or without matches or errors' })
  completed!: number;
}
