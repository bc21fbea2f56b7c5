// The bundled provider (ShareProvider.of), serviceTimeout, organization sharing by name, validation of literal
// identifiers, and the registry-type constructs.
const { App, CfnParameter, Duration, Stack } = require('aws-cdk-lib');
const { Annotations, Match, Template } = require('aws-cdk-lib/assertions');
const { RetentionDays } = require('aws-cdk-lib/aws-logs');
const shares = require('../lib');
const templateRoles = require('./roles.generated.json');

const LENS = 'arn:aws:wellarchitected:us-east-1:111111111111:lens/0123456789abcdef0123456789abcdef';
const PROFILE = 'arn:aws:wellarchitected:us-east-1:111111111111:profile/abc123';
const TEMPLATE = 'arn:aws:wellarchitected:us-east-1:111111111111:review-template/0123456789abcdef0123456789abcdef';
const WORKLOAD = '0123456789abcdef0123456789abcdef';
const OU = 'ou-ab12-cd34ef56';

function stack(env) {
  return new Stack(new App(), 'Shares', env ? { env } : undefined);
}

const synth = (scope) => () => scope.node.root.synth();
const logicalId = (scope, construct) => scope.getLogicalId(construct.node.defaultChild ?? construct);

describe('ShareProvider.of', () => {
  test('one provider function per stack, however many shares and calls', () => {
    const app = new App();
    const first = new Stack(app, 'First');
    const second = new Stack(app, 'Second');
    new shares.LensShare(first, 'Lens', { lensArn: LENS, sharedWith: '222222222222' });
    new shares.WorkloadShare(first, 'Workload', { workloadId: WORKLOAD, sharedWith: '222222222222' });
    new shares.LensRollout(first, 'Rollout', { lensArn: LENS, accounts: ['333333333333', '444444444444'] });
    expect(shares.ShareProvider.of(first)).toBe(shares.ShareProvider.of(first.node.findChild('Lens')));
    new shares.ProfileShare(second, 'Profile', { profileArn: PROFILE, sharedWith: '222222222222' });

    const template = Template.fromStack(first);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    const [functionId] = Object.keys(template.findResources('AWS::Lambda::Function'));
    const tokens = Object.values(template.toJSON().Resources)
      .filter((resource) => resource.Type.startsWith('Custom::'))
      .map((resource) => resource.Properties.ServiceToken);
    expect(tokens).toHaveLength(4);
    expect(new Set(tokens.map((token) => JSON.stringify(token)))).toEqual(new Set([JSON.stringify({ 'Fn::GetAtt': [functionId, 'Arn'] })]));
    Template.fromStack(second).resourceCountIs('AWS::Lambda::Function', 1);
  });

  test('the function runs the shipped code on python3.13 with Powertools from its layer, logging to a log group of a year', () => {
    const scope = stack();
    new shares.LensShare(scope, 'Lens', { lensArn: LENS, sharedWith: '222222222222' });
    const template = Template.fromStack(scope);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'python3.13',
      Handler: 'lens_share.app.handler',
      Timeout: 300,
      Architectures: ['arm64'],
      Layers: [{ 'Fn::Sub': Match.stringLikeRegexp(':017000801446:layer:AWSLambdaPowertoolsPythonV3-python313-arm64:') }],
      Code: { S3Key: Match.stringLikeRegexp('\\.zip$') },
      Environment: { Variables: Match.objectLike({ ALLOWED_PRINCIPALS: 'ANY', ORGANIZATION_SHARING: 'disabled' }) },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
    template.resourceCountIs('AWS::Scheduler::Schedule', 0);
  });

  test('props are given on first use; given again once it is made, they are refused', () => {
    const scope = stack();
    shares.BundledShareProvider.of(scope, {
      allowedPrincipals: ['111122223333', OU],
      organizationSharing: true,
      logRetention: RetentionDays.ONE_MONTH,
    });
    new shares.LensShare(scope, 'Lens', { lensArn: LENS, sharedWith: '111122223333' });
    const template = Template.fromStack(scope);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ ALLOWED_PRINCIPALS: `111122223333,${OU}`, ORGANIZATION_SHARING: 'enabled' }) },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    expect(() => shares.BundledShareProvider.of(scope, { organizationSharing: false })).toThrow(
      'Shares: the stack\'s bundled provider is made already; give its props on the first call',
    );
  });

  test('the health check, its schedule, alarm and e-mail come with healthCheckSchedule', () => {
    const scope = stack();
    shares.BundledShareProvider.of(scope, { healthCheckSchedule: 'rate(1 day)', alarmEmail: 'ops@example.com' });
    const template = Template.fromStack(scope);
    template.resourceCountIs('AWS::Lambda::Function', 2);
    template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'lens_share.health.app.handler' });
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(1 day)' });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'LensShareProvider',
      MetricName: 'ShareProblems',
      Dimensions: [{ Name: 'service', Value: 'lens-share-provider' }],
      Threshold: 0,
    });
    expect(() => shares.BundledShareProvider.of(stack(), { alarmEmail: 'ops@example.com' })).toThrow('alarmEmail needs healthCheckSchedule');
  });
});

