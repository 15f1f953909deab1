import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { acknowledge, logicalIdOf } from '../nag.js';
import type { Construct } from 'constructs';
import type { TSettings } from '../settings.js';

export type TSingleHostStackProps = StackProps & { settings: TSettings };

/**
 * The first seed: one EC2 instance with an Elastic IP running nginx (the web build as static
 * files, /api and /fn proxied) and the API with its embedded database on an encrypted volume.
 * The instance reads the web build and the server release from a private S3 bucket through its
 * instance role — no long-lived keys anywhere.
 *
 * Release layout in the bucket (docs/DEPLOY.md): `web/` (web/dist), `release/server.tar.gz`
 * (server/dist + production node_modules), `release/nginx/` (deploy/nginx).
 */
export class SingleHostStack extends Stack {
  readonly bucket: s3.Bucket;
  readonly instance: ec2.Instance;
  readonly elasticIp: ec2.CfnEIP;

  constructor(scope: Construct, id: string, props: TSingleHostStackProps) {
    super(scope, id, props);
    const { settings } = props;

    const vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr('10.42.0.0/24'),
      availabilityZones: [settings.availabilityZones[0]],
      natGateways: 0,
      subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 26 }],
      flowLogs: {
        rejected: {
          trafficType: ec2.FlowLogTrafficType.REJECT,
          destination: ec2.FlowLogDestination.toCloudWatchLogs(
            new logs.LogGroup(this, 'FlowLogs', {
              retention: logs.RetentionDays.ONE_MONTH,
              removalPolicy: RemovalPolicy.DESTROY,
            }),
          ),
        },
      },
    });

    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(accessLogs, [
      { id: 'AwsSolutions-S1', reason: 'This is the access-log bucket; it does not log itself.' },
    ]);

    this.bucket = new s3.Bucket(this, 'Releases', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'releases/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Secrets live in Secrets Manager, so a replaced instance comes back with the same ones.
    const appSecret = new secretsmanager.Secret(this, 'AppSecret', {
      description: 'TickItNow APP_SECRET (sessions, signed URLs, event keys)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    const smtpUrl = new secretsmanager.Secret(this, 'SmtpUrl', {
      description:
        'TickItNow SMTP_URL, e.g. smtps://user:password@email-smtp.eu-central-1.amazonaws.com:465 — set it after the first deploy',
    });
    acknowledge(
      [appSecret, smtpUrl],
      [
        {
          id: 'AwsSolutions-SMG4',
          reason:
            'Read once at boot into the service environment; rotation happens by a re-deploy.',
        },
      ],
    );

    const securityGroup = new ec2.SecurityGroup(this, 'HostSecurityGroup', {
      vpc,
      description: 'TickItNow single host: HTTP and HTTPS from anywhere, SSH from the allowed CIDR',
      allowAllOutbound: true,
    });
    securityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'HTTP');
    securityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS');
    securityGroup.addIngressRule(ec2.Peer.ipv4(settings.sshCidr), ec2.Port.tcp(22), 'SSH');
    acknowledge(securityGroup, [
      { id: 'AwsSolutions-EC23', reason: 'A public website: 80 and 443 are open on purpose.' },
    ]);

    const role = new iam.Role(this, 'InstanceRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: 'TickItNow single host: reads its release and secrets, nothing else',
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [this.bucket.arnForObjects('web/*'), this.bucket.arnForObjects('release/*')],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': ['web/*', 'release/*'] } },
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [appSecret.secretArn, smtpUrl.secretArn],
      }),
    );
    acknowledge(role, [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'Read-only access to the objects under the release prefixes of this one bucket; the file names change with every release.',
        findings: [
          `Resource::<${logicalIdOf(this.bucket)}.Arn>/web/*`,
          `Resource::<${logicalIdOf(this.bucket)}.Arn>/release/*`,
        ],
      },
    ]);

    this.elasticIp = new ec2.CfnEIP(this, 'ElasticIp', { domain: 'vpc' });
    const publicUrl = settings.publicUrl ?? `http://${this.elasticIp.attrPublicIp}`;

    const userData = ec2.UserData.forLinux();
    userData.addCommands(
      ...singleHostBootScript({
        bucket: this.bucket.bucketName,
        region: this.region,
        publicUrl,
        appSecretArn: appSecret.secretArn,
        smtpUrlArn: smtpUrl.secretArn,
      }),
    );

    this.instance = new ec2.Instance(this, 'Host', {
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      instanceType: new ec2.InstanceType('t3.small'),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
      securityGroup,
      role,
      userData,
      userDataCausesReplacement: true,
      requireImdsv2: true,
      detailedMonitoring: true,
      ...(settings.keyPairName
        ? { keyPair: ec2.KeyPair.fromKeyPairName(this, 'KeyPair', settings.keyPairName) }
        : {}),
      blockDevices: [
        {
          deviceName: '/dev/xvda',
          volume: ec2.BlockDeviceVolume.ebs(30, {
            encrypted: true,
            volumeType: ec2.EbsDeviceVolumeType.GP3,
            deleteOnTermination: false,
          }),
        },
      ],
    });
    acknowledge(this.instance, [
      {
        id: 'AwsSolutions-EC29',
        reason:
          'The single host is one instance by design; its data volume survives termination (deleteOnTermination: false) and is backed up by snapshots.',
      },
    ]);

    new ec2.CfnEIPAssociation(this, 'ElasticIpAssociation', {
      allocationId: this.elasticIp.attrAllocationId,
      instanceId: this.instance.instanceId,
    });

    new CfnOutput(this, 'PublicIp', { value: this.elasticIp.attrPublicIp });
    new CfnOutput(this, 'ReleaseBucket', { value: this.bucket.bucketName });
    new CfnOutput(this, 'SmtpUrlSecret', { value: smtpUrl.secretArn });
  }
}

/**
 * The user data of the single host (Amazon Linux 2023): installs nginx and Node.js, pulls the
 * release from S3 through the instance role, renders the nginx site from deploy/nginx, and runs
 * the API as a systemd service (migrations first, as their own step).
 */
export function singleHostBootScript(options: {
  bucket: string;
  region: string;
  publicUrl: string;
  appSecretArn: string;
  smtpUrlArn: string;
}): string[] {
  const { bucket, region, publicUrl, appSecretArn, smtpUrlArn } = options;
  return [
    'set -euo pipefail',
    'dnf install -y nginx nodejs20 gettext tar',
    'id tickitnow >/dev/null 2>&1 || useradd --system --home-dir /var/lib/tickitnow --create-home tickitnow',
    'install -d -o root -g root /opt/tickitnow /srv/tickitnow/web',
    // The release pull is a script on the host, so a new release is one command away:
    // `sudo tickitnow-update` (deploy/single-host/release.sh uploads it first).
    "cat > /usr/local/sbin/tickitnow-update <<'UPDATE'",
    '#!/bin/sh',
    'set -eu',
    `aws s3 cp --region ${region} s3://${bucket}/release/server.tar.gz /tmp/server.tar.gz`,
    'rm -rf /opt/tickitnow/app.new && mkdir -p /opt/tickitnow/app.new',
    'tar -xzf /tmp/server.tar.gz -C /opt/tickitnow/app.new',
    'rm -rf /opt/tickitnow/app.old && if [ -d /opt/tickitnow/app ]; then mv /opt/tickitnow/app /opt/tickitnow/app.old; fi',
    'mv /opt/tickitnow/app.new /opt/tickitnow/app',
    `aws s3 sync --region ${region} --delete s3://${bucket}/web/ /srv/tickitnow/web/`,
    `aws s3 sync --region ${region} --delete s3://${bucket}/release/nginx/ /opt/tickitnow/nginx/`,
    'if systemctl is-enabled --quiet tickitnow.service; then systemctl restart tickitnow.service && nginx -s reload; fi',
    'UPDATE',
    'chmod 755 /usr/local/sbin/tickitnow-update',
    '/usr/local/sbin/tickitnow-update',
    'umask 077',
    'cat > /etc/tickitnow.env <<ENV',
    'NODE_ENV=production',
    'HOST=127.0.0.1',
    'PORT=3000',
    `PUBLIC_URL=${publicUrl}`,
    'DATA_DIR=/var/lib/tickitnow',
    'ALLOW_EMBEDDED_DATABASE=true',
    'SERVE_WEB=false',
    'TRUST_PROXY=true',
    'MAIL_DRIVER=smtp',
    `APP_SECRET=$(aws secretsmanager get-secret-value --region ${region} --secret-id ${appSecretArn} --query SecretString --output text)`,
    `SMTP_URL=$(aws secretsmanager get-secret-value --region ${region} --secret-id ${smtpUrlArn} --query SecretString --output text)`,
    'ENV',
    'cat > /etc/systemd/system/tickitnow.service <<UNIT',
    '[Unit]',
    'Description=TickItNow API and worker',
    'After=network-online.target',
    '[Service]',
    'User=tickitnow',
    'WorkingDirectory=/opt/tickitnow/app',
    'EnvironmentFile=/etc/tickitnow.env',
    'ExecStartPre=/usr/bin/node server/dist/cli.js migrate',
    'ExecStart=/usr/bin/node server/dist/cli.js serve',
    'Restart=always',
    'NoNewPrivileges=true',
    'ProtectSystem=strict',
    'ReadWritePaths=/var/lib/tickitnow',
    '[Install]',
    'WantedBy=multi-user.target',
    'UNIT',
    // Our main config (no default site) and our site, rendered from deploy/nginx.
    'install -m 644 /opt/tickitnow/nginx/nginx.conf /etc/nginx/nginx.conf',
    'API_UPSTREAM=127.0.0.1:3000 WEB_ROOT=/srv/tickitnow/web NGINX_RESOLVER=169.254.169.253 sh /opt/tickitnow/nginx/render.sh > /etc/nginx/conf.d/tickitnow.conf',
    'nginx -t',
    'systemctl daemon-reload',
    'systemctl enable --now tickitnow.service nginx.service',
  ];
}
