import type { RedisClientType } from '@redis/client';
import { connectRedis } from './redis.js';

/** Counts the commands Redis receives for one logical database, through MONITOR. */
export class RedisMonitor {
  readonly commands: string[] = [];

  private constructor(private readonly client: RedisClientType) {}

  static async start(url: string, database: number): Promise<RedisMonitor> {
    const client = await connectRedis(url);
    const monitor = new RedisMonitor(client);
    // A MONITOR line: 1700000000.123456 [3 127.0.0.1:5555] "mget" "key1" "key2"
    await client.monitor((line: string) => {
      const match = /^\S+ \[(\d+) [^\]]*\] "([^"]+)"/.exec(line);
      if (match && Number(match[1]) === database) monitor.commands.push(match[2]!.toLowerCase());
    });
    return monitor;
  }

  reset(): void {
    this.commands.length = 0;
  }

  async stop(): Promise<void> {
    this.client.destroy();
  }
}
