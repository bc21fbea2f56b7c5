import * as path from 'path';
import { Duration, Fn, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ManagedPolicy, PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFunction, LayerVersion, Runtime, RuntimeFamily } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import { Subscription, SubscriptionProtocol, Topic } from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';
import { FunctionSpec, statements, wildcards } from './function-spec';
import { IShareProvider } from './provider';
import { HEALTH_CHECK_FUNCTION, PARAMETER_DEFAULTS, PROVIDER_FUNCTION } from './provider.generated';

/** Properties of the bundled provider: what template.yaml's parameters offer. */
export interface BundledShareProviderProps {
  /**
   * Whom stacks may share with through this provider (template.yaml's `AllowedPrincipals`): `['ANY']`,
   * `['ORGANIZATION']`, or account IDs, organization IDs (o-...) and OU IDs (ou-...).
   *
   * @default ['ANY']
   */
  readonly allowedPrincipals?: string[];

  /**
   * Whether the role may turn Well-Architected organization sharing on (template.yaml's `OrganizationSharing`):
   * `organizations:EnableAWSServiceAccess` and `iam:CreateServiceLinkedRole`, which `OrganizationSharing` needs
   * while the account's setting is off. Organization and OU shares need neither.
   *
   * @default false
   */
  readonly organizationSharing?: boolean;

  /**
   * How long CloudWatch Logs keeps the provider's log, which records every share created and deleted.
   *
   * @default RetentionDays.ONE_YEAR
   */
  readonly logRetention?: RetentionDays;

  /**
   * When EventBridge Scheduler runs the rollout health check: a `rate()` or `cron()` expression. Given, the
   * stack also gets the health check's function, its schedule, the ShareProblems alarm and its SNS topic.
   *
   * @default - no health check
   */
  readonly healthCheckSchedule?: string;

  /**
   * An address the ShareProblems alarm notifies (SNS sends it a confirmation first); needs `healthCheckSchedule`.
   *
   * @default - the alarm notifies its SNS topic only
   */
  readonly alarmEmail?: string;
}

// The construct ID of the stack's bundled provider: one per stack, found again by it.
const ID = 'LensShareProvider';
// Where the provider's code is staged when the package is built (functions/provider, with crhelper).
const ASSET = path.join(__dirname, '..', 'assets', 'provider');
// The rollout health check's alarm: the health check writes ShareProblems under this service dimension.
const SERVICE = PROVIDER_FUNCTION.environment.POWERTOOLS_SERVICE_NAME;
const BASIC_EXECUTION = 'service-role/AWSLambdaBasicExecutionRole';

/**
 * The provider function deployed in the stack from the code this library ships: the function, role, log group
 * and optional health check that template.yaml declares, with the same statements. `ShareProvider.of(scope)`
 * makes it on first use; every share that names no provider uses it.
 */
export class BundledShareProvider extends Construct implements IShareProvider {
  /**
   * The stack's bundled provider, made on first use.
   *
   * @param props given only where the provider is made: before any share of the stack that names no provider
   */
  public static of(scope: IConstruct, props?: BundledShareProviderProps): BundledShareProvider {
    const stack = Stack.of(scope);
    const found = stack.node.tryFindChild(ID);
    if (found === undefined) {
      return new BundledShareProvider(stack, props ?? {});
    }
    if (props !== undefined) {
      throw new Error(`${stack.node.path}: the stack's bundled provider is made already; give its props on the first call of BundledShareProvider.of, before any share that names no provider.`);
    }
    return found as BundledShareProvider;
  }

  public readonly serviceToken: string;

  /** The provider's function. */
  public readonly function: LambdaFunction;

  /** The log group of the provider and its health check. */
  public readonly logGroup: LogGroup;

  /** Whether the role may turn organization sharing on. */
  public readonly organizationSharing: boolean;

  /** The health check's function, when `healthCheckSchedule` is given. */
  public readonly healthCheckFunction?: LambdaFunction;

  private constructor(stack: Stack, props: BundledShareProviderProps) {
    super(stack, ID);
    if (props.alarmEmail !== undefined && props.healthCheckSchedule === undefined) {
      throw new Error(`${this.node.path}: alarmEmail needs healthCheckSchedule: the alarm counts what the health check finds.`);
    }
    const allowed = (props.allowedPrincipals ?? [PARAMETER_DEFAULTS.AllowedPrincipals]).join(',');
    this.organizationSharing = props.organizationSharing ?? PARAMETER_DEFAULTS.OrganizationSharing === 'enabled';
    const settings: { [parameter: string]: string } = {
      AllowedPrincipals: allowed,
      OrganizationSharing: this.organizationSharing ? 'enabled' : 'disabled',
    };
    const conditions = {
      OrganizationSharingEnabled: this.organizationSharing,
      GuardWithOrganizations: !Token.isUnresolved(allowed) && allowed === 'ORGANIZATION',
    };
    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? Number(PARAMETER_DEFAULTS.LogRetentionInDays),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.function = this.makeFunction('Function', PROVIDER_FUNCTION, settings, conditions);
    this.serviceToken = this.function.functionArn;
    if (props.healthCheckSchedule !== undefined) {
      this.healthCheckFunction = this.makeFunction('HealthCheck', HEALTH_CHECK_FUNCTION, settings, {});
      this.healthCheck(this.healthCheckFunction, props.healthCheckSchedule, props.alarmEmail);
    }
  }

