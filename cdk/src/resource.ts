import { CustomResource, CustomResourceProps, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { IShareProvider } from './provider';
import { PRINCIPALS } from './schemas.generated';

/** A kind of principal a share may name, as the provider's properties.py defines it. */
export interface Principal {
  readonly kind: string;
  readonly form: string;
  readonly organization: boolean;
  readonly pattern: string;
}

/** What the generator reads out of one resource type's schema. */
export interface ResourceSchema {
  readonly typeName: string;
  /** Each prop's CloudFormation property name. */
  readonly properties: { readonly [prop: string]: string };
  readonly enums: { readonly [name: string]: { readonly values: string[]; readonly default: string | null } };
  /** Properties of which exactly one must be given. */
  readonly oneOf: string[];
  /** How the provider's messages name what is shared; null for the types that share nothing. */
  readonly noun: string | null;
  readonly principals: string[];
}

interface Props {
  readonly provider: IShareProvider;
}

const ORGANIZATION_SHARING = 'Custom::WellArchitectedOrganizationSharing';

/** The CustomResource a construct declares: every prop given, as the string CloudFormation passes. */
export function customResourceProps(schema: ResourceSchema, props: Props): CustomResourceProps {
  const properties: { [name: string]: string } = {};
  for (const [prop, value] of given(schema, props)) {
    properties[schema.properties[prop]] = String(value);
  }
  return { serviceToken: props.provider.serviceToken, resourceType: schema.typeName, properties };
}

/** Validation at synth time, and the dependency of organization and OU shares on OrganizationSharing. */
export function declared(resource: CustomResource, schema: ResourceSchema, props: Props): void {
  resource.node.addValidation({ validate: () => problems(schema, props) });
  const stack = Stack.of(resource);
  const linked = LINKS.get(stack) ?? { shares: [], sharings: [] };
  LINKS.set(stack, linked);
  if (schema.typeName === ORGANIZATION_SHARING) {
    linked.shares.forEach((share) => share.node.addDependency(resource));
    linked.sharings.push(resource);
  } else if (sharedWith(props)?.organization) {
    linked.sharings.forEach((sharing) => resource.node.addDependency(sharing));
    linked.shares.push(resource);
  }
}

// Per stack, the OrganizationSharing resources and the shares that need one, whichever is declared first.
const LINKS = new WeakMap<Stack, { shares: IConstruct[]; sharings: IConstruct[] }>();

function given(schema: ResourceSchema, props: Props): [string, unknown][] {
  const values = props as unknown as { [prop: string]: unknown };
  return Object.keys(schema.properties)
    .filter((prop) => values[prop] !== undefined)
    .map((prop) => [prop, values[prop]]);
}

function literal(value: unknown): string | undefined {
  return typeof value === 'string' && !Token.isUnresolved(value) ? value.trim() : undefined;
}

function sharedWith(props: Props): Principal | undefined {
  const value = literal((props as unknown as { sharedWith?: unknown }).sharedWith);
  return value === undefined ? undefined : PRINCIPALS.find((each) => new RegExp(each.pattern).test(value));
}

/** The provider's own messages (properties.py, resources/invitations.py) for what it would refuse. */
function problems(schema: ResourceSchema, props: Props): string[] {
  const found: string[] = [];
  const values = new Map(given(schema, props));
  for (const [prop, value] of values) {
    const name = schema.properties[prop];
    const text = literal(value);
    const allowed = schema.enums[name];
    if (allowed && text && !allowed.values.some((each) => each.toLowerCase() === text.toLowerCase())) {
      const fallback = allowed.default === null ? '' : ` (default ${shown(allowed.default)})`;
      found.push(`${name} ${shown(text)} must be ${allowed.values.map((each) => shown(each)).join(' or ')}${fallback}.`);
    }
  }
  const shared = literal(values.get('sharedWith'));
  if (schema.noun && shared !== undefined) {
    const accepted = PRINCIPALS.filter((each) => schema.principals.includes(each.kind));
    if (!accepted.some((each) => new RegExp(each.pattern).test(shared))) {
      const forms = accepted.map((each) => each.form).join(', ');
      found.push(`SharedWith ${shown(shared)} is not a principal a ${schema.noun} can be shared with; give ${forms}.`);
    }
  }
  if (schema.oneOf.length > 0) {
    const names = Object.entries(schema.properties)
      .filter(([, name]) => schema.oneOf.includes(name))
      .filter(([prop]) => values.has(prop) && literal(values.get(prop)) !== '')
      .map(([, name]) => name);
    if (names.length !== 1) {
      found.push(`${schema.typeName} needs exactly one of ${schema.oneOf.join(', ')}; got ${names.join(', ') || 'none'}.`);
    }
  }
  return found;
}

/** A value as the provider's reasons quote it: Python's repr, cut short at 80 characters. */
export function shown(value: string, limit = 80): string {
  const text = value.length <= limit ? value : value.slice(0, limit - 1) + '…';
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const escaped = text.replace(/\\/g, '\\\\').replace(new RegExp(quote, 'g'), `\\${quote}`);
  return `${quote}${escaped}${quote}`;
}
