import { CfnResource, CfnResourceProps, Token } from 'aws-cdk-lib';
import { problems, ResourceSchema } from './resource';

// The registry's own rules for a namespace (registry/lens_share_types/kinds.py).
const NAMESPACE = /^[A-Za-z0-9]{2,64}$/;
const RESERVED = ['AWS', 'Amazon', 'Alexa', 'ASK', 'AWSQuickStart', 'Custom', 'Dev'];
const DEFAULT_NAMESPACE = 'LensShareProvider';

interface Props {
  readonly namespace?: string;
}

/** The CfnResource of a registry type: its name in the namespace given, and every prop given. */
export function registryResourceProps(name: string, schema: ResourceSchema, props: Props): CfnResourceProps {
  const namespace = props.namespace ?? DEFAULT_NAMESPACE;
  if (Token.isUnresolved(namespace) || !NAMESPACE.test(namespace) || RESERVED.includes(namespace)) {
    throw new Error(
      `namespace '${namespace}' must be 2 to 64 letters and digits and not one the registry reserves (${RESERVED.join(', ')})`,
    );
  }
  const values = props as unknown as { [prop: string]: unknown };
  const properties = Object.fromEntries(
    Object.entries(schema.properties)
      .filter(([prop]) => values[prop] !== undefined)
      .map(([prop, property]) => [property, values[prop]]),
  );
  return { type: `${namespace}::WellArchitected::${name}`, properties };
}

/** Validation at synth time, in the provider's words, as the custom resources have it. */
export function registryDeclared(resource: CfnResource, schema: ResourceSchema, props: Props): void {
  resource.node.addValidation({ validate: () => problems(resource, schema, props) });
}