describe('the bundled provider\'s roles are template.yaml\'s after the SAM transform', () => {
  const list = (value) => (Array.isArray(value) ? value : [value]);
  const partition = (value) =>
    value['Fn::Join'] ? value['Fn::Join'][1].map((part) => (part.Ref === 'AWS::Partition' ? 'aws' : part)).join('') : value;
  const statement = (each) => ({ ...each, Action: list(each.Action).sort(), Resource: list(each.Resource) });
  const trust = (document) =>
    document.Statement.map((each) => ({ ...each, Action: list(each.Action), Principal: { Service: list(each.Principal.Service) } }));
  const normal = (role) => ({
    trust: trust(role.AssumeRolePolicyDocument),
    managed: role.ManagedPolicyArns.map(partition),
    statements: role.Statements.map(statement).sort((a, b) => a.Sid.localeCompare(b.Sid)),
  });
  const synthesized = (template, functionResource) => {
    const roleId = functionResource.Properties.Role['Fn::GetAtt'][0];
    const role = template.Resources[roleId].Properties;
    return { ...role, Statements: role.Policies.flatMap((policy) => policy.PolicyDocument.Statement) };
  };

  test.each([
    ['ANY', 'disabled'],
    ['ANY', 'enabled'],
    ['ORGANIZATION', 'disabled'],
    ['ORGANIZATION', 'enabled'],
  ])('AllowedPrincipals %s, OrganizationSharing %s', (allowed, sharing) => {
    const scope = stack();
    shares.BundledShareProvider.of(scope, {
      allowedPrincipals: [allowed],
      organizationSharing: sharing === 'enabled',
      healthCheckSchedule: 'rate(1 day)',
    });
    const template = Template.fromStack(scope).toJSON();
    const functions = Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::Lambda::Function');
    const byHandler = Object.fromEntries(functions.map((each) => [each.Properties.Handler, synthesized(template, each)]));
    expect(normal(byHandler['lens_share.app.handler'])).toEqual(normal(templateRoles[`PROVIDER_FUNCTION ${allowed} ${sharing}`]));
    expect(normal(byHandler['lens_share.health.app.handler'])).toEqual(normal(templateRoles[`HEALTH_CHECK_FUNCTION ${allowed} ${sharing}`]));
  });

  test('without organization sharing no statement grants the organization powers, and no action is a wildcard', () => {
    const scope = stack();
    new shares.LensShare(scope, 'Lens', { lensArn: LENS, sharedWith: 'o-a1b2c3d4e5' });
    const template = Template.fromStack(scope).toJSON();
    const actions = Object.values(template.Resources)
      .filter((resource) => resource.Type === 'AWS::IAM::Role')
      .flatMap((role) => role.Properties.Policies.flatMap((policy) => policy.PolicyDocument.Statement))
      .flatMap((each) => list(each.Action));
    expect(actions).not.toContain('organizations:EnableAWSServiceAccess');
    expect(actions).not.toContain('iam:CreateServiceLinkedRole');
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
  });
});

describe('serviceTimeout', () => {
  test('every resource waits the function\'s timeout plus a minute, whichever provider serves it', () => {
    const scope = stack();
    const imported = shares.ShareProvider.fromStackExport(scope, 'Imported');
    new shares.LensShare(scope, 'Lens', { lensArn: LENS, sharedWith: '222222222222' });
    new shares.ProfileShare(scope, 'Profile', { provider: imported, profileArn: PROFILE, sharedWith: '222222222222' });
    new shares.ReviewTemplateShare(scope, 'Template', { templateArn: TEMPLATE, sharedWith: '222222222222' });
    new shares.WorkloadShare(scope, 'Workload', { workloadId: WORKLOAD, sharedWith: '222222222222' });
    new shares.OrganizationSharing(scope, 'Sharing', { provider: imported });
    new shares.ShareInvitation(scope, 'Accept', { lensArn: LENS });
    const custom = Object.values(Template.fromStack(scope).toJSON().Resources).filter((each) => each.Type.startsWith('Custom::'));
    expect(custom).toHaveLength(6);
    expect(custom.map((each) => each.Properties.ServiceTimeout)).toEqual(Array(6).fill('360'));
  });

  test('a serviceTimeout given is the one set', () => {
    const scope = stack();
    new shares.LensShare(scope, 'Lens', { lensArn: LENS, sharedWith: '222222222222', serviceTimeout: Duration.minutes(10) });
    Template.fromStack(scope).hasResourceProperties('Custom::LensShare', { ServiceTimeout: '600' });
  });
});

