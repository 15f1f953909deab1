import { CreateTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import dynalite from 'dynalite';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabaseActivityStore } from '../../src/adapters/activity/database-activity-store.js';
import {
  ACTIVITY_SHARDS,
  createDynamoDbActivityStore,
} from '../../src/adapters/activity/dynamodb-activity-store.js';
import type { TActivityStore } from '../../src/adapters/activity/activity-store.js';
import { createStepFunctionsWorkflows } from '../../src/adapters/workflows/workflows.js';
import { systemClock } from '../../src/lib/clock.js';
import { activityContract } from '../contracts/activity-contract.js';
import { createTestContext, type TTestContext } from '../support/test-context.js';

describe('activity log in PostgreSQL', () => {
  let ctx: TTestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());
  activityContract(() => ({ store: createDatabaseActivityStore(ctx.db) }));
});

describe('activity log in DynamoDB, against a DynamoDB-compatible server (dynalite)', () => {
  const table = 'tickitnow-activity';
  let server: Server;
  let store: TActivityStore & { client: DynamoDBClient };

  beforeAll(async () => {
    server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const client = new DynamoDBClient({
      region: 'us-east-1',
      endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    // The same key schema the CDK stack declares.
    await client.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
    store = createDynamoDbActivityStore({
      table,
      region: 'us-east-1',
      endpoint,
      retentionMs: 30 * 24 * 3600_000,
      clock: systemClock,
      client,
    });
  });
  afterAll(async () => {
    store.client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  activityContract(() => ({ store }));

  it('spreads one hot event over several partitions and sets a TTL on every row', async () => {
    const eventId = '11111111-2222-4333-8444-555555555555';
    await store.append(
      Array.from({ length: 200 }, (_, i) => ({
        type: 'event_view',
        eventId,
        userId: null,
        visitorId: `visitor-${i}-hot`,
        metadata: {},
        occurredAt: new Date(),
      })),
    );
    const { Items = [] } = await store.client.send(new ScanCommand({ TableName: table }));
    const partitions = new Set(
      Items.map((item) => item['pk']?.S).filter((pk) => pk?.startsWith(`event#${eventId}#`)),
    );
    expect(partitions.size).toBe(ACTIVITY_SHARDS);
    const ttl = Number(Items[0]?.['expiresAt']?.N);
    expect(ttl * 1000).toBeGreaterThan(Date.now() + 29 * 24 * 3600_000);
  });
});

describe('subscribe workflow on Step Functions (aws-sdk-client-mock: no Step Functions server can run here)', () => {
  it('starts the state machine with the subscription as input', async () => {
    const sfn = mockClient(SFNClient);
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:x', startDate: new Date() });
    const workflows = createStepFunctionsWorkflows({
      subscribeStateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:subscribe',
      region: 'eu-west-1',
      client: new SFNClient({ region: 'eu-west-1' }),
    });
    await workflows.startSubscribe({ email: 'fan@example.test', topic: 'newsletter' });
    const [call] = sfn.commandCalls(StartExecutionCommand);
    expect(call?.args[0].input).toEqual({
      stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:subscribe',
      input: JSON.stringify({ email: 'fan@example.test', topic: 'newsletter' }),
    });
    sfn.restore();
  });
});
