// Synthesized templates of every construct, asserted with aws-cdk-lib/assertions.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { App, CfnParameter, CfnResource, CloudFormationValidatePlugin, Stack, Validations } = require('aws-cdk-lib');
const { Annotations, Match, Template } = require('aws-cdk-lib/assertions');
const { Bucket } = require('aws-cdk-lib/aws-s3');
const { CfnLens } = require('aws-cdk-lib/aws-wellarchitected');
const { AwsSolutionsChecks } = require('cdk-nag');
const shares = require('../lib');

const LENS = 'arn:aws:wellarchitected:us-east-1:111111111111:lens/0123456789abcdef0123456789abcdef';
const PROFILE = 'arn:aws:wellarchitected:us-east-1:111111111111:profile/abc123';
const TEMPLATE = 'arn:aws:wellarchitected:us-east-1:111111111111:review-template/0123456789abcdef0123456789abcdef';
const WORKLOAD = '0123456789abcdef0123456789abcdef';
const OU = 'ou-ab12-cd34ef56';

function stack() {
  return new Stack(new App(), 'Shares');
}

function imported(scope) {
  return shares.ShareProvider.fromStackExport(scope, 'Provider');
}

const IMPORTED_TOKEN = { 'Fn::ImportValue': 'lens-share-provider-ServiceToken' };

describe('ShareProvider', () => {
  test('fromStackExport imports the default export, or the one named', () => {
    const scope = stack();
    expect(scope.resolve(shares.ShareProvider.fromStackExport(scope, 'Default').serviceToken)).toEqual(IMPORTED_TOKEN);
    const named = shares.ShareProvider.fromStackExport(scope, 'Named', 'serverlessrepo-shares-ServiceToken');
    expect(scope.resolve(named.serviceToken)).toEqual({ 'Fn::ImportValue': 'serverlessrepo-shares-ServiceToken' });
  });

  test('fromServiceToken takes the function ARN as it is', () => {
    const scope = stack();
    const arn = 'arn:aws:lambda:us-east-1:111111111111:function:provider';
    expect(shares.ShareProvider.fromServiceToken(scope, 'Provider', arn).serviceToken).toBe(arn);
  });

  test('a nested provider is the pinned Serverless Application Repository application and gives its ServiceToken', () => {
    const scope = stack();
    const provider = new shares.ShareProvider(scope, 'Provider', { allowedPrincipals: ['111122223333', OU] });
    new shares.LensShare(scope, 'Share', { provider, lensArn: LENS, sharedWith: '222222222222' });
    const template = Template.fromStack(scope);
    expect(template.toJSON().Transform).toBe('AWS::Serverless-2016-10-31');
    template.hasResourceProperties('AWS::Serverless::Application', {
      Location: {
        ApplicationId: {
          'Fn::Sub': 'arn:${AWS::Partition}:serverlessrepo:${AWS::Region}:${AWS::AccountId}:applications/lens-share-provider',
        },
        SemanticVersion: require('../package.json').version,
      },
      Parameters: { AllowedPrincipals: `111122223333,${OU}` },
    });
    const [application] = Object.keys(template.findResources('AWS::Serverless::Application'));
    template.hasResourceProperties('Custom::LensShare', {
      ServiceToken: { 'Fn::GetAtt': [application, 'Outputs.ServiceToken'] },
    });
  });

  test('a nested provider takes the application and version given, and no parameters by default', () => {
    const scope = stack();
    const applicationId = 'arn:aws:serverlessrepo:us-east-1:123456789012:applications/lens-share-provider';
    new shares.ShareProvider(scope, 'Provider', { applicationId, semanticVersion: '1.1.0' });
    Template.fromStack(scope).hasResourceProperties('AWS::Serverless::Application', {
      Location: { ApplicationId: applicationId, SemanticVersion: '1.1.0' },
      Parameters: Match.absent(),
    });
  });
});

