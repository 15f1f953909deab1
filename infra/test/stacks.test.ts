import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { App } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../src/app.js';
import { functionCode } from '../src/function-code.js';
import { functionRoutes } from '../src/function-routes.js';

const context = { sshCidr: '198.51.100.7/32', region: 'eu-west-1', account: '111111111111' };

type TStatement = { Action: string | string[]; Resource: unknown; Effect: string };
type TResource = { Type: string; Properties?: Record<string, unknown> };

/** Every IAM statement of a template: managed, inline and attached policies. */
function iamStatements(template: Template): TStatement[] {
  const resources = Object.values(template.toJSON()['Resources'] as Record<string, TResource>);
  const documents: unknown[] = [];
  for (const r of resources) {
    if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy')
      documents.push(r.Properties?.['PolicyDocument']);
    if (r.Type === 'AWS::IAM::Role')
      for (const p of (r.Properties?.['Policies'] as { PolicyDocument: unknown }[] | undefined) ??
        [])
        documents.push(p.PolicyDocument);
  }
  return documents.flatMap((d) => (d as { Statement: TStatement[] }).Statement);
}

const actionsOf = (s: TStatement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

/** Actions AWS only grants on resource "*" (no resource-level permissions exist for them). */
const resourceStarActions = new Set([
  'ecr:GetAuthorizationToken',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
]);

describe('the CDK app', () => {
  let app: App;
  let singleHost: Template;
  let platform: Template;

  beforeAll(() => {
    // Function code from an empty checkout: the same templates whether or not the server's
    // Lambda bundles happen to be built on this machine.
    const functionCodeRoot = mkdtempSync(path.join(os.tmpdir(), 'tin-infra-'));
    const created = createApp({ context }, { functionCodeRoot });
    app = created.app;
    singleHost = Template.fromStack(created.singleHost);
    platform = Template.fromStack(created.platform);
  });

  test('synthesizes offline with zero unacknowledged cdk-nag (AwsSolutions) findings', () => {
    // The plugin stops synthesis on any finding that has no acknowledgement with a reason.
    const assembly = app.synth();
    const report = JSON.parse(
      readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'),
    ) as { pluginReports: { pluginName: string; conclusion: string }[] };
    for (const plugin of report.pluginReports)
      expect(plugin.conclusion, plugin.pluginName).toBe('success');
  });

  test('cdk-nag really runs: an unacknowledged finding stops synthesis', () => {
    const created = createApp({ context });
    // A bucket without access logs, TLS enforcement or encryption settings.
    new s3.CfnBucket(created.singleHost, 'CarelessBucket');
    expect(() => created.app.synth()).toThrow();
  });

  test('no IAM statement in either stack uses a wildcard action', () => {
    for (const template of [singleHost, platform])
      for (const statement of iamStatements(template))
        for (const action of actionsOf(statement)) expect(action).not.toContain('*');
  });

  test('resource "*" appears only for actions that have no resource-level permissions', () => {
    for (const template of [singleHost, platform])
      for (const statement of iamStatements(template).filter((s) => s.Resource === '*'))
        for (const action of actionsOf(statement)) expect(resourceStarActions).toContain(action);
  });

  describe('SingleHostStack', () => {
    test('one EC2 instance with an Elastic IP, encrypted disk, IMDSv2', () => {
      singleHost.resourceCountIs('AWS::EC2::Instance', 1);
      singleHost.resourceCountIs('AWS::EC2::EIP', 1);
      singleHost.resourceCountIs('AWS::EC2::EIPAssociation', 1);
      singleHost.hasResourceProperties('AWS::EC2::Instance', {
        BlockDeviceMappings: [Match.objectLike({ Ebs: Match.objectLike({ Encrypted: true }) })],
        IamInstanceProfile: Match.anyValue(),
      });
      singleHost.hasResourceProperties('AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({
          MetadataOptions: Match.objectLike({ HttpTokens: 'required' }),
        }),
      });
    });

    test('security group: 80 and 443 from anywhere, SSH only from the configured CIDR', () => {
      singleHost.hasResourceProperties('AWS::EC2::SecurityGroup', {
        SecurityGroupIngress: [
          Match.objectLike({ CidrIp: '0.0.0.0/0', FromPort: 80, ToPort: 80 }),
          Match.objectLike({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443 }),
          Match.objectLike({ CidrIp: '198.51.100.7/32', FromPort: 22, ToPort: 22 }),
        ],
      });
    });

    test('the release bucket is private, encrypted, TLS-only and read through the instance role', () => {
      singleHost.hasResourceProperties('AWS::S3::Bucket', {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: Match.anyValue(),
        VersioningConfiguration: { Status: 'Enabled' },
      });
      singleHost.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
      // No long-lived keys: no IAM user, no access key.
      singleHost.resourceCountIs('AWS::IAM::User', 0);
      singleHost.resourceCountIs('AWS::IAM::AccessKey', 0);
      const reads = iamStatements(singleHost).filter((s) => actionsOf(s).includes('s3:GetObject'));
      expect(reads).toHaveLength(1);
    });

    test('user data installs nginx and Node.js, renders the shipped site and migrates before serving', () => {
      const launch = JSON.stringify(
        singleHost.findResources('AWS::EC2::LaunchTemplate', {}),
      ).concat(JSON.stringify(singleHost.findResources('AWS::EC2::Instance', {})));
      expect(launch).toContain('dnf install -y nginx nodejs20');
      expect(launch).toContain('nginx/render.sh');
      expect(launch).toContain('ExecStartPre=/usr/bin/node server/dist/cli.js migrate');
      expect(launch).toContain('systemctl enable --now tickitnow.service nginx.service');
    });
  });

  describe('PlatformStack', () => {
    test('a VPC with two public and two private subnets, an internet gateway and routes', () => {
      platform.resourceCountIs('AWS::EC2::VPC', 1);
      platform.resourceCountIs('AWS::EC2::InternetGateway', 1);
      platform.resourceCountIs('AWS::EC2::Subnet', 4);
      expect(
        Object.keys(
          platform.findResources('AWS::EC2::Subnet', { Properties: { MapPublicIpOnLaunch: true } }),
        ),
      ).toHaveLength(2);
      expect(
        Object.keys(
          platform.findResources('AWS::EC2::Subnet', {
            Properties: { MapPublicIpOnLaunch: false },
          }),
        ),
      ).toHaveLength(2);
      platform.resourceCountIs('AWS::EC2::RouteTable', 4);
      platform.hasResourceProperties('AWS::EC2::Route', {
        DestinationCidrBlock: '0.0.0.0/0',
        GatewayId: Match.anyValue(),
      });
      platform.resourceCountIs('AWS::EC2::NatGateway', 1);
      platform.resourceCountIs('AWS::EC2::FlowLog', 1);
    });

    test('the API task starts Node with the same flags as the image it replaces the entry point of', () => {
      const dockerfile = readFileSync(path.join(import.meta.dirname, '../../Dockerfile'), 'utf8');
      const entry = JSON.parse(/^ENTRYPOINT (\[.*\])$/m.exec(dockerfile)?.[1] ?? '[]') as string[];
      const definitions = Object.values(
        platform.findResources('AWS::ECS::TaskDefinition'),
      ) as TResource[];
      const api = definitions
        .flatMap(
          (d) =>
            d.Properties?.['ContainerDefinitions'] as { Name: string; EntryPoint?: string[] }[],
        )
        .find((c) => c.Name === 'api');
      expect(entry.join(' ')).toContain('server/dist/cli.js');
      expect(api?.EntryPoint?.join(' ')).toContain(`exec ${entry.join(' ')} "$@"`);
    });

    test('security groups: each tier only from the one in front of it', () => {
      const groups = platform.findResources('AWS::EC2::SecurityGroup');
      const idOf = (description: string) => {
        const entry = Object.entries(groups).find(([, r]) =>
          String((r as TResource).Properties?.['GroupDescription']).startsWith(description),
        );
        if (!entry) throw new Error(`no security group "${description}"`);
        return entry[0];
      };
      const ingress = Object.values(
        platform.findResources('AWS::EC2::SecurityGroupIngress'),
      ) as TResource[];
      const sourcesOf = (group: string, port: number) =>
        ingress
          .filter(
            (r) =>
              JSON.stringify(r.Properties?.['GroupId']).includes(group) &&
              r.Properties?.['FromPort'] === port,
          )
          .map((r) => JSON.stringify(r.Properties?.['SourceSecurityGroupId']).match(/"(\w+)"/)?.[1])
          .sort();

      const frontendAlb = idOf('Public load balancer');
      const frontendTasks = idOf('nginx tasks');
      const backendAlb = idOf('Internal load balancer');
      const backendTasks = idOf('API tasks');
      const functions = idOf('Lambda functions');
      const bastion = idOf('Bastion');
      expect(sourcesOf(idOf('nginx tasks'), 8080)).toEqual([frontendAlb]);
      expect(sourcesOf(backendAlb, 80)).toEqual([frontendTasks]);
      expect(sourcesOf(backendTasks, 3000)).toEqual([backendAlb]);
      expect(sourcesOf(idOf('PostgreSQL'), 5432)).toEqual(
        [backendTasks, bastion, functions].sort(),
      );
      expect(sourcesOf(idOf('Redis'), 6379)).toEqual([backendTasks, bastion, functions].sort());
      // The internet reaches only the public load balancer (80) and the bastion (SSH, one CIDR).
      const openIngress = Object.values(groups).flatMap(
        (g) =>
          ((g as TResource).Properties?.['SecurityGroupIngress'] as
            { CidrIp?: string }[] | undefined) ?? [],
      );
      expect(openIngress.filter((rule) => rule.CidrIp === '0.0.0.0/0')).toHaveLength(1);
      platform.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: Match.stringLikeRegexp('^Bastion'),
        SecurityGroupIngress: [Match.objectLike({ CidrIp: '198.51.100.7/32', FromPort: 22 })],
      });
    });

    test('RDS PostgreSQL: private, encrypted, multi-AZ, credentials in Secrets Manager', () => {
      platform.hasResourceProperties('AWS::RDS::DBInstance', {
        Engine: 'postgres',
        StorageEncrypted: true,
        PubliclyAccessible: false,
        MultiAZ: true,
        DeletionProtection: true,
        MasterUserPassword: Match.objectLike({
          'Fn::Join': Match.arrayWith([
            Match.arrayWith([Match.stringLikeRegexp('resolve:secretsmanager')]),
          ]),
        }),
      });
      platform.hasResource('AWS::RDS::DBInstance', { DeletionPolicy: 'Snapshot' });
    });

    test('ElastiCache Redis: private subnets, encrypted at rest and in transit, AUTH from Secrets Manager', () => {
      platform.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
        Engine: 'redis',
        AtRestEncryptionEnabled: true,
        TransitEncryptionEnabled: true,
        MultiAZEnabled: true,
        AuthToken: Match.objectLike({
          'Fn::Join': Match.arrayWith([
            Match.arrayWith([Match.stringLikeRegexp('resolve:secretsmanager')]),
          ]),
        }),
      });
      platform.resourceCountIs('AWS::ElastiCache::SubnetGroup', 1);
    });

    test('ECS Fargate: frontend and backend services, ECR repositories, secrets injected as ECS secrets', () => {
      platform.resourceCountIs('AWS::ECS::Service', 2);
      platform.resourceCountIs('AWS::ECR::Repository', 2);
      platform.hasResourceProperties('AWS::ECS::TaskDefinition', {
        Cpu: '1024',
        Memory: '2048',
        RequiresCompatibilities: ['FARGATE'],
        ContainerDefinitions: [
          Match.objectLike({
            Name: 'api',
            Secrets: Match.arrayWith([
              Match.objectLike({ Name: 'DATABASE_PASSWORD' }),
              Match.objectLike({ Name: 'REDIS_AUTH_TOKEN' }),
              Match.objectLike({ Name: 'APP_SECRET' }),
              Match.objectLike({ Name: 'SMTP_URL' }),
            ]),
          }),
        ],
      });
      platform.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '256', Memory: '512' });
      // No secret travels as a plain environment variable.
      for (const task of Object.values(platform.findResources('AWS::ECS::TaskDefinition')))
        for (const container of (task as TResource).Properties?.['ContainerDefinitions'] as {
          Environment?: { Name: string }[];
        }[])
          for (const variable of container.Environment ?? [])
            expect(variable.Name).not.toMatch(/PASSWORD|SECRET$|TOKEN$|SMTP_URL/);
    });

    test('two load balancers (public frontend, internal backend) with /healthz health checks', () => {
      platform.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 2);
      platform.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        Scheme: 'internet-facing',
      });
      platform.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        Scheme: 'internal',
      });
      platform.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 2);
      for (const group of Object.values(
        platform.findResources('AWS::ElasticLoadBalancingV2::TargetGroup'),
      ))
        expect((group as TResource).Properties?.['HealthCheckPath']).toBe('/healthz');
    });

    test('API Gateway has exactly the six function routes, each to its own Lambda function', () => {
      const routes = Object.values(platform.findResources('AWS::ApiGatewayV2::Route')).map(
        (r) => (r as TResource).Properties?.['RouteKey'],
      );
      expect(routes.sort()).toEqual(functionRoutes.map((r) => `${r.method} ${r.path}`).sort());
      expect(routes).toHaveLength(6);
      const functions = platform.findResources('AWS::Lambda::Function', {
        Properties: { Description: Match.stringLikeRegexp('^TickItNow (GET|POST) /fn/') },
      });
      expect(Object.keys(functions)).toHaveLength(6);
      platform.resourceCountIs('AWS::ApiGatewayV2::Integration', 6);
      platform.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
      });
    });

    test('functions are configured with the variables server/src/config.ts reads', () => {
      const functions = platform.findResources('AWS::Lambda::Function', {
        Properties: { Description: Match.stringLikeRegexp('^TickItNow (GET|POST) /fn/') },
      }) as Record<string, { Properties: { Environment: { Variables: Record<string, unknown> } } }>;
      for (const fn of Object.values(functions)) {
        const variables = fn.Properties.Environment.Variables;
        expect(variables).toMatchObject({
          NODE_ENV: 'production',
          STORAGE_DRIVER: 's3',
          ACTIVITY_DRIVER: 'dynamodb',
          MAIL_DRIVER: 'smtp',
        });
        for (const name of [
          'S3_BUCKET',
          'DYNAMODB_ACTIVITY_TABLE',
          'APP_SECRET_ARN',
          'DATABASE_SECRET_ARN',
        ])
          expect(variables, name).toHaveProperty(name);
        if (variables['WORKFLOW_DRIVER'] === 'stepfunctions')
          expect(variables).toHaveProperty('SUBSCRIBE_STATE_MACHINE_ARN');
      }
    });

    test('the subscribe workflow checks the subscription, then confirms through SNS', () => {
      const machine = JSON.stringify(platform.findResources('AWS::StepFunctions::StateMachine'));
      expect(machine).toContain('CheckSubscription');
      expect(machine).toContain('ConfirmationDue?');
      expect(machine).toContain('shouldSend');
      expect(machine).toContain('SendConfirmation');
      expect(machine).toContain(':states:::sns:publish');
      platform.resourceCountIs('AWS::SNS::Topic', 1);
      platform.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    });

    test('files bucket: private, encrypted, TLS only; DynamoDB activity table: encrypted, PITR, TTL', () => {
      platform.hasResourceProperties('AWS::S3::Bucket', {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: Match.anyValue(),
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: Match.anyValue(),
      });
      const policies = Object.values(platform.findResources('AWS::S3::BucketPolicy'));
      expect(policies.length).toBeGreaterThanOrEqual(2);
      for (const policy of policies)
        expect(JSON.stringify(policy)).toContain('aws:SecureTransport');
      platform.hasResourceProperties('AWS::DynamoDB::Table', {
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      });
    });

    test('a bastion host in a public subnet with an encrypted disk', () => {
      platform.resourceCountIs('AWS::EC2::Instance', 1);
      platform.hasResourceProperties('AWS::EC2::Instance', {
        BlockDeviceMappings: [Match.objectLike({ Ebs: Match.objectLike({ Encrypted: true }) })],
      });
    });
  });

  test('SSH open to the whole internet is refused', () => {
    expect(() => createApp({ context: { ...context, sshCidr: '0.0.0.0/0' } })).toThrow(/sshCidr/);
  });

  test('deploy mode refuses functions whose bundle is not built, and accepts built ones', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'tin-infra-'));
    const deployContext = { ...context, requireBuiltFunctions: 'true' };
    expect(() => createApp({ context: deployContext }, { functionCodeRoot: root })).toThrow(
      /not built/,
    );
    for (const route of functionRoutes) {
      const bundle = path.join(root, 'server', 'dist', 'lambda', route.name);
      mkdirSync(bundle, { recursive: true });
      writeFileSync(path.join(bundle, 'index.mjs'), 'export const handler = async () => ({});\n');
    }
    expect(() => createApp({ context: deployContext }, { functionCodeRoot: root })).not.toThrow();
  });
});

describe('function code', () => {
  test('uses the bundle the server build produced, when there is one', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'tin-infra-'));
    const bundle = path.join(root, 'server', 'dist', 'lambda', 'send-otp');
    mkdirSync(bundle, { recursive: true });
    writeFileSync(path.join(bundle, 'index.mjs'), 'export const handler = async () => ({});\n');
    const route = functionRoutes.find((r) => r.name === 'send-otp')!;
    expect(functionCode(route, root).isBuilt).toBe(true);
    const other = functionRoutes.find((r) => r.name === 'subscribe')!;
    expect(functionCode(other, root).isBuilt).toBe(false);
  });

  test('the stand-in for a missing bundle answers 503 function_not_built', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'tin-infra-'));
    const route = functionRoutes.find((r) => r.name === 'log-activity')!;
    const { code } = functionCode(route, root);
    const asset = code as unknown as { path: string };
    const module = (await import(path.join(asset.path, 'index.mjs'))) as {
      handler: () => Promise<{ statusCode: number; body: string }>;
    };
    const result = await module.handler();
    expect(result.statusCode).toBe(503);
    expect(JSON.parse(result.body)).toMatchObject({ error: 'function_not_built' });
  });
});