describe('organization sharing, by name', () => {
  test('a share depends on the OrganizationSharing it names, a token principal too; OrganizationSharing.of is one per stack', () => {
    const scope = stack();
    const sharing = shares.OrganizationSharing.of(scope);
    expect(shares.OrganizationSharing.of(scope)).toBe(sharing);
    const principal = new CfnParameter(scope, 'Principal').valueAsString;
    const named = new shares.LensShare(scope, 'Named', { lensArn: LENS, sharedWith: principal, organizationSharing: sharing });
    const token = new shares.LensShare(scope, 'Token', { lensArn: LENS, sharedWith: principal });
    const resources = Template.fromStack(scope).toJSON().Resources;
    expect(resources[logicalId(scope, named)].DependsOn).toEqual([logicalId(scope, sharing)]);
    expect(resources[logicalId(scope, token)].DependsOn).toBeUndefined();
  });

  test('OrganizationSharing on a bundled provider without organizationSharing is warned of; with it, not', () => {
    const without = stack();
    shares.OrganizationSharing.of(without);
    Annotations.fromStack(without).hasWarning('/Shares/OrganizationSharing', Match.stringLikeRegexp('organizationSharing: true'));
    const granted = stack();
    shares.BundledShareProvider.of(granted, { organizationSharing: true });
    shares.OrganizationSharing.of(granted);
    Annotations.fromStack(granted).hasNoWarning('*', Match.anyValue());
  });
});

describe('literal identifiers checked at synth, in the provider\'s words', () => {
  test.each([
    [
      (scope) => new shares.LensShare(scope, 'Share', { lensArn: 'arn:aws:wellarchitected:us-east-1:111111111111:lens/nope', sharedWith: '222222222222' }),
      "[Shares/Share] LensAlias 'arn:aws:wellarchitected:us-east-1:111111111111:lens/nope' is not a custom lens ARN; expected arn:<partition>:wellarchitected:<region>:<account>:lens/<32 hex>, e.g. !GetAtt MyLens.LensArn.",
    ],
    [
      (scope) => new shares.LensShare(scope, 'Share', { lensArn: 'serverless', sharedWith: '222222222222' }),
      "[Shares/Share] LensAlias 'serverless' names an AWS official lens, and official lenses cannot be shared; give the ARN of a custom lens",
    ],
    [
      (scope) => new shares.ProfileShare(scope, 'Share', { profileArn: 'profile/abc', sharedWith: '222222222222' }),
      "[Shares/Share] ProfileArn 'profile/abc' is not a profile ARN; expected arn:<partition>:wellarchitected:<region>:<account>:profile/<id>",
    ],
    [
      (scope) => new shares.ReviewTemplateShare(scope, 'Share', { templateArn: LENS, sharedWith: '222222222222' }),
      /\[Shares\/Share\] TemplateArn 'arn:aws:wellarchitected:us-east-1:111111111111:lens\/0123456789abcdef0123456789a…' is not a review template ARN/,
    ],
    [
      (scope) => new shares.WorkloadShare(scope, 'Share', { workloadId: 'payments', sharedWith: '222222222222' }),
      "[Shares/Share] WorkloadId 'payments' is not a workload ID; expected 32 hexadecimal digits, e.g. !GetAtt MyWorkload.WorkloadId.",
    ],
  ])('%#: a malformed identifier fails synthesis', (declare, message) => {
    const scope = stack();
    declare(scope);
    expect(synth(scope)).toThrow(message);
  });

  test('the bundled provider serves its stack\'s Region and account alone; an imported one is not assumed to', () => {
    const scope = stack({ account: '111111111111', region: 'eu-west-1' });
    new shares.LensShare(scope, 'Region', { lensArn: LENS, sharedWith: '222222222222' });
    new shares.LensShare(scope, 'Imported', { provider: shares.ShareProvider.fromStackExport(scope, 'Provider'), lensArn: LENS, sharedWith: '222222222222' });
    expect(synth(scope)).toThrow(
      "is a lens of Region us-east-1, but this provider serves eu-west-1; use the ServiceToken of a provider deployed in us-east-1.",
    );
    expect(synth(scope)).toThrow('[Shares/Region] LensAlias');
    expect(synth(scope)).not.toThrow('Shares/Imported');
    const other = stack({ account: '999999999999', region: 'us-east-1' });
    new shares.LensShare(other, 'Account', { lensArn: LENS, sharedWith: '222222222222' });
    expect(synth(other)).toThrow(`belongs to account 111111111111, but this provider runs in 999999999999; only the lens owner's account can share it.`);
  });

  test('identifiers that are tokens, and well-formed ones, pass', () => {
    const scope = stack({ account: '111111111111', region: 'us-east-1' });
    const token = new CfnParameter(scope, 'Lens').valueAsString;
    new shares.LensShare(scope, 'Token', { lensArn: token, sharedWith: '222222222222' });
    new shares.LensShare(scope, 'Literal', { lensArn: LENS, sharedWith: '222222222222' });
    new shares.WorkloadShare(scope, 'Workload', { workloadId: WORKLOAD, sharedWith: '222222222222' });
    expect(synth(scope)).not.toThrow();
  });
});

