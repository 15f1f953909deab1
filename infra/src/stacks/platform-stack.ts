import {
  Annotations,
  ArnFormat,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { acknowledge, logicalIdOf } from '../nag.js';
import type { Construct } from 'constructs';
import { functionCode } from '../function-code.js';
import { functionRoutes, type TFunctionRoute } from '../function-routes.js';
import type { TSettings } from '../settings.js';

export type TPlatformStackProps = StackProps & {
  settings: TSettings;
  /** Repository whose server/dist/lambda holds the function bundles (tests use their own). */
  functionCodeRoot?: string;
};

/** Characters a generated password must not contain, so it can sit in a URL unescaped. */
const urlUnsafeCharacters = ' %+~`#$&*()|[]{}:;<>?!\'/@"\\=,^';

const API_PORT = 3000;
const WEB_PORT = 8080;

/**
 * The second seed, the full platform: a VPC with two public and two private subnets; nginx
 * (frontend) and the API (backend) on ECS Fargate behind their own load balancers; RDS
 * PostgreSQL and ElastiCache Redis in the private subnets; a bastion; the six function routes
 * on API Gateway + Lambda; the subscribe workflow on Step Functions; SNS for messages; S3 for
 * files; DynamoDB for activity. One stack, so that security groups can name each other without
 * cross-stack cycles; stateful resources are retained or snapshotted on deletion.
 */
export class PlatformStack extends Stack {
  readonly vpc: ec2.Vpc;

  constructor(scope: Construct, id: string, props: TPlatformStackProps) {
    super(scope, id, props);
    const { settings } = props;

    // ---------------------------------------------------------------- network
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr('10.40.0.0/16'),
      availabilityZones: settings.availabilityZones,
      natGateways: settings.natGateways,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
      ],
      flowLogs: {
        all: {
          trafficType: ec2.FlowLogTrafficType.ALL,
          destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs),
        },
      },
    });
    const vpc = this.vpc;
    const privateSubnets = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };

    // Security groups: each tier accepts traffic only from the tier in front of it.
    const sg = (name: string, description: string) =>
      new ec2.SecurityGroup(this, name, { vpc, description, allowAllOutbound: true });
    const frontendAlbSg = sg('FrontendAlbSg', 'Public load balancer of the web app');
    const frontendTaskSg = sg('FrontendTaskSg', 'nginx tasks: only from the frontend ALB');
    const backendAlbSg = sg('BackendAlbSg', 'Internal load balancer of the API');
    const backendTaskSg = sg('BackendTaskSg', 'API tasks: only from the backend ALB');
    const functionsSg = sg('FunctionsSg', 'Lambda functions of the six routes: no ingress');
    const bastionSg = sg('BastionSg', 'Bastion: SSH from the allowed CIDR only');
    const databaseSg = sg('DatabaseSg', 'PostgreSQL: from the app tasks and the bastion only');
    const cacheSg = sg('CacheSg', 'Redis: from the app tasks and the bastion only');

    frontendAlbSg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'HTTP from anywhere');
    if (settings.certificateArn)
      frontendAlbSg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS from anywhere');
    frontendTaskSg.addIngressRule(frontendAlbSg, ec2.Port.tcp(WEB_PORT), 'from the frontend ALB');
    backendAlbSg.addIngressRule(frontendTaskSg, ec2.Port.tcp(80), 'nginx proxying /api and /fn');
    backendTaskSg.addIngressRule(backendAlbSg, ec2.Port.tcp(API_PORT), 'from the backend ALB');
    bastionSg.addIngressRule(ec2.Peer.ipv4(settings.sshCidr), ec2.Port.tcp(22), 'SSH');
    // The Lambda functions run the same services as the API tasks, so they are app tasks too.
    for (const [client, what] of [
      [backendTaskSg, 'API tasks'],
      [functionsSg, 'function routes'],
      [bastionSg, 'bastion'],
    ] as const) {
      databaseSg.addIngressRule(client, ec2.Port.tcp(5432), `PostgreSQL from the ${what}`);
      cacheSg.addIngressRule(client, ec2.Port.tcp(6379), `Redis from the ${what}`);
    }
    acknowledge(frontendAlbSg, [
      {
        id: 'AwsSolutions-EC23',
        reason: 'The public website: the load balancer listens to everyone.',
      },
    ]);

    // ---------------------------------------------------------------- bastion
    const bastion = new ec2.Instance(this, 'Bastion', {
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      instanceType: new ec2.InstanceType('t3.nano'),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
      securityGroup: bastionSg,
      requireImdsv2: true,
      detailedMonitoring: true,
      ...(settings.keyPairName
        ? { keyPair: ec2.KeyPair.fromKeyPairName(this, 'BastionKeyPair', settings.keyPairName) }
        : {}),
      blockDevices: [
        {
          deviceName: '/dev/xvda',
          volume: ec2.BlockDeviceVolume.ebs(8, {
            encrypted: true,
            volumeType: ec2.EbsDeviceVolumeType.GP3,
          }),
        },
      ],
    });
    acknowledge(bastion, [
      {
        id: 'AwsSolutions-EC29',
        reason: 'The bastion is disposable and holds no data; it is rebuilt, not protected.',
      },
    ]);

    // ---------------------------------------------------------------- logs bucket
    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // ALB access logs only support SSE-S3.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(accessLogs, [
      { id: 'AwsSolutions-S1', reason: 'This is the access-log bucket; it does not log itself.' },
    ]);

    // ---------------------------------------------------------------- data
    const databaseCredentials = rds.Credentials.fromGeneratedSecret('tickitnow', {
      secretName: `${this.stackName}/database`,
      excludeCharacters: urlUnsafeCharacters,
    });
    const database = new rds.DatabaseInstance(this, 'Database', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM),
      vpc,
      vpcSubnets: privateSubnets,
      securityGroups: [databaseSg],
      credentials: databaseCredentials,
      databaseName: 'tickitnow',
      multiAz: true,
      storageEncrypted: true,
      publiclyAccessible: false,
      allocatedStorage: 50,
      maxAllocatedStorage: 500,
      storageType: rds.StorageType.GP3,
      backupRetention: Duration.days(14),
      deletionProtection: true,
      enablePerformanceInsights: true,
      cloudwatchLogsExports: ['postgresql', 'upgrade'],
      removalPolicy: RemovalPolicy.SNAPSHOT,
    });
    const databaseSecret = database.secret;
    if (!databaseSecret) throw new Error('the database has no generated secret');
    acknowledge(database, [
      {
        id: 'AwsSolutions-RDS11',
        reason: 'The standard port; only the app tasks and the bastion can reach it.',
      },
      {
        id: 'AwsSolutions-IAM4',
        reason: 'The enhanced-monitoring role uses the AWS-maintained policy for it.',
      },
      {
        id: 'AwsSolutions-RDS6',
        reason:
          'The app signs in with the generated password from Secrets Manager, not IAM tokens.',
      },
    ]);
    acknowledge(database, [
      {
        id: 'AwsSolutions-SMG4',
        reason:
          'Injected into running tasks at start; a rotation would strand them, so it is rotated with a deploy.',
      },
    ]);

    const cacheAuth = new secretsmanager.Secret(this, 'CacheAuthToken', {
      secretName: `${this.stackName}/redis-auth-token`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    const cacheSubnets = new elasticache.CfnSubnetGroup(this, 'CacheSubnets', {
      description: 'TickItNow Redis: private subnets',
      subnetIds: vpc.selectSubnets(privateSubnets).subnetIds,
    });
    const cache = new elasticache.CfnReplicationGroup(this, 'Cache', {
      replicationGroupDescription: 'TickItNow cache, rate limits and sale gate',
      engine: 'redis',
      engineVersion: '7.1',
      cacheNodeType: 'cache.t4g.small',
      numCacheClusters: 2,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      atRestEncryptionEnabled: true,
      transitEncryptionEnabled: true,
      // A CloudFormation dynamic reference: the token itself never appears in the template.
      authToken: cacheAuth.secretValue.unsafeUnwrap(),
      cacheSubnetGroupName: cacheSubnets.ref,
      securityGroupIds: [cacheSg.securityGroupId],
      snapshotRetentionLimit: 3,
    });
    acknowledge(cache, [
      {
        id: 'AwsSolutions-AEC5',
        reason: 'The standard port; only the app tasks and the bastion can reach it.',
      },
    ]);

    const appSecret = new secretsmanager.Secret(this, 'AppSecret', {
      secretName: `${this.stackName}/app-secret`,
      description: 'TickItNow APP_SECRET (sessions, signed URLs, event keys)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    const smtpUrl = new secretsmanager.Secret(this, 'SmtpUrl', {
      secretName: `${this.stackName}/smtp-url`,
      description:
        'TickItNow SMTP_URL (smtps://user:password@host:465) — set it after the first deploy',
    });
    acknowledge(
      [cacheAuth, appSecret, smtpUrl],
      [
        {
          id: 'AwsSolutions-SMG4',
          reason: 'Injected into running tasks at start; rotated with a deploy.',
        },
      ],
    );

    const files = new s3.Bucket(this, 'Files', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'files/',
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const activity = new dynamodb.Table(this, 'Activity', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: 'expiresAt',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const notifications = new sns.Topic(this, 'Notifications', {
      displayName: 'TickItNow notifications and sign-in codes',
      enforceSSL: true,
      masterKey: kms.Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns'),
    });

    // ---------------------------------------------------------------- containers
    const apiRepository = new ecr.Repository(this, 'ApiRepository', {
      repositoryName: 'tickitnow-api',
      imageScanOnPush: true,
      imageTagMutability: ecr.TagMutability.MUTABLE,
      lifecycleRules: [{ maxImageCount: 30 }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const webRepository = new ecr.Repository(this, 'WebRepository', {
      repositoryName: 'tickitnow-web',
      imageScanOnPush: true,
      imageTagMutability: ecr.TagMutability.MUTABLE,
      lifecycleRules: [{ maxImageCount: 30 }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const cluster = new ecs.Cluster(this, 'Cluster', {
      vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });

    const frontendAlb = new elbv2.ApplicationLoadBalancer(this, 'FrontendAlb', {
      vpc,
      internetFacing: true,
      securityGroup: frontendAlbSg,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      dropInvalidHeaderFields: true,
    });
    frontendAlb.logAccessLogs(accessLogs, 'frontend-alb');
    const backendAlb = new elbv2.ApplicationLoadBalancer(this, 'BackendAlb', {
      vpc,
      internetFacing: false,
      securityGroup: backendAlbSg,
      vpcSubnets: privateSubnets,
      dropInvalidHeaderFields: true,
    });
    backendAlb.logAccessLogs(accessLogs, 'backend-alb');

    const publicUrl =
      settings.publicUrl ??
      `${settings.certificateArn ? 'https' : 'http'}://${frontendAlb.loadBalancerDnsName}`;

    const backendLogs = new logs.LogGroup(this, 'BackendLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const backendTask = new ecs.FargateTaskDefinition(this, 'BackendTask', {
      cpu: 1024,
      memoryLimitMiB: 2048,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    grantAppAccess(backendTask.taskRole, { files, activity, notifications, access: 'read-write' });
    backendTask.addContainer('api', {
      image: ecs.ContainerImage.fromEcrRepository(apiRepository, settings.imageTag),
      // The server reads one DATABASE_URL/REDIS_URL; they are put together from the injected
      // secrets here, so no password is ever part of the task definition. The command is the
      // CLI's: override it with ["migrate"] or ["create-admin", "you@example.org"] for one-offs.
      // Node's flags are the image's ENTRYPOINT's (Dockerfile), which this replaces.
      entryPoint: [
        'sh',
        '-c',
        'export DATABASE_URL="postgres://$DATABASE_USER:$DATABASE_PASSWORD@$DATABASE_HOST:$DATABASE_PORT/tickitnow?sslmode=require" ' +
          'REDIS_URL="rediss://:$REDIS_AUTH_TOKEN@$REDIS_HOST:6379" && exec node --min-semi-space-size=32 server/dist/cli.js "$@"',
        'tickitnow',
      ],
      command: ['serve'],
      portMappings: [{ containerPort: API_PORT }],
      environment: {
        NODE_ENV: 'production',
        HOST: '0.0.0.0',
        PORT: String(API_PORT),
        PUBLIC_URL: publicUrl,
        TRUST_PROXY: 'true',
        SERVE_WEB: 'false',
        MAIL_DRIVER: 'smtp',
        WORKERS_IN_PROCESS: 'true',
        REDIS_HOST: cache.attrPrimaryEndPointAddress,
        // Names as server/src/config.ts reads them (docs/CONFIGURATION.md).
        STORAGE_DRIVER: 's3',
        S3_BUCKET: files.bucketName,
        ACTIVITY_DRIVER: 'dynamodb',
        DYNAMODB_ACTIVITY_TABLE: activity.tableName,
        SNS_TOPIC_ARN: notifications.topicArn,
        AWS_REGION: this.region,
      },
      secrets: {
        DATABASE_USER: ecs.Secret.fromSecretsManager(databaseSecret, 'username'),
        DATABASE_PASSWORD: ecs.Secret.fromSecretsManager(databaseSecret, 'password'),
        DATABASE_HOST: ecs.Secret.fromSecretsManager(databaseSecret, 'host'),
        DATABASE_PORT: ecs.Secret.fromSecretsManager(databaseSecret, 'port'),
        REDIS_AUTH_TOKEN: ecs.Secret.fromSecretsManager(cacheAuth),
        APP_SECRET: ecs.Secret.fromSecretsManager(appSecret),
        SMTP_URL: ecs.Secret.fromSecretsManager(smtpUrl),
      },
      logging: ecs.LogDrivers.awsLogs({ logGroup: backendLogs, streamPrefix: 'api' }),
      healthCheck: {
        command: [
          'CMD',
          'node',
          '-e',
          `fetch('http://127.0.0.1:${API_PORT}/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`,
        ],
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        startPeriod: Duration.seconds(60),
      },
    });
    const backendService = new ecs.FargateService(this, 'BackendService', {
      cluster,
      taskDefinition: backendTask,
      desiredCount: 2,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      securityGroups: [backendTaskSg],
      vpcSubnets: privateSubnets,
      assignPublicIp: false,
      circuitBreaker: { rollback: true },
    });
    backendAlb.addListener('BackendHttp', { port: 80, open: false }).addTargets('Api', {
      port: API_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [backendService],
      deregistrationDelay: Duration.seconds(20),
      healthCheck: { path: '/healthz', healthyHttpCodes: '200', interval: Duration.seconds(15) },
    });
    const backendScaling = backendService.autoScaleTaskCount({ minCapacity: 2, maxCapacity: 20 });
    backendScaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 60 });

    const frontendLogs = new logs.LogGroup(this, 'FrontendLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const frontendTask = new ecs.FargateTaskDefinition(this, 'FrontendTask', {
      cpu: 256,
      memoryLimitMiB: 512,
    });
    frontendTask.addContainer('web', {
      image: ecs.ContainerImage.fromEcrRepository(webRepository, settings.imageTag),
      portMappings: [{ containerPort: WEB_PORT }],
      environment: {
        API_UPSTREAM: `${backendAlb.loadBalancerDnsName}:80`,
        // The ALB in front is inside the VPC: believe its X-Forwarded-For.
        TRUSTED_PROXY_CIDR: vpc.vpcCidrBlock,
        CSP_IMG_SRC: `https://${files.bucketRegionalDomainName}`,
      },
      logging: ecs.LogDrivers.awsLogs({ logGroup: frontendLogs, streamPrefix: 'web' }),
      healthCheck: {
        command: [
          'CMD',
          'wget',
          '-q',
          '-O',
          '/dev/null',
          `http://127.0.0.1:${WEB_PORT}/index.html`,
        ],
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
      },
    });
    const frontendService = new ecs.FargateService(this, 'FrontendService', {
      cluster,
      taskDefinition: frontendTask,
      desiredCount: 2,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      securityGroups: [frontendTaskSg],
      vpcSubnets: privateSubnets,
      assignPublicIp: false,
      circuitBreaker: { rollback: true },
    });
    const frontendTargets = {
      port: WEB_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [frontendService],
      deregistrationDelay: Duration.seconds(20),
      // nginx's /healthz is the API's: the site is healthy when the whole chain answers.
      healthCheck: { path: '/healthz', healthyHttpCodes: '200', interval: Duration.seconds(15) },
    };
    if (settings.certificateArn) {
      frontendAlb
        .addListener('FrontendHttps', {
          port: 443,
          open: false,
          certificates: [elbv2.ListenerCertificate.fromArn(settings.certificateArn)],
          sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
        })
        .addTargets('Web', frontendTargets);
      frontendAlb.addRedirect({ sourcePort: 80, targetPort: 443, open: false });
    } else {
      frontendAlb
        .addListener('FrontendHttp', { port: 80, open: false })
        .addTargets('Web', frontendTargets);
    }
    frontendService
      .autoScaleTaskCount({ minCapacity: 2, maxCapacity: 10 })
      .scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 60 });

    // ---------------------------------------------------------------- function routes
    const functionsEnvironment: Record<string, string> = {
      NODE_ENV: 'production',
      NODE_OPTIONS: '--enable-source-maps',
      PUBLIC_URL: publicUrl,
      MAIL_DRIVER: 'smtp',
      STORAGE_DRIVER: 's3',
      S3_BUCKET: files.bucketName,
      ACTIVITY_DRIVER: 'dynamodb',
      DYNAMODB_ACTIVITY_TABLE: activity.tableName,
      SNS_TOPIC_ARN: notifications.topicArn,
      REDIS_HOST: cache.attrPrimaryEndPointAddress,
      // Secrets are fetched by ARN at cold start (Lambda has no secret injection).
      DATABASE_SECRET_ARN: databaseSecret.secretArn,
      REDIS_AUTH_TOKEN_SECRET_ARN: cacheAuth.secretArn,
      APP_SECRET_ARN: appSecret.secretArn,
      SMTP_URL_SECRET_ARN: smtpUrl.secretArn,
    };
    const functions = new Map<TFunctionRoute['name'], lambda.Function>();
    const missing: string[] = [];
    for (const route of functionRoutes) {
      const { code, isBuilt } = functionCode(route, props.functionCodeRoot);
      if (!isBuilt) missing.push(route.name);
      const fn = new lambda.Function(this, `Fn-${route.name}`, {
        description: `TickItNow ${route.method} ${route.path}`,
        runtime: lambda.Runtime.NODEJS_24_X,
        architecture: lambda.Architecture.X86_64,
        handler: 'index.handler',
        code,
        memorySize: route.name === 'create-event' ? 1024 : 512,
        timeout: Duration.seconds(route.name === 'create-event' ? 30 : 10),
        vpc,
        vpcSubnets: privateSubnets,
        securityGroups: [functionsSg],
        environment: functionsEnvironment,
        logGroup: new logs.LogGroup(this, `Logs-${route.name}`, {
          retention: logs.RetentionDays.ONE_MONTH,
          removalPolicy: RemovalPolicy.DESTROY,
        }),
        tracing: lambda.Tracing.ACTIVE,
      });
      for (const secret of [databaseSecret, cacheAuth, appSecret, smtpUrl]) secret.grantRead(fn);
      grantAppAccess(fn.role!, {
        files: route.files ? files : undefined,
        access: route.files,
        activity: route.writesActivity ? activity : undefined,
        notifications: route.publishesNotifications ? notifications : undefined,
      });
      functions.set(route.name, fn);
    }
    if (missing.length > 0) {
      const message = `Lambda bundles not built (server/dist/lambda/<name>/index.mjs): ${missing.join(', ')}. Their functions answer 503 until built.`;
      if (settings.requireBuiltFunctions) throw new Error(message);
      Annotations.of(this).addWarningV2('@tickitnow/function-bundles', message);
    }

    // The subscribe workflow: is the address already confirmed for the topic? If not, send the
    // double opt-in message through SNS. The check runs in the subscribe function itself.
    const subscribeFn = functions.get('subscribe')!;
    const checkSubscription = new tasks.LambdaInvoke(this, 'CheckSubscription', {
      lambdaFunction: subscribeFn,
      payload: sfn.TaskInput.fromObject({
        step: 'check-subscription',
        email: sfn.JsonPath.stringAt('$.email'),
        topic: sfn.JsonPath.stringAt('$.topic'),
      }),
      resultSelector: {
        shouldSend: sfn.JsonPath.stringAt('$.Payload.shouldSend'),
        message: sfn.JsonPath.stringAt('$.Payload.message'),
      },
      resultPath: '$.check',
      retryOnServiceExceptions: true,
    });
    const sendConfirmation = new tasks.SnsPublish(this, 'SendConfirmation', {
      topic: notifications,
      message: sfn.TaskInput.fromJsonPathAt('$.check.message'),
      messageAttributes: {
        email: { value: sfn.JsonPath.stringAt('$.email') },
        kind: { value: 'subscription-confirmation' },
      },
      resultPath: sfn.JsonPath.DISCARD,
    });
    const definition = checkSubscription.next(
      // Nothing to send when the address is already confirmed or was sent a link moments ago.
      new sfn.Choice(this, 'ConfirmationDue?')
        .when(
          sfn.Condition.booleanEquals('$.check.shouldSend', false),
          new sfn.Succeed(this, 'NothingToSend'),
        )
        .otherwise(sendConfirmation.next(new sfn.Succeed(this, 'ConfirmationSent'))),
    );
    // Named, so the subscribe function can be told its ARN without a dependency cycle (the
    // workflow invokes that same function).
    const subscribeWorkflowName = `${this.stackName}-subscribe`;
    const subscribeWorkflowArn = this.formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: subscribeWorkflowName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    new sfn.StateMachine(this, 'SubscribeWorkflow', {
      stateMachineName: subscribeWorkflowName,
      stateMachineType: sfn.StateMachineType.EXPRESS,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      timeout: Duration.minutes(1),
      tracingEnabled: true,
      logs: {
        destination: new logs.LogGroup(this, 'SubscribeWorkflowLogs', {
          retention: logs.RetentionDays.ONE_MONTH,
          removalPolicy: RemovalPolicy.DESTROY,
        }),
        level: sfn.LogLevel.ALL,
      },
    });
    for (const route of functionRoutes.filter((r) => r.startsSubscribeWorkflow)) {
      const fn = functions.get(route.name)!;
      fn.addEnvironment('WORKFLOW_DRIVER', 'stepfunctions');
      fn.addEnvironment('SUBSCRIBE_STATE_MACHINE_ARN', subscribeWorkflowArn);
      // A policy of its own: the function does not wait for it, so there is no cycle.
      new iam.Policy(this, `StartsSubscribeWorkflow-${route.name}`, {
        roles: [fn.role!],
        statements: [
          new iam.PolicyStatement({
            actions: ['states:StartExecution', 'states:StartSyncExecution'],
            resources: [subscribeWorkflowArn],
          }),
        ],
      });
    }
    backendTask.taskRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['states:StartExecution', 'states:StartSyncExecution'],
        resources: [subscribeWorkflowArn],
      }),
    );

    const apiLogs = new logs.LogGroup(this, 'FunctionApiLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const httpApi = new apigw.HttpApi(this, 'FunctionApi', {
      description: 'TickItNow function routes (SPEC §5)',
      createDefaultStage: false,
    });
    new apigw.HttpStage(this, 'FunctionApiStage', {
      httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 200, burstLimit: 400 },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(apiLogs),
      },
    });
    for (const route of functionRoutes) {
      httpApi.addRoutes({
        path: route.path,
        methods: [apigw.HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(
          `Integration-${route.name}`,
          functions.get(route.name)!,
        ),
      });
    }
    acknowledge(httpApi, [
      {
        id: 'AwsSolutions-APIG4',
        reason:
          'The functions authenticate like the REST API (session token, SPEC §5); some routes are public by design (send-otp, subscribe).',
      },
    ]);

    // ---------------------------------------------------------------- suppressions with reasons
    acknowledge(this, [
      {
        id: 'AwsSolutions-IAM4',
        reason:
          'Only AWS-maintained service policies remain: AWSLambdaBasicExecutionRole and AWSLambdaVPCAccessExecutionRole (logs and VPC network interfaces of the functions) and the RDS enhanced-monitoring policy.',
        findings: [
          'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
          'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole',
        ],
      },
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'Resource "*" only where AWS requires it: ecr:GetAuthorizationToken, X-Ray trace segments and CloudWatch Logs delivery have no resource-level permissions.',
        findings: ['Resource::*'],
      },
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'Objects of the one files bucket (keys are generated per image, QR code and PDF) and versions of the subscribe function the workflow invokes.',
        findings: [
          `Resource::<${logicalIdOf(files)}.Arn>/*`,
          `Resource::<${logicalIdOf(subscribeFn)}.Arn>:*`,
        ],
      },
      {
        id: 'AwsSolutions-ECS2',
        reason:
          'Only non-secret settings are plain environment variables; every secret is an ECS secret from Secrets Manager.',
      },
    ]);

    new CfnOutput(this, 'SiteUrl', { value: publicUrl });
    new CfnOutput(this, 'FunctionApiUrl', { value: httpApi.apiEndpoint });
    new CfnOutput(this, 'ApiRepositoryUri', { value: apiRepository.repositoryUri });
    new CfnOutput(this, 'WebRepositoryUri', { value: webRepository.repositoryUri });
    new CfnOutput(this, 'BastionPublicIp', { value: bastion.instancePublicIp });
    new CfnOutput(this, 'DatabaseSecretArn', { value: databaseSecret.secretArn });
    new CfnOutput(this, 'SmtpUrlSecretArn', { value: smtpUrl.secretArn });
    new CfnOutput(this, 'ClusterName', { value: cluster.clusterName });
    new CfnOutput(this, 'BackendTaskDefinition', { value: backendTask.taskDefinitionArn });
  }
}

/**
 * Least-privilege access of the API's code to the shared resources: explicit actions, never
 * service wildcards, on exactly the resources given.
 */
function grantAppAccess(
  principal: iam.IRole,
  grants: {
    files?: s3.IBucket | undefined;
    access?: 'read' | 'write' | 'read-write' | undefined;
    activity?: dynamodb.ITable | undefined;
    notifications?: sns.ITopic | undefined;
  },
) {
  const { files, access, activity, notifications } = grants;
  if (files && access) {
    const actions = [
      ...(access !== 'write' ? ['s3:GetObject'] : []),
      ...(access !== 'read' ? ['s3:PutObject', 's3:DeleteObject'] : []),
    ];
    principal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions, resources: [files.arnForObjects('*')] }),
    );
  }
  if (activity)
    principal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          'dynamodb:PutItem',
          'dynamodb:BatchWriteItem',
          'dynamodb:Query',
          'dynamodb:GetItem',
        ],
        resources: [activity.tableArn],
      }),
    );
  if (notifications)
    principal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [notifications.topicArn] }),
    );
}
