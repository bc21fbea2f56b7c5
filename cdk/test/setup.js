// AWS's built-in CloudFormation validation is left off the tests' own syntheses: it changes no template (what it
// finds is a warning) and its engine took three quarters of the suite's CPU. The cdk-nag harness registers it by
// name (CloudFormationValidatePlugin), so that every construct's template is still held to it.
process.env.CDK_VALIDATION = 'false';
