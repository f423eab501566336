// Package edge puts CloudFront in front of the web tier: one distribution
// with the public ALB as the origin of dynamic paths and an S3 origin group
// for static paths and the maintenance page.
//
// Origin failover: CloudFront origin groups serve only GET, HEAD and
// OPTIONS, so only cacheable behaviours use one. The static group reads the
// primary bucket and fails over to its replica in a second region
// (versioned, replicated by S3 replication); requests that may carry a
// body (POST, PUT, ...) go straight to the ALB, whose redundancy is its
// multi-AZ targets. When the ALB answers 502/503/504, viewers get the
// maintenance page from the static group.
//
// The buckets answer only CloudFront: an Origin Access Identity by default
// (OriginAccessOAI) or Origin Access Control (OriginAccessOAC, required for
// SSE-KMS buckets), all four public-access blocks on, and a bucket policy
// that grants s3:GetObject to that identity alone (OAC: the CloudFront
// service principal, conditioned on this distribution's ARN).
//
// The ALB answers only CloudFront: its security group admits CloudFront's
// origin-facing managed prefix list on the origin port, and CloudFront adds
// a secret header (OriginHeaderName, a pulumi-random value kept secret)
// that an ALB listener rule requires before forwarding. The listener's
// default action must be a fixed 403 for this to hold.
//
// Viewers always use HTTPS (redirect-to-https or https-only on every
// behaviour). With a Domain, the certificate comes from ACM in us-east-1
// (validated in Route 53 when HostedZoneID is set) and viewers need
// TLSv1.2_2021 or later. Standard access logs go to a bucket with ACLs
// enabled for the awslogsdelivery account, as CloudFront requires.
//
// The web ACL (package waf) and, when asked, Shield Advanced (package
// shield) are built here from the same args and live in us-east-1.
package edge