describe('shares', () => {
  test('each share is its Custom:: type with the schema property names and typed attributes', () => {
    const scope = stack();
    const provider = imported(scope);
    const lens = new shares.LensShare(scope, 'Lens', { provider, lensArn: LENS, sharedWith: '222222222222', invitationRound: '2' });
    const profile = new shares.ProfileShare(scope, 'Profile', { provider, profileArn: PROFILE, sharedWith: OU });
    new shares.ReviewTemplateShare(scope, 'Template', { provider, templateArn: TEMPLATE, sharedWith: 'o-a1b2c3d4e5' });
    const workload = new shares.WorkloadShare(scope, 'Workload', {
      provider,
      workloadId: WORKLOAD,
      sharedWith: 'arn:aws:iam::222222222222:user/reviewer',
      permissionType: 'CONTRIBUTOR',
    });
    const template = Template.fromStack(scope);
    template.hasResourceProperties('Custom::LensShare', {
      ServiceToken: IMPORTED_TOKEN,
      LensAlias: LENS,
      SharedWith: '222222222222',
      InvitationRound: '2',
    });
    template.hasResourceProperties('Custom::ProfileShare', { ProfileArn: PROFILE, SharedWith: OU });
    template.hasResourceProperties('Custom::ReviewTemplateShare', { TemplateArn: TEMPLATE, SharedWith: 'o-a1b2c3d4e5' });
    template.hasResourceProperties('Custom::WorkloadShare', { WorkloadId: WORKLOAD, PermissionType: 'CONTRIBUTOR' });
    template.hasResource('Custom::LensShare', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    const id = (construct) => scope.getLogicalId(construct.node.defaultChild);
    expect(scope.resolve(lens.shareId)).toEqual({ 'Fn::GetAtt': [id(lens), 'ShareId'] });
    expect(scope.resolve(lens.lensArn)).toEqual({ 'Fn::GetAtt': [id(lens), 'LensArn'] });
    expect(scope.resolve(lens.sharedWith)).toEqual({ 'Fn::GetAtt': [id(lens), 'SharedWith'] });
    expect(scope.resolve(profile.profileArn)).toEqual({ 'Fn::GetAtt': [id(profile), 'ProfileArn'] });
    expect(scope.resolve(workload.permissionType)).toEqual({ 'Fn::GetAtt': [id(workload), 'PermissionType'] });
  });

  test('properties left out are left to the provider and its defaults', () => {
    const scope = stack();
    new shares.WorkloadShare(scope, 'Workload', { provider: imported(scope), workloadId: WORKLOAD, sharedWith: '222222222222' });
    Template.fromStack(scope).hasResourceProperties('Custom::WorkloadShare', {
      PermissionType: Match.absent(),
      InvitationRound: Match.absent(),
    });
  });

  test('organization and OU shares depend on the stack\'s OrganizationSharing, declared before or after them', () => {
    const scope = stack();
    const provider = imported(scope);
    const before = new shares.LensShare(scope, 'OrganizationShare', { provider, lensArn: LENS, sharedWith: 'o-a1b2c3d4e5' });
    const sharing = new shares.OrganizationSharing(scope, 'OrganizationSharing', { provider, disableOnDelete: true });
    const after = new shares.ProfileShare(scope, 'OuShare', { provider, profileArn: PROFILE, sharedWith: OU });
    const account = new shares.LensShare(scope, 'AccountShare', { provider, lensArn: LENS, sharedWith: '222222222222' });
    const template = Template.fromStack(scope);
    template.hasResourceProperties('Custom::WellArchitectedOrganizationSharing', { DisableOnDelete: 'true' });
    const sharingId = scope.getLogicalId(sharing.node.defaultChild);
    const dependsOn = (construct) => template.toJSON().Resources[scope.getLogicalId(construct.node.defaultChild)].DependsOn;
    expect(dependsOn(before)).toEqual([sharingId]);
    expect(dependsOn(after)).toEqual([sharingId]);
    expect(dependsOn(account)).toBeUndefined();
    expect(scope.resolve(sharing.organizationSharingStatus)).toEqual({ 'Fn::GetAtt': [sharingId, 'OrganizationSharingStatus'] });
  });

  test('OrganizationSharing leaves sharing on by default', () => {
    const scope = stack();
    new shares.OrganizationSharing(scope, 'OrganizationSharing', { provider: imported(scope) });
    Template.fromStack(scope).hasResourceProperties('Custom::WellArchitectedOrganizationSharing', {
      DisableOnDelete: Match.absent(),
    });
  });

  test('a ShareInvitation accepts the one resource named, and gives the invitation ID', () => {
    const scope = stack();
    const invitation = new shares.ShareInvitation(scope, 'Accept', { provider: imported(scope), profileArn: PROFILE, invitationRound: '2' });
    const template = Template.fromStack(scope);
    template.hasResourceProperties('Custom::ShareInvitation', { ProfileArn: PROFILE, InvitationRound: '2', LensArn: Match.absent() });
    expect(scope.resolve(invitation.shareInvitationId)).toEqual({
      'Fn::GetAtt': [scope.getLogicalId(invitation.node.defaultChild), 'ShareInvitationId'],
    });
  });
});

describe('synth-time validation, in the provider\'s words', () => {
  const synth = (scope) => () => scope.node.root.synth();

  test.each([
    ['12345678901', 'lens'],
    ['o-short', 'lens'],
    ['arn:aws:iam::222222222222:group/admins', 'lens'],
  ])('SharedWith %p fails synthesis naming the construct path and the property', (sharedWith, noun) => {
    const scope = stack();
    new shares.LensShare(scope, 'Share', { provider: imported(scope), lensArn: LENS, sharedWith });
    expect(synth(scope)).toThrow(
      `[Shares/Share] SharedWith '${sharedWith}' is not a principal a ${noun} can be shared with; give a 12-digit ` +
        'account ID, an IAM user ARN (arn:aws:iam::123456789012:user/name), an IAM role ARN, an organization ID ' +
        '(o-xxxxxxxxxx), an OU ID (ou-xxxx-xxxxxxxx).',
    );
  });

  test('each kind names itself', () => {
    const scope = stack();
    new shares.ReviewTemplateShare(scope, 'Share', { provider: imported(scope), templateArn: TEMPLATE, sharedWith: 'nobody' });
    expect(synth(scope)).toThrow("SharedWith 'nobody' is not a principal a review template can be shared with");
  });

  test('a PermissionType outside its values fails; its case does not matter, as to the provider', () => {
    const scope = stack();
    const provider = imported(scope);
    new shares.WorkloadShare(scope, 'Lower', { provider, workloadId: WORKLOAD, sharedWith: '222222222222', permissionType: 'contributor' });
    new shares.WorkloadShare(scope, 'Share', { provider, workloadId: WORKLOAD, sharedWith: '222222222222', permissionType: 'ADMIN' });
    expect(synth(scope)).toThrow(
      "[Shares/Share] PermissionType 'ADMIN' must be 'READONLY' or 'CONTRIBUTOR' (default 'READONLY').",
    );
    expect(synth(scope)).not.toThrow('Shares/Lower');
  });

  test('two resources on one ShareInvitation fail, and so does none', () => {
    const scope = stack();
    const provider = imported(scope);
    new shares.ShareInvitation(scope, 'Two', { provider, lensArn: LENS, profileArn: PROFILE });
    new shares.ShareInvitation(scope, 'None', { provider });
    const names = 'LensArn, ProfileArn, TemplateArn, WorkloadId';
    expect(synth(scope)).toThrow(`[Shares/Two] Custom::ShareInvitation needs exactly one of ${names}; got LensArn, ProfileArn.`);
    expect(synth(scope)).toThrow(`[Shares/None] Custom::ShareInvitation needs exactly one of ${names}; got none.`);
  });

  test('values quoted as the provider quotes them: cut short, in Python\'s quotes', () => {
    const scope = stack();
    new shares.LensShare(scope, 'Share', { provider: imported(scope), lensArn: LENS, sharedWith: `it's ${'x'.repeat(90)}` });
    expect(synth(scope)).toThrow(`SharedWith "it's ${'x'.repeat(74)}…" is not a principal`);
  });

  test('tokens pass through unvalidated', () => {
    const scope = stack();
    const provider = imported(scope);
    const principal = new CfnParameter(scope, 'Principal').valueAsString;
    const permission = new CfnParameter(scope, 'Permission').valueAsString;
    new shares.LensShare(scope, 'Share', { provider, lensArn: LENS, sharedWith: principal });
    new shares.WorkloadShare(scope, 'Workload', { provider, workloadId: WORKLOAD, sharedWith: principal, permissionType: permission });
    new shares.ShareInvitation(scope, 'Accept', { provider, lensArn: principal });
    expect(synth(scope)).not.toThrow();
  });
});

describe('LensRollout', () => {
  function rollout(accounts, organizationalUnits) {
    const scope = stack();
    new shares.LensRollout(scope, 'Rollout', {
      provider: imported(scope),
      lensArn: LENS,
      accounts,
      organizationalUnits,
      invitationRound: '1',
    });
    return Template.fromStack(scope).findResources('Custom::LensShare');
  }

  test('one share per principal, each with a logical ID derived from its principal alone', () => {
    const before = rollout(['111122223333', '444455556666'], [OU]);
    const after = rollout(['111122223333'], [OU, 'ou-ab12-ef56gh78']);
    const principals = (resources) =>
      Object.fromEntries(Object.entries(resources).map(([id, resource]) => [resource.Properties.SharedWith, id]));
    expect(Object.keys(principals(before))).toEqual(['111122223333', '444455556666', OU]);
    expect(principals(after)['111122223333']).toBe(principals(before)['111122223333']);
    expect(principals(after)[OU]).toBe(principals(before)[OU]);
    expect(principals(after)['111122223333']).toMatch(/^Rollout111122223333/);
    expect(Object.values(before).every((resource) => resource.Properties.InvitationRound === '1')).toBe(true);
  });

  test('its OU shares depend on OrganizationSharing', () => {
    const scope = stack();
    const provider = imported(scope);
    const sharing = new shares.OrganizationSharing(scope, 'OrganizationSharing', { provider });
    const rolled = new shares.LensRollout(scope, 'Rollout', { provider, lensArn: LENS, accounts: ['111122223333'], organizationalUnits: [OU] });
    const resources = Template.fromStack(scope).toJSON().Resources;
    const [account, unit] = rolled.shares.map((share) => resources[scope.getLogicalId(share.node.defaultChild)]);
    expect(account.DependsOn).toBeUndefined();
    expect(unit.DependsOn).toEqual([scope.getLogicalId(sharing.node.defaultChild)]);
  });

  test('a principal twice, or a token, is refused', () => {
    const scope = stack();
    const provider = imported(scope);
    expect(() => new shares.LensRollout(scope, 'Twice', { provider, lensArn: LENS, accounts: ['111122223333', '111122223333'] })).toThrow(
      'Shares/Twice: 111122223333 listed more than once; a principal has one share.',
    );
    const token = new CfnParameter(scope, 'Account').valueAsString;
    expect(() => new shares.LensRollout(scope, 'Token', { provider, lensArn: LENS, accounts: [token] })).toThrow(
      'must be literal IDs, not tokens',
    );
  });
});

describe('cdk-nag', () => {
  // The rules AwsSolutions reports on a stack: synthesis fails on any, and the report names them.
  function nagged(build) {
    const scope = new Stack(new App(), 'Program');
    build(scope);
    return scope;
  }

  // AWS's CloudFormation validation, one engine for the harness: each takes a second to start.
  let cloudFormationValidation;

  function violations(build) {
    cloudFormationValidation ??= new CloudFormationValidatePlugin();
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'nag-'));
    try {
      const app = new App({ outdir, context: { '@aws-cdk/core:validationReportJson': true } });
      build(new Stack(app, 'Program'));
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app), cloudFormationValidation);
      try {
        app.synth();
      } catch (error) {
        expect(error.message).toMatch('A copy of this report can be found in');
      }
      const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf-8'));
      return report.pluginReports.flatMap((plugin) => plugin.violations.map((violation) => violation.ruleName));
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }

  test('AwsSolutions finds nothing in an app of every construct', () => {
    const found = violations((scope) => {
      const provider = new shares.ShareProvider(scope, 'Provider');
      const lens = new CfnLens(scope, 'Lens', { jsonString: '{}', lensVersion: '1.0' });
      new shares.OrganizationSharing(scope, 'OrganizationSharing', { provider });
      new shares.LensRollout(scope, 'Rollout', { provider, lensArn: lens.attrLensArn, accounts: ['222222222222'], organizationalUnits: [OU] });
      new shares.ProfileShare(scope, 'Profile', { provider, profileArn: PROFILE, sharedWith: '222222222222' });
      new shares.ReviewTemplateShare(scope, 'Template', { provider, templateArn: TEMPLATE, sharedWith: OU });
      new shares.WorkloadShare(scope, 'Workload', { provider, workloadId: WORKLOAD, sharedWith: '222222222222' });
      new shares.ShareInvitation(scope, 'Accept', { provider, lensArn: LENS });
    });
    expect(found).toEqual([]);
  });

  test('AwsSolutions finds nothing in a stack of the bundled provider with every option but the exceptions it states', () => {
    const found = violations((scope) => {
      shares.BundledShareProvider.of(scope, {
        allowedPrincipals: ['ORGANIZATION'],
        organizationSharing: true,
        healthCheckSchedule: 'rate(1 day)',
        alarmEmail: 'ops@example.com',
      });
      const lens = new CfnLens(scope, 'Lens', { jsonString: '{}', lensVersion: '1.0' });
      new shares.LensShare(scope, 'Share', { lensArn: lens.attrLensArn, sharedWith: '222222222222', organizationSharing: shares.OrganizationSharing.of(scope) });
      new shares.RegistryWorkloadShare(scope, 'Workload', { workloadId: WORKLOAD, sharedWith: '222222222222' });
    });
    expect(found).toEqual([]);
    const stated = nagged((scope) => shares.BundledShareProvider.of(scope, { healthCheckSchedule: 'rate(1 day)' }))
      .node.findAll()
      .flatMap((node) => node.node.metadata.filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .flatMap((entry) => Object.entries(entry.data));
    const rules = stated.map(([id]) => id.replace(/^Annotation::/, '').replace(/\[.*$/, ''));
    expect([...new Set(rules)].sort()).toEqual(['AwsSolutions-IAM4', 'AwsSolutions-IAM5', 'AwsSolutions-L1', 'AwsSolutions-SNS2']);
    expect(stated.every(([, reason]) => JSON.stringify(reason).length > 40)).toBe(true);
  });

  test('the same harness reports what AwsSolutions refuses', () => {
    expect(violations((scope) => new Bucket(scope, 'Bucket'))).toContain('AwsSolutions-S1');
  });

  test('the same harness reports what AWS\'s CloudFormation validation refuses: a property the type has not', () => {
    const found = violations((scope) => new CfnResource(scope, 'Bucket', { type: 'AWS::S3::Bucket', properties: { Colour: 'red' } }));
    expect(found).toContain('F3002');
  });
});
