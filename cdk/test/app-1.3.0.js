// An app written against 1.3.0's API: every construct, each given its provider. Run with a library's lib/ to
// print its template; 1.3.0's is kept in fixtures/app-1.3.0.template.json.
const { App, Stack } = require('aws-cdk-lib');

const LENS = 'arn:aws:wellarchitected:us-east-1:111111111111:lens/0123456789abcdef0123456789abcdef';
const PROFILE = 'arn:aws:wellarchitected:us-east-1:111111111111:profile/abc123';
const TEMPLATE = 'arn:aws:wellarchitected:us-east-1:111111111111:review-template/0123456789abcdef0123456789abcdef';
const WORKLOAD = '0123456789abcdef0123456789abcdef';
const OU = 'ou-ab12-cd34ef56';

function app(shares) {
  const stack = new Stack(new App(), 'Program');
  const provider = shares.ShareProvider.fromStackExport(stack, 'Provider');
  const nested = new shares.ShareProvider(stack, 'Nested', { semanticVersion: '1.3.0', allowedPrincipals: [OU] });
  new shares.LensShare(stack, 'Lens', { provider, lensArn: LENS, sharedWith: '222222222222', invitationRound: '2' });
  new shares.LensShare(stack, 'Organization', { provider: nested, lensArn: LENS, sharedWith: 'o-a1b2c3d4e5' });
  new shares.ProfileShare(stack, 'Profile', { provider, profileArn: PROFILE, sharedWith: OU });
  new shares.OrganizationSharing(stack, 'OrganizationSharing', { provider, disableOnDelete: true });
  new shares.ReviewTemplateShare(stack, 'Template', { provider, templateArn: TEMPLATE, sharedWith: 'o-a1b2c3d4e5' });
  new shares.WorkloadShare(stack, 'Workload', {
    provider,
    workloadId: WORKLOAD,
    sharedWith: 'arn:aws:iam::222222222222:user/reviewer',
    permissionType: 'CONTRIBUTOR',
  });
  new shares.ShareInvitation(stack, 'Accept', { provider, profileArn: PROFILE });
  new shares.LensRollout(stack, 'Rollout', { provider, lensArn: LENS, accounts: ['333333333333'], organizationalUnits: [OU] });
  return stack.node.root.synth().getStackByName('Program').template;
}

module.exports = { app };

if (require.main === module) {
  console.log(JSON.stringify(app(require(process.argv[2])), null, 2));
}
