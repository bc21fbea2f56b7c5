import { Fn } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';

/** Policy statements of template.yaml, as written there, and the condition they are under (null: always). */
export interface StatementGroup {
  readonly condition: string | null;
  readonly statements: { [key: string]: unknown }[];
}

/** One function of template.yaml: what the bundled provider copies of it (cdk/provider_spec.py writes these). */
export interface FunctionSpec {
  readonly handler: string;
  readonly runtime: string;
  readonly architecture: string;
  readonly memorySize: number;
  readonly timeout: number;
  /** The Powertools layer's ARN, an Fn::Sub string. */
  readonly layer: string;
  /** The literal environment variables. */
  readonly environment: { readonly [name: string]: string };
  /** The environment variables that take a template parameter's value, and the parameter. */
  readonly parameters: { readonly [name: string]: string };
  readonly policies: StatementGroup[];
}

/** The statements of the groups whose condition holds, with each Fn::Sub made a CDK token. */
export function statements(spec: FunctionSpec, conditions: { [name: string]: boolean }): PolicyStatement[] {
  return spec.policies
    .filter((group) => group.condition === null || conditions[group.condition])
    .flatMap((group) => group.statements.map((statement) => PolicyStatement.fromJson(substituted(statement))));
}

/** Each resource with a wildcard that the chosen statements name, its Fn::Sub variables written `<Name>`. */
export function wildcards(spec: FunctionSpec, conditions: { [name: string]: boolean }): string[] {
  const resources = spec.policies
    .filter((group) => group.condition === null || conditions[group.condition])
    .flatMap((group) => group.statements.flatMap((statement) => [statement.Resource].flat()))
    .map((resource) => (typeof resource === 'string' ? resource : (resource as { 'Fn::Sub': string })['Fn::Sub']))
    .map((resource) => resource.replace(/\$\{([^}]+)\}/g, '<$1>'));
  return [...new Set(resources)].filter((resource) => resource.includes('*'));
}

function substituted(node: unknown): unknown {
  if (Array.isArray(node)) {
    return node.map(substituted);
  }
  if (node !== null && typeof node === 'object') {
    const entries = Object.entries(node as { [key: string]: unknown });
    if (entries.length === 1 && entries[0][0] === 'Fn::Sub') {
      return Fn.sub(entries[0][1] as string);
    }
    return Object.fromEntries(entries.map(([key, value]) => [key, substituted(value)]));
  }
  return node;
}
