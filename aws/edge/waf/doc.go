// Package waf builds the AWS WAF (v2) web ACL that protects a CloudFront
// distribution: scope CLOUDFRONT, so it lives in us-east-1 and takes an
// explicit us-east-1 provider. The ACL allows by default and runs the AWS
// managed rule groups for common exploits, known bad inputs, the Amazon IP
// reputation list and SQL injection, plus a rate-based rule that blocks an
// IP above a limit per five minutes. Its logs go to a CloudWatch log group
// in us-east-1 whose name starts with aws-waf-logs-, the prefix WAF requires
// of every log destination. Attach it by passing ARN as the distribution's
// webAclId.
package waf
