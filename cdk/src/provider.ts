import { Fn } from 'aws-cdk-lib';
import { CfnApplication } from 'aws-cdk-lib/aws-sam';
import { Construct, IConstruct } from 'constructs';
import { BundledShareProvider } from './bundled-provider';
import { PROVIDER_VERSION } from './schemas.generated';

/** The lens-share-provider function that the shares' custom resources are sent to. */
export interface IShareProvider extends IConstruct {
  /** The provider function's ARN, the custom resources' `ServiceToken`. */
  readonly serviceToken: string;
}

/** Properties of a nested `ShareProvider`. */
export interface ShareProviderProps {
  /**
   * The version of the lens-share-provider application to deploy. Pin it: a new version can change the
   * provider's permissions.
   *
   * @default - the provider version this library was built with
   */
  readonly semanticVersion?: string;

  /**
   * Whom stacks may share with through this provider (the `AllowedPrincipals` parameter): `['ANY']`,
   * `['ORGANIZATION']`, or account IDs, organization IDs (o-...) and OU IDs (ou-...).
   *
   * @default - the application's default, ANY
   */
  readonly allowedPrincipals?: string[];

  /**
   * The ARN of the lens-share-provider application in the Serverless Application Repository.
   *
   * @default - `arn:<partition>:serverlessrepo:<region>:<account>:applications/lens-share-provider`, the
   * application as `sam publish` makes it in the stack's own account and Region
   */
  readonly applicationId?: string;
}

/**
 * The provider that shares talk to.
 *
 * Constructed, it is the provider's Serverless Application Repository application nested in this stack, which
 * then needs the capabilities CAPABILITY_IAM and CAPABILITY_AUTO_EXPAND; `fromStackExport` and
 * `fromServiceToken` name a provider deployed before.
 */
export class ShareProvider extends Construct implements IShareProvider {
  /** The name under which `sam deploy` of the provider exports its ServiceToken. */
  public static readonly DEFAULT_EXPORT_NAME = 'lens-share-provider-ServiceToken';

  /**
   * The stack's own provider, deployed from the code this library ships: made on first use, one per stack, and
   * what every share that names no provider uses. `BundledShareProvider.of(scope, props)` sets its props.
   */
  public static of(scope: IConstruct): IShareProvider {
    return BundledShareProvider.of(scope);
  }

  /** A provider known by its function ARN. */
  public static fromServiceToken(scope: Construct, id: string, serviceToken: string): IShareProvider {
    class Imported extends Construct implements IShareProvider {
      public readonly serviceToken = serviceToken;
    }
    return new Imported(scope, id);
  }

  /**
   * A provider deployed in this account and Region, by the ServiceToken its stack exports.
   *
   * @param exportName the export's name, `<provider stack name>-ServiceToken`; by default `DEFAULT_EXPORT_NAME`
   */
  public static fromStackExport(
    scope: Construct,
    id: string,
    exportName: string = ShareProvider.DEFAULT_EXPORT_NAME,
  ): IShareProvider {
    return ShareProvider.fromServiceToken(scope, id, Fn.importValue(exportName));
  }

  public readonly serviceToken: string;

  /** The nested application. */
  public readonly application: CfnApplication;

  public constructor(scope: Construct, id: string, props: ShareProviderProps = {}) {
    super(scope, id);
    const parameters = props.allowedPrincipals ? { AllowedPrincipals: props.allowedPrincipals.join(',') } : undefined;
    this.application = new CfnApplication(this, 'Application', {
      location: {
        applicationId: props.applicationId ?? Fn.sub(APPLICATION_ID),
        semanticVersion: props.semanticVersion ?? PROVIDER_VERSION,
      },
      parameters,
    });
    this.serviceToken = this.application.getAtt('Outputs.ServiceToken').toString();
  }
}

// The Serverless transform resolves pseudo parameters in a Location's Fn::Sub before it looks the application up.
const APPLICATION_ID = 'arn:${AWS::Partition}:serverlessrepo:${AWS::Region}:${AWS::AccountId}:applications/lens-share-provider';
