// Package account is the account view of the plan: the AWS stacks that one
// account holds, planned together, and every object two of them would both
// create or own.
//
// AWS keys many objects by a name that is unique in an account (an IAM
// role), in an account and region (a DMS replication instance, a log
// group, a final snapshot), in an account, region and scope (a WAFv2 web
// ACL), or worldwide (an S3 bucket); others it deduplicates (a customer
// gateway with the same address, ASN and type is the same object), and some
// exist once per account (a Shield Advanced subscription, proactive
// engagement). Two stacks that claim one such object fail on the second
// `pulumi up`, or worse, share it, so destroying one breaks the other. The
// mock engine cannot see it; this package can, from the inputs each stack
// registers. Rules lists what it checks, with each rule's source.
package account