  private makeFunction(id: string, spec: FunctionSpec, settings: { [parameter: string]: string }, conditions: { [name: string]: boolean }): LambdaFunction {
    const role = new Role(this, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      managedPolicies: [ManagedPolicy.fromAwsManagedPolicyName(BASIC_EXECUTION)],
      inlinePolicies: { Statements: new PolicyDocument({ statements: statements(spec, conditions) }) },
    });
    acknowledge(role, [
      [`AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${BASIC_EXECUTION}]`, "The one managed policy template.yaml's SAM functions get: writing to the function's log group."],
      ...wildcards(spec, conditions).map((resource): [string, string] => [
        `AwsSolutions-IAM5[Resource::${resource}]`,
        "template.yaml's resource: every lens, profile, template, workload or stack of the account (IAM's narrowest resource for what the provider is asked to share), or * for actions IAM gives no resource type.",
      ]),
    ]);
    const variables = Object.fromEntries(Object.entries(spec.parameters).map(([name, parameter]) => [name, settings[parameter]]));
    const made = new LambdaFunction(this, id, {
      code: Code.fromAsset(ASSET),
      handler: spec.handler,
      runtime: new Runtime(spec.runtime, RuntimeFamily.PYTHON),
      architecture: Architecture.custom(spec.architecture),
      memorySize: spec.memorySize,
      timeout: Duration.seconds(spec.timeout),
      layers: [LayerVersion.fromLayerVersionArn(this, `${id}Powertools`, Fn.sub(spec.layer))],
      logGroup: this.logGroup,
      environment: { ...spec.environment, ...variables },
      role,
    });
    acknowledge(made, [
      ['AwsSolutions-L1', `${spec.runtime} is template.yaml's runtime, the one the provider is tested on and its Powertools layer is built for.`],
    ]);
    return made;
  }

  private healthCheck(target: LambdaFunction, schedule: string, email: string | undefined): void {
    // As template.yaml has it: the scheduler may invoke the health check's function and nothing else.
    const invoker = new Role(this, 'HealthCheckSchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } } }),
      inlinePolicies: {
        InvokeHealthCheck: new PolicyDocument({
          statements: [new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [target.functionArn] })],
        }),
      },
    });
    new CfnSchedule(this, 'HealthCheckSchedule', {
      description: 'Rollout health check of the share provider (report in its log and metrics).',
      scheduleExpression: schedule,
      flexibleTimeWindow: { mode: 'OFF' },
      target: { arn: target.functionArn, roleArn: invoker.roleArn },
    });
    const topic = new Topic(this, 'ShareProblemsTopic', { displayName: 'Share problems', enforceSSL: true });
    acknowledge(topic, [
      ['AwsSolutions-SNS2', 'The topic carries CloudWatch alarm notifications (an alarm name and a count), nothing secret; a customer managed key would add a key policy and a monthly cost, as template.yaml says.'],
    ]);
    if (email !== undefined) {
      new Subscription(this, 'ShareProblemsEmail', { topic, protocol: SubscriptionProtocol.EMAIL, endpoint: email });
    }
    const alarm = new Alarm(this, 'ShareProblemsAlarm', {
      alarmDescription: 'The rollout health check found shares that expired, were rejected, failed or were deleted behind the stacks\' backs; the provider\'s log has one "Share problem" line for each.',
      metric: new Metric({
        namespace: PROVIDER_FUNCTION.environment.POWERTOOLS_METRICS_NAMESPACE,
        metricName: 'ShareProblems',
        dimensionsMap: { service: SERVICE },
        statistic: 'Maximum',
        period: Duration.hours(1),
      }),
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.IGNORE,
    });
    alarm.addAlarmAction(new SnsAction(topic));
    alarm.addOkAction(new SnsAction(topic));
  }
}

/** cdk-nag's exceptions, each finding with its reason, acknowledged as CDK's validations read them. */
function acknowledge(scope: IConstruct, rules: [string, string][]): void {
  rules.forEach(([id, reason]) => Validations.of(scope).acknowledge({ id, reason }));
}
