import { createHash, randomUUID } from 'node:crypto';
import {
  BatchWriteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  QueryCommand,
  type AttributeValue,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import type { TClock } from '../../lib/clock.js';
import { dayIn, visitorKey, type TActivityStore } from './activity-store.js';

/**
 * Rows of one event spread over this many partitions: a hot event on sale writes to all of
 * them instead of one partition key (DynamoDB caps each partition's write rate).
 */
export const ACTIVITY_SHARDS = 8;
const MAX_BATCH = 25;

/**
 * Table design (created by the CDK stack): partition key `pk` = `event#<eventId>#<shard>` (or
 * `site#<day>#<shard>` for pages outside an event), sort key `sk` = `<ISO time>#<id>`, and a TTL
 * attribute `expiresAt` so raw rows age out. The shard comes from the visitor, so one visitor's
 * rows stay together and a query per shard reads an event's views.
 */
export function createDynamoDbActivityStore(options: {
  table: string;
  region: string;
  endpoint: string | null;
  retentionMs: number;
  clock: TClock;
  client?: DynamoDBClient;
}): TActivityStore & { client: DynamoDBClient } {
  const { table, retentionMs, clock } = options;
  const client =
    options.client ??
    new DynamoDBClient({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      maxAttempts: 5,
    });

  const shardOf = (key: string | null) =>
    key === null
      ? Math.floor(Math.random() * ACTIVITY_SHARDS)
      : createHash('sha1').update(key).digest().readUInt32BE(0) % ACTIVITY_SHARDS;

  async function writeAll(requests: WriteRequest[]) {
    let pending = requests;
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt > 0) {
        if (attempt > 6) throw new Error('DynamoDB kept throttling the activity batch');
        await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
      const res = await client.send(
        new BatchWriteItemCommand({ RequestItems: { [table]: pending } }),
      );
      pending = res.UnprocessedItems?.[table] ?? [];
    }
  }

  return {
    kind: 'dynamodb',
    client,
    async append(records) {
      const expiresAt = Math.floor((clock.now().getTime() + retentionMs) / 1000);
      const requests: WriteRequest[] = records.map((r) => {
        const visitor = visitorKey(r);
        const shard = shardOf(visitor);
        const pk = r.eventId
          ? `event#${r.eventId}#${shard}`
          : `site#${r.occurredAt.toISOString().slice(0, 10)}#${shard}`;
        const item: Record<string, AttributeValue> = {
          pk: { S: pk },
          sk: { S: `${r.occurredAt.toISOString()}#${randomUUID()}` },
          type: { S: r.type },
          metadata: { S: JSON.stringify(r.metadata) },
          expiresAt: { N: String(expiresAt) },
        };
        if (visitor) item['visitor'] = { S: visitor };
        if (r.eventId) item['eventId'] = { S: r.eventId };
        return { PutRequest: { Item: item } };
      });
      for (let i = 0; i < requests.length; i += MAX_BATCH)
        await writeAll(requests.slice(i, i + MAX_BATCH));
    },
    async eventViews(eventId, timezone) {
      const toDay = dayIn(timezone);
      const visitors = new Set<string>();
      const days = new Map<string, { views: number; visitors: Set<string> }>();
      let views = 0;
      for (let shard = 0; shard < ACTIVITY_SHARDS; shard += 1) {
        let startKey: Record<string, AttributeValue> | undefined;
        do {
          const page = await client.send(
            new QueryCommand({
              TableName: table,
              KeyConditionExpression: 'pk = :pk',
              FilterExpression: '#type = :view',
              ExpressionAttributeNames: { '#type': 'type' },
              ExpressionAttributeValues: {
                ':pk': { S: `event#${eventId}#${shard}` },
                ':view': { S: 'event_view' },
              },
              ProjectionExpression: 'sk, visitor',
              ...(startKey ? { ExclusiveStartKey: startKey } : {}),
            }),
          );
          for (const item of page.Items ?? []) {
            views += 1;
            const day = toDay(new Date(item['sk']?.S?.split('#')[0] ?? 0));
            const entry = days.get(day) ?? { views: 0, visitors: new Set<string>() };
            entry.views += 1;
            const visitor = item['visitor']?.S;
            if (visitor) {
              visitors.add(visitor);
              entry.visitors.add(visitor);
            }
            days.set(day, entry);
          }
          startKey = page.LastEvaluatedKey;
        } while (startKey);
      }
      return {
        views,
        uniqueVisitors: visitors.size,
        daily: [...days.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([date, d]) => ({ date, views: d.views, uniqueVisitors: d.visitors.size })),
      };
    },
    async ping() {
      await client.send(new DescribeTableCommand({ TableName: table }));
    },
  };
}