describe('registry-type constructs', () => {
  test('each is its <Namespace>::WellArchitected:: type with the schema\'s properties and read-only attributes', () => {
    const scope = stack();
    const lens = new shares.RegistryLensShare(scope, 'Lens', { lensArn: LENS, sharedWith: '222222222222', invitationRound: '1' });
    new shares.RegistryProfileShare(scope, 'Profile', { profileArn: PROFILE, sharedWith: OU });
    new shares.RegistryReviewTemplateShare(scope, 'Template', { templateArn: TEMPLATE, sharedWith: 'o-a1b2c3d4e5' });
    const workload = new shares.RegistryWorkloadShare(scope, 'Workload', {
      namespace: 'Acme',
      workloadId: WORKLOAD,
      sharedWith: '222222222222',
      permissionType: 'CONTRIBUTOR',
    });
    const template = Template.fromStack(scope);
    template.hasResourceProperties('LensShareProvider::WellArchitected::LensShare', {
      LensArn: LENS,
      SharedWith: '222222222222',
      InvitationRound: '1',
    });
    template.hasResourceProperties('LensShareProvider::WellArchitected::ProfileShare', { ProfileArn: PROFILE, SharedWith: OU });
    template.hasResourceProperties('LensShareProvider::WellArchitected::ReviewTemplateShare', { TemplateArn: TEMPLATE });
    template.hasResourceProperties('Acme::WellArchitected::WorkloadShare', { WorkloadId: WORKLOAD, PermissionType: 'CONTRIBUTOR' });
    template.resourceCountIs('AWS::Lambda::Function', 0);
    expect(scope.resolve(lens.attrShareId)).toEqual({ 'Fn::GetAtt': [logicalId(scope, lens), 'ShareId'] });
    expect(scope.resolve(workload.attrStatus)).toEqual({ 'Fn::GetAtt': [logicalId(scope, workload), 'Status'] });
  });

  test('a namespace the registry refuses is refused', () => {
    const scope = stack();
    expect(() => new shares.RegistryLensShare(scope, 'Lens', { namespace: 'AWS', lensArn: LENS, sharedWith: '222222222222' })).toThrow(
      "namespace 'AWS' must be 2 to 64 letters and digits and not one the registry reserves",
    );
  });

  test('literal values are checked as the provider checks them, by the registry property names', () => {
    const scope = stack();
    new shares.RegistryLensShare(scope, 'Lens', { lensArn: 'arn:aws:nope', sharedWith: '12345' });
    new shares.RegistryWorkloadShare(scope, 'Workload', { workloadId: WORKLOAD, sharedWith: '222222222222', permissionType: 'OWNER' });
    expect(synth(scope)).toThrow("[Shares/Lens] LensArn 'arn:aws:nope' is not a custom lens ARN");
    expect(synth(scope)).toThrow("[Shares/Lens] SharedWith '12345' is not a principal a lens can be shared with");
    expect(synth(scope)).toThrow("[Shares/Workload] PermissionType 'OWNER' must be 'READONLY' or 'CONTRIBUTOR'.");
  });
});

describe('1.3.0\'s API', () => {
  test('an app written for 1.3.0 synthesizes the same template, each custom resource with its ServiceTimeout besides', () => {
    const before = require('./fixtures/app-1.3.0.template.json');
    const now = require('./app-1.3.0').app(shares);
    const custom = Object.values(now.Resources).filter((resource) => resource.Type.startsWith('Custom::'));
    expect(custom.map((resource) => resource.Properties.ServiceTimeout)).toEqual(Array(custom.length).fill('360'));
    custom.forEach((resource) => delete resource.Properties.ServiceTimeout);
    expect(now).toEqual(before);
  });
});
