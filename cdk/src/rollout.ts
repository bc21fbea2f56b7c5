import { Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { IShareProvider } from './provider';
import { LensShare } from './shares.generated';

/** Properties of a `LensRollout`. */
export interface LensRolloutProps {
  /**
   * The provider that serves the shares.
   *
   * @default - the stack's bundled provider, `ShareProvider.of(this)`
   */
  readonly provider?: IShareProvider;

  /** The ARN of a published custom lens of this account and Region. */
  readonly lensArn: string;

  /**
   * Account IDs to share the lens with, each by a share of its own. Literal values: each share's logical ID is
   * derived from its principal.
   *
   * @default - none
   */
  readonly accounts?: string[];

  /**
   * OU IDs (ou-...) to share the lens with; they need organization sharing on (an `OrganizationSharing` in the
   * same stack is depended on without being named).
   *
   * @default - none
   */
  readonly organizationalUnits?: string[];

  /**
   * Passed to every share: change it to re-invite the recipients whose invitations expired or were rejected.
   *
   * @default - none
   */
  readonly invitationRound?: string;
}

/**
 * One lens shared with lists of accounts and OUs: one `LensShare` per principal, whose construct ID is the
 * principal, so that removing one from a list deletes that share alone and leaves the others untouched.
 */
export class LensRollout extends Construct {
  /** The shares, in the order of `accounts` then `organizationalUnits`. */
  public readonly shares: LensShare[];

  public constructor(scope: Construct, id: string, props: LensRolloutProps) {
    super(scope, id);
    const principals = [...(props.accounts ?? []), ...(props.organizationalUnits ?? [])];
    const unresolved = principals.filter((principal) => Token.isUnresolved(principal));
    if (unresolved.length > 0) {
      throw new Error(`${this.node.path}: accounts and organizationalUnits must be literal IDs, not tokens: each share's logical ID is derived from its principal.`);
    }
    const repeated = principals.filter((principal, index) => principals.indexOf(principal) !== index);
    if (repeated.length > 0) {
      throw new Error(`${this.node.path}: ${repeated.join(', ')} listed more than once; a principal has one share.`);
    }
    this.shares = principals.map(
      (principal) =>
        new LensShare(this, principal, {
          provider: props.provider,
          lensArn: props.lensArn,
          sharedWith: principal,
          invitationRound: props.invitationRound,
        }),
    );
  }
}
