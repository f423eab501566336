// Package shield puts a CloudFront distribution and its ALB origin under
// AWS Shield Advanced: one protection per resource, a protection group over
// both, automatic application-layer DDoS mitigation through the
// distribution's web ACL, a Route 53 health check associated with the
// distribution's protection (health-based detection), proactive engagement
// contacts, and CloudWatch alarms on DDoSDetected to SNS topics.
//
// Shield Advanced is a paid subscription with a one-year commitment. The
// component creates the subscription only when Subscribe is true; by
// default it assumes the account is already subscribed (protections fail to
// create otherwise).
//
// Shield's API lives in us-east-1, so every Shield resource takes the
// explicit us-east-1 provider, as do the distribution's alarm and topic
// (CloudFront metrics are published there). The ALB's DDoSDetected metric
// is published in the ALB's own region, so its alarm and topic use the
// component's default provider.
package shield
