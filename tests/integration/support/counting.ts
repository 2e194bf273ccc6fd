import type { Clients } from "./rebalancer-world";

/** Counts the API calls each client makes, by command name, for the storm's call budget. */
export function countCalls(c: Clients): Map<string, number> {
  const counts = new Map<string, number>();
  for (const client of [c.ec2, c.autoscaling, c.dynamodb, c.sqs]) {
    // biome-ignore lint/suspicious/noExplicitAny: the middleware stack's generics differ per client; only the command name is read.
    (client.middlewareStack as any).add(
      (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
        const name = context.commandName ?? "unknown";
        counts.set(name, (counts.get(name) ?? 0) + 1);
        return next(args);
      },
      { step: "initialize", name: "countCalls" },
    );
  }
  return counts;
}
