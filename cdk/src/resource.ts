import { Annotations, Aspects, CfnResource, CustomResource, CustomResourceProps, Duration, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { BundledShareProvider } from './bundled-provider';
import { IShareProvider, ShareProvider } from './provider';
import { PROVIDER_FUNCTION } from './provider.generated';
import { PRINCIPALS } from './schemas.generated';

/** A kind of principal a share may name, as the provider's properties.py defines it. */
export interface Principal {
  readonly kind: string;
  readonly form: string;
  readonly organization: boolean;
  readonly pattern: string;
}

/** What is shared, as the provider's kinds.py checks it: the property, its pattern and its messages' words. */
export interface SharedResource {
  /** The property's name in the provider's messages. */
  readonly name: string;
  readonly pattern: string;
  /** What a value that does not match is not: "a custom lens ARN", "a workload ID". */
  readonly expected: string;
  readonly form: string;
  /** Values that name something of the noun that cannot be shared, and why. */
  readonly refused: string | null;
  readonly refusal: string;
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
  /** The prop naming what is shared, and how it is checked; null for the types that share nothing. */
  readonly shared: { readonly prop: string; readonly check: SharedResource } | null;
}

/** The props every custom resource construct has, besides its schema's. */
export interface Props {
  readonly provider?: IShareProvider;
  readonly serviceTimeout?: Duration;
  readonly organizationSharing?: IConstruct;
}

const ORGANIZATION_SHARING = 'Custom::WellArchitectedOrganizationSharing';
// Beyond the provider function's timeout: Lambda's start, and the answer's PUT after the handler's deadline.
const MARGIN_S = 60;

/** The CustomResource a construct declares: every prop given, as the string CloudFormation passes. */
export function customResourceProps(scope: IConstruct, schema: ResourceSchema, props: Props): CustomResourceProps {
  const properties: { [name: string]: string } = {};
  for (const [prop, value] of given(schema, props)) {
    properties[schema.properties[prop]] = String(value);
  }
  return {
    serviceToken: provider(scope, props).serviceToken,
    serviceTimeout: props.serviceTimeout ?? Duration.seconds(PROVIDER_FUNCTION.timeout + MARGIN_S),
    resourceType: schema.typeName,
    properties,
  };
}

/** Validation at synth time, and the dependency of organization and OU shares on organization sharing. */
export function declared(resource: CustomResource, schema: ResourceSchema, props: Props): void {
  const served = provider(resource, props);
  resource.node.addValidation({ validate: () => problems(resource, schema, props, served) });
  if (props.organizationSharing !== undefined) {
    resource.node.addDependency(props.organizationSharing);
  } else if (sharedWith(props)?.organization) {
    // As 1.3.0 did: a literal organization or OU depends on the stack's OrganizationSharing, wherever declared.
    Aspects.of(resource).add({
      visit: (node) => {
        if (node === resource) {
          dependOnSharing(resource);
        }
      },
    });
  }
  if (schema.typeName === ORGANIZATION_SHARING && served instanceof BundledShareProvider && !served.organizationSharing) {
    Annotations.of(resource).addWarningV2(
      'cdk-wellarchitected-shares:organizationSharing',
      `${ORGANIZATION_SHARING} turns organization sharing on only with organizationSharing: true on the bundled provider (BundledShareProvider.of(stack, { organizationSharing: true })); without it the resource succeeds only where the setting is on already.`,
    );
  }
}

function provider(scope: IConstruct, props: Props): IShareProvider {
  return props.provider ?? ShareProvider.of(scope);
}

function dependOnSharing(resource: CustomResource): void {
  Stack.of(resource)
    .node.findAll()
    .filter((node) => node instanceof CfnResource && node.cfnResourceType === ORGANIZATION_SHARING)
    .forEach((sharing) => resource.node.addDependency(sharing));
}

function given(schema: ResourceSchema, props: Props): [string, unknown][] {
  const values = props as unknown as { [prop: string]: unknown };
  return Object.keys(schema.properties)
    .filter((prop) => values[prop] !== undefined)
    .map((prop) => [prop, values[prop]]);
}

function literal(value: unknown): string | undefined {
  return typeof value === 'string' && !Token.isUnresolved(value) ? value.trim() : undefined;
}

function sharedWith(props: object): Principal | undefined {
  const value = literal((props as { sharedWith?: unknown }).sharedWith);
  return value === undefined ? undefined : PRINCIPALS.find((each) => new RegExp(each.pattern).test(value));
}

/** The provider's own messages (properties.py, kinds.py, resources/invitations.py) for what it would refuse. */
export function problems(scope: IConstruct, schema: ResourceSchema, props: object, served?: IShareProvider): string[] {
  const found: string[] = [];
  const values = new Map(given(schema, props as Props));
  for (const [prop, value] of values) {
    const name = schema.properties[prop];
    const text = literal(value);
    const allowed = schema.enums[name];
    if (allowed && text && !allowed.values.some((each) => each.toLowerCase() === text.toLowerCase())) {
      const fallback = allowed.default === null ? '' : ` (default ${shown(allowed.default)})`;
      found.push(`${name} ${shown(text)} must be ${allowed.values.map((each) => shown(each)).join(' or ')}${fallback}.`);
    }
  }
  const identifier = schema.shared ? literal(values.get(schema.shared.prop)) : undefined;
  if (schema.shared && schema.noun && identifier !== undefined) {
    // The bundled provider runs in the stack's own account and Region.
    const place = served instanceof BundledShareProvider ? Stack.of(scope) : undefined;
    found.push(...checked(schema.shared.check, schema.noun, identifier, place));
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

/** kinds.ShareKind.check: an ARN of the provider's own account and Region, or an ID. */
function checked(check: SharedResource, noun: string, value: string, place: Stack | undefined): string[] {
  const { name } = check;
  if (check.refused !== null && new RegExp(check.refused).test(value)) {
    return [`${name} ${shown(value)} ${check.refusal}; give the ARN of a custom ${noun}: ${check.form}.`];
  }
  const match = new RegExp(check.pattern).exec(value);
  if (match === null) {
    return [`${name} ${shown(value)} is not ${check.expected}; expected ${check.form}.`];
  }
  const { region, account } = match.groups ?? {};
  if (place === undefined || region === undefined) {
    return [];
  }
  if (!Token.isUnresolved(place.region) && region !== place.region) {
    return [
      `${name} ${shown(value)} is a ${noun} of Region ${region}, but this provider serves ${place.region}; use the ServiceToken of a provider deployed in ${region}.`,
    ];
  }
  if (!Token.isUnresolved(place.account) && account !== place.account) {
    return [
      `${name} ${shown(value)} belongs to account ${account}, but this provider runs in ${place.account}; only the ${noun} owner's account can share it.`,
    ];
  }
  return [];
}

/** A value as the provider's reasons quote it: Python's repr, cut short at 80 characters. */
export function shown(value: string, limit = 80): string {
  const text = value.length <= limit ? value : value.slice(0, limit - 1) + '…';
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const escaped = text.replace(/\\/g, '\\\\').replace(new RegExp(quote, 'g'), `\\${quote}`);
  return `${quote}${escaped}${quote}`;
}
