import type { RedisClientType } from '@redis/client';
import { connectRedis } from './redis.js';

/** One command as MONITOR shows it: the connection it came on and its arguments. */
export interface MonitoredCall {
  /** the client's address, host:port: one per connection */
  client: string;
  command: string;
  args: string[];
}

/** Counts the commands Redis receives for one logical database, through MONITOR. */
export class RedisMonitor {
  readonly commands: string[] = [];
  readonly calls: MonitoredCall[] = [];

  private constructor(private readonly client: RedisClientType) {}

  static async start(url: string, database: number): Promise<RedisMonitor> {
    const client = await connectRedis(url);
    const monitor = new RedisMonitor(client);
    // A MONITOR line: 1700000000.123456 [3 127.0.0.1:5555] "mget" "key1" "key2"
    await client.monitor((line: string) => {
      const match = /^\S+ \[(\d+) ([^\]]*)\] "([^"]+)"(.*)$/.exec(line);
      if (!match || Number(match[1]) !== database) return;
      const command = match[3]!.toLowerCase();
      monitor.commands.push(command);
      const args = [...match[4]!.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((arg) => arg[1]!);
      monitor.calls.push({ client: match[2]!, command, args });
    });
    return monitor;
  }

  reset(): void {
    this.commands.length = 0;
    this.calls.length = 0;
  }

  async stop(): Promise<void> {
    this.client.destroy();
  }
}
