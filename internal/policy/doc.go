// Package policy builds the repository policy of one ECR repository from its
// access settings, validates those settings with field paths, builds the IAM
// identity policies a consumer needs (CDK's grantPull/grantPullPush for any
// language), and puts any IAM policy document into one canonical text so a
// policy read back from ECR compares equal to the one we generated. It has no
// Pulumi dependency: everything here is a pure function of plain strings, cheap
// enough to run again when outputs (role ARNs created in the same program)
// resolve.
//
// # Canonical JSON
//
// One text per meaning, so the same inputs always give the same bytes and the
// readback from ECR gives them too. ECR returns the policy text it stores
// (GetRepositoryPolicy), with bare account IDs rewritten to root ARNs and
// list values in another order; other tools had to normalize the same two
// things to stop a perpetual diff (crossplane-contrib/provider-aws#701):
//
//   - compact JSON, strings escaped as encoding/json escapes them but without
//     HTML escaping (<, >, & stay as they are);
//   - document keys in the order Version, Id, Statement, then any others sorted;
//     statement keys in the order Sid, Effect, Principal, NotPrincipal, Action,
//     NotAction, Resource, NotResource, Condition, then any others sorted; every
//     other object (Principal, Condition and its operators) with sorted keys;
//   - Statement is always an array (IAM also accepts a single object);
//     statements keep their order: generated ones first in the fixed order
//     below, then the custom ones as given;
//   - every string list (principal values, Action, NotAction, Resource,
//     NotResource, condition values) is sorted and de-duplicated, and a list of
//     one element is written as a plain string. ECR returns a single principal
//     as a string; the same rule for every list makes ["x"] and "x" the same
//     text wherever they occur;
//   - an "AWS" principal given as a bare 12-digit account ID becomes
//     arn:<partition>:iam::<id>:root, the way ECR stores it;
//   - condition values that are JSON booleans or numbers become strings
//     (true → "true"), as IAM stores them;
//   - an empty Sid is dropped;
//   - in a repository policy (RepositoryPolicy), a "Resource": "*" of a custom
//     statement or policy is dropped: it says nothing there.
//
// Statement order is kept, not sorted (ECR keeps it; reordering principals and
// account-ID rewriting are what it changes). Use Equivalent to compare two
// documents regardless of statement order.
//
// # Generated statements
//
// In this order, each omitted when its inputs are empty:
//
//	AllowPull                      Principal {"AWS": pull accounts' root ARNs + pull principal ARNs}, PullActions.
//	                               A principal that also has push is listed only in AllowPush.
//	AllowPush                      Principal {"AWS": push accounts' root ARNs + push principal ARNs}, PushActions.
//	AllowPullByOrganization        Principal "*", PullActions, StringEquals aws:PrincipalOrgID.
//	AllowPushByOrganization        Principal "*", PushActions, StringEquals aws:PrincipalOrgID.
//	AllowPullByOrganizationPath    Principal "*", PullActions, ForAnyValue:StringLike aws:PrincipalOrgPaths
//	                               (the key is multi-valued, so the set operator is required).
//	AllowLambdaAccountPull         Principal {"AWS": Lambda accounts' root ARNs}, LambdaPullActions.
//	AllowLambdaPull                Principal {"Service": "lambda.amazonaws.com"}, LambdaPullActions,
//	                               StringLike aws:SourceArn arn:<partition>:lambda:*:<account>:function:*.
//	AllowAnyAwsAccountPull         Principal "*", PullActions, no condition: any authenticated principal
//	                               of any AWS account (not anonymous users). IAM Access Analyzer
//	                               reports the repository as public; Amazon ECR Public is the service
//	                               for public images. Validate warns whenever it is set.
//	DenyOutsideAllowOnlyPrincipals               Deny, Principal "*", DenyActions (see below).
//	DenyPolicyChangesOutsideAllowOnlyPrincipals  Deny, Principal "*", StrictDenyActions (strictDeny only).
//	custom statements              policyStatements, canonicalized, in the given order.
//
// Lambda gets two statements because that is what AWS documents for
// cross-account container images (https://repost.aws/knowledge-center/lambda-ecr-image,
// and the Lambda developer guide's "Amazon ECR permissions"): the user or
// role creating or updating the function in the other account needs
// ecr:BatchGetImage and ecr:GetDownloadUrlForLayer through the account
// principal ("CrossAccountPermission"), and the Lambda service principal needs
// the same two actions limited by aws:SourceArn to that account's functions
// ("LambdaECRImageCrossAccountRetrievalPolicy"). cloudposse generates the same
// pair, partition-aware (lambda_access in
// https://github.com/cloudposse/terraform-aws-ecr).
//
// ecr:GetAuthorizationToken is never put in a repository policy: it has no
// resource type in the Service Authorization Reference (ActionsSource), so it
// has no effect there; AWS's repository policy examples say it must be granted
// "through an IAM policy"
// (https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html).
// It is refused in policyStatements and policy with that reason.
// IdentityPolicy grants it on "*" in the consumer's IAM policy instead, as
// CDK's grantPull does.
//
// A Resource element is accepted only as exactly "*" (AWS's repository policy
// examples write it) and dropped from the generated text; any other Resource,
// and any NotResource, is refused: ECR rejects repository policies whose
// statements name resources with "Invalid repository policy provided"
// (aws/aws-cdk#24314, awsdocs/amazon-ecr-user-guide#20). RepositoryPolicy
// drops it; Canonicalize, which serves any IAM document, keeps it.
//
// # Identity policies
//
// IdentityPolicy writes one document: RepositoryAccess (the actions on the
// repository ARNs) and AuthorizationToken (ecr:GetAuthorizationToken on
// "*"). Each ARN adds about 70 characters, so past some 80 repositories it no
// longer fits an IAM managed policy, which IAM limits to
// MaxManagedPolicyLength (6,144) characters not counting white space
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
// IdentityPolicies splits the same grant into as few documents as a split of
// the sorted ARNs allows, each self-contained and within the limit. The ARNs
// are kept exactly: a wildcard such as repository/team/* would be shorter but
// would also match repositories outside the registry.
//
// # Deny-all-else and strict deny
//
// Gruntwork's ecr-repos service
// (https://docs.gruntwork.io/reference/services/data-storage/amazon-ecr-repositories)
// has users_or_roles_to_allow_deny_all_else ("all other users and roles are
// to be forbidden", given as unique IDs AROA…/AIDA…) and
// strict_deny_rules_enabled ("strict deny rules on repo, including deny on
// change repo policy"), with two separate action lists as outputs
// (ecr_deny_access_policies and ecr_deny_access_policies_strict). Their
// main.tf is not public, so the statements here are our own, following that
// split:
//
//   - DenyOutsideAllowOnlyPrincipals denies DenyActions: every ECR action on
//     the repository's images in the Service Authorization Reference (pull,
//     push, delete, list and describe images, scan findings, signing and
//     replication status, storage class, lifecycle previews, pull-through
//     import and copy status). It leaves the repository's own administration
//     (describe, tags, lifecycle, policy, delete) to IAM, so the account's
//     administrators and the deployer keep managing the repository and its
//     policy without being listed. ecr:ReplicateImage is not denied: the
//     destination registry's policy authorizes it for whole source accounts.
//   - strictDeny adds DenyPolicyChangesOutsideAllowOnlyPrincipals, denying
//     StrictDenyActions: every change that weakens or destroys the repository
//     (Set/DeleteRepositoryPolicy, DeleteRepository, Put/DeleteLifecyclePolicy,
//     PutImageTagMutability, PutImageScanningConfiguration, Tag/UntagResource).
//     Reads of the repository's settings stay allowed so compliance tools and
//     `pulumi refresh` still work. With strictDeny the deploying role must be
//     in allowOnlyPrincipals: ECR refuses, without `force` (which we never
//     set), a policy that would stop its caller from setting the next one
//     (SetRepositoryPolicy, https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_SetRepositoryPolicy.html).
//     The registry account's root user is always exempt from this statement
//     (only this one), so the policy can still be changed or deleted when
//     every listed principal is gone (break-glass). strictDeny is refused when
//     allowOnlyPrincipals holds unique IDs only: a role recreated under the
//     same name gets a new ID, and only the root user would be left.
//
// Both deny statements use Principal "*" and one Condition block:
//
//	ArnNotLike    aws:PrincipalArn  the ARNs in allowOnlyPrincipals, plus
//	                                arn:<partition>:iam::<registryId>:role/aws-service-role/*
//	                                (and arn:<partition>:iam::<registryId>:root in the strict statement)
//	StringNotLike aws:userid        AROA…:* for each role ID, AIDA… for each user ID
//	BoolIfExists  aws:PrincipalIsAWSService "false"
//
// IAM ANDs the keys of one Condition block, so the statement denies a caller
// only when its ARN matches none of the ARNs AND its user ID matches none of
// the IDs AND it is not an AWS service: a caller listed in either form is
// exempt (De Morgan). Splitting ARNs and IDs into two Deny statements would be
// wrong: a role listed by ARN only would still be denied by the ID statement.
// A role's aws:userid is "<role-id>:<session-name>", hence the ":*"; a user's
// is its ID (AWS knowledge center,
// https://repost.aws/knowledge-center/explicit-deny-principle-elements-s3).
// Service principals (Lambda pulling images) carry no IAM ARN, so the
// Not-operators would deny them; they can act only through an Allow in this
// policy (AllowLambdaPull, custom statements), so they are exempted with
// aws:PrincipalIsAWSService as in AWS's data-perimeter policies.
// Service-linked roles are IAM roles, so aws:PrincipalIsAWSService is false
// for them; Amazon Inspector's enhanced scanning reads images through
// AWSServiceRoleForAmazonInspector2
// (https://docs.aws.amazon.com/inspector/latest/user/using-service-linked-roles.html).
// They are exempted by path: IAM creates every service-linked role under
// /aws-service-role/ in the registry's account (Access.RegistryID, which the
// caller must supply with allowOnlyPrincipals).
//
// An ARN in aws:PrincipalArn matches only that exact principal:
// arn:…:root there is the root user, not the whole account. A root ARN in
// allowOnlyPrincipals would therefore deny every role and user of that
// account, and is refused.
//
// Condition keys are case-insensitive in IAM; we write the documented
// spellings aws:SourceArn, aws:PrincipalArn, aws:userid, aws:PrincipalOrgID,
// aws:PrincipalOrgPaths and aws:PrincipalIsAWSService. Canonicalize keeps keys
// as written.
//
// # Validation
//
// Access.Validate reports every problem at once, each with a field path below
// the given one (path.pullAccountIds[1], path.policyStatements[0],
// path.policy.Statement[2]) and a sentence naming the rule and the value.
// Warnings (allowAnyAwsAccountPull is set; a registry-level action in a
// statement) are reported too but never fail validation. The rules:
//
//   - partition: one of Partitions (only checked when there is access to grant);
//   - pullAccountIds, pushAccountIds, lambdaPullAccountIds: exactly 12 digits;
//   - pullPrincipalArns, pushPrincipalArns (and AWS principals in custom
//     statements): arn:<partition>:iam::<12 digits>:role/[path/]name,
//     user/[path/]name or root, or arn:<partition>:sts::<12 digits>:federated-user/name;
//     names of 1–64 characters from [A-Za-z0-9+=,.@_-]; no wildcards; the
//     partition must be the repository's. An STS assumed-role session ARN is
//     refused with the role ARN to use instead (session ARNs cause a perpetual
//     diff, terraform-aws-modules/terraform-aws-ecr#26);
//   - pullOrganizationIds, pushOrganizationIds: ^o-[a-z0-9]{10,32}$
//     (Organizations API);
//   - pullOrganizationPaths: an Organizations entity path down to the root or
//     an OU, ending in "/" or "/*":
//     ^o-[a-z0-9]{10,32}/r-[0-9a-z]{4,32}/(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}/)*\*?$
//     (IDs per the Organizations API; no other wildcards; a whole organization
//     is pullOrganizationIds);
//   - allowOnlyPrincipals: a role, user or federated-user ARN as above (not
//     an account root ARN), or a unique ID ^(AROA|AIDA)[A-Z0-9]{12,124}$;
//     it needs Access.RegistryID, 12 digits (reported at registryId);
//   - strictDeny needs allowOnlyPrincipals with at least one ARN;
//   - allowAnyAwsAccountPull cannot be combined with allowOnlyPrincipals (the deny
//     would cancel the grant);
//   - a granted account (pull/push/Lambda account ID, or a root ARN) with no
//     role or user of that account in allowOnlyPrincipals, or a granted role or
//     user ARN missing from allowOnlyPrincipals, is refused, naming both
//     fields: DenyOutsideAllowOnlyPrincipals would deny what was granted. When
//     allowOnlyPrincipals holds a unique ID this is not checked (an ID does not
//     tell its account); grants by organization and in custom statements are
//     not checked;
//   - policyStatements[i]: a JSON object with Effect Allow|Deny; exactly one of
//     Action/NotAction, a string or non-empty list of "*" or ECR actions from
//     KnownActions (the Service Authorization Reference's list, compared
//     case-insensitively; an unknown action is named, with the nearest known
//     one) or patterns with * and ? that match at least one of them; never
//     ecr:GetAuthorizationToken (no effect in a repository policy); a
//     registry-level action (no repository resource type) is a warning, it
//     does nothing there; exactly one of
//     Principal/NotPrincipal ("*" or an object of AWS and/or Service
//     principals; Federated and CanonicalUser are refused, ECR repository
//     policies take neither); NotPrincipal never with Allow ("grants every
//     principal except those listed"); an optional Condition object of
//     objects; an optional Sid unique across the document and not one of
//     GeneratedSids; Resource only as "*"; no NotResource or other element;
//   - an Allow to a Service principal needs aws:SourceAccount or
//     aws:SourceArn under a limiting operator (below), so the service acts
//     only for your resources (confused deputy prevention,
//     https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html);
//     the generated AllowLambdaPull has it;
//   - an Allow whose Principal includes "*" (as "*" or under any principal
//     type) needs a Condition that limits the caller: one of
//     aws:PrincipalOrgID, aws:PrincipalOrgPaths, aws:PrincipalAccount,
//     aws:PrincipalArn, aws:SourceAccount, aws:SourceArn, aws:SourceOrgID or
//     aws:userid (key names compared case-insensitively) under StringEquals,
//     StringEqualsIgnoreCase, StringLike, ArnEquals or ArnLike (or their
//     ForAnyValue: form), with values that are not only wildcards. Negated
//     operators, …IfExists, ForAllValues: and Null also match callers without
//     the key, so they do not count. allowAnyAwsAccountPull never lifts this
//     for policyStatements;
//   - policy: a JSON object with Statement (a statement object or a non-empty
//     list), optional Version "2012-10-17" or "2008-10-17" and Id, nothing
//     else; each statement as above; policy cannot be combined with any field
//     that generates statements (each set field is named). With
//     allowAnyAwsAccountPull set, a statement of policy may grant "*" without
//     a limiting Condition only when its Action names PullActions only;
//   - the canonical policy must be at most MaxRepositoryPolicyLength (10,240)
//     characters; the message gives the actual length.
package policy
