package stacks

import "github.com/hawebtier/hawebtier/aws/edge"

// EdgeConfig is `hawebtier:aws.edge`: CloudFront, S3 origins, WAF, Shield.
// It is the edge component's args, by their json names (replicaRegion,
// domain, hostedZoneId, originAccess, kms, rateLimit, priceClass, shield
// {subscribe, contacts[] {email, phone, notes}, alarmEmail,
// automaticResponseAction}); the program wires the rest.
type EdgeConfig = edge.EdgeArgs
