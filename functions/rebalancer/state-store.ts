import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import type { RebalancerState } from "./core";

/**
 * The rebalancer's DynamoDB table: one item for the pool state, one per claimed event id
 * (expiring through the table's TTL attribute), and a lease that serialises invocations.
 * Key: `pk` (string). TTL attribute: `expiresAt` (epoch seconds).
 */
export interface StateStore {
  load(): Promise<{ state: RebalancerState | null; version: number }>;
  /** Writes the state if nobody wrote since `version` was read; false when someone did. */
  save(state: RebalancerState, version: number, nowMs: number): Promise<boolean>;
  /**
   * Claims an event id: true the first time, false for a duplicate. A claim older than
   * `staleMs` (its invocation died before finishing) may be taken over.
   */
  claimEvent(id: string, nowMs: number, ttlSeconds: number, staleMs: number): Promise<boolean>;
  releaseEvent(id: string): Promise<void>;
  acquireLease(owner: string, nowMs: number, leaseMs: number): Promise<boolean>;
  releaseLease(owner: string): Promise<void>;
}

export const TTL_ATTRIBUTE = "expiresAt";
const STATE_KEY = "state";
const LEASE_KEY = "lease";

function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error as { name?: string })?.name === "ConditionalCheckFailedException"
  );
}

export function dynamoStateStore(client: DynamoDBClient, tableName: string): StateStore {
  return {
    async load() {
      const out = await client.send(
        new GetItemCommand({ TableName: tableName, Key: { pk: { S: STATE_KEY } }, ConsistentRead: true }),
      );
      const body = out.Item?.state?.S;
      const version = Number(out.Item?.version?.N ?? 0);
      return { state: body ? (JSON.parse(body) as RebalancerState) : null, version };
    },
    async save(state, version, nowMs) {
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              pk: { S: STATE_KEY },
              state: { S: JSON.stringify(state) },
              version: { N: String(version + 1) },
              updatedAtMs: { N: String(nowMs) },
            },
            ConditionExpression: "attribute_not_exists(pk) OR version = :v",
            ExpressionAttributeValues: { ":v": { N: String(version) } },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
    async claimEvent(id, nowMs, ttlSeconds, staleMs) {
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              pk: { S: `event#${id}` },
              claimedAtMs: { N: String(nowMs) },
              [TTL_ATTRIBUTE]: { N: String(Math.floor(nowMs / 1000) + ttlSeconds) },
            },
            ConditionExpression: "attribute_not_exists(pk) OR claimedAtMs < :stale",
            ExpressionAttributeValues: { ":stale": { N: String(nowMs - staleMs) } },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
    async releaseEvent(id) {
      await client.send(new DeleteItemCommand({ TableName: tableName, Key: { pk: { S: `event#${id}` } } }));
    },
    async acquireLease(owner, nowMs, leaseMs) {
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              pk: { S: LEASE_KEY },
              owner: { S: owner },
              leaseUntilMs: { N: String(nowMs + leaseMs) },
              [TTL_ATTRIBUTE]: { N: String(Math.floor((nowMs + leaseMs) / 1000) + 3600) },
            },
            ConditionExpression: "attribute_not_exists(pk) OR leaseUntilMs < :now OR #owner = :owner",
            ExpressionAttributeNames: { "#owner": "owner" },
            ExpressionAttributeValues: { ":now": { N: String(nowMs) }, ":owner": { S: owner } },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
    async releaseLease(owner) {
      try {
        await client.send(
          new DeleteItemCommand({
            TableName: tableName,
            Key: { pk: { S: LEASE_KEY } },
            ConditionExpression: "#owner = :owner",
            ExpressionAttributeNames: { "#owner": "owner" },
            ExpressionAttributeValues: { ":owner": { S: owner } },
          }),
        );
      } catch (error) {
        // Someone else holds it now (ours expired): theirs to release.
        if (!isConditionFailure(error)) throw error;
      }
    },
  };
}
