package stacks

import "github.com/hawebtier/hawebtier/aws/edge"

// EdgeConfig is `hawebtier:aws.edge`: CloudFront, S3 origins, WAF, Shield.
type EdgeConfig struct {
	// ReplicaRegion holds the failover copy of the static bucket.
	ReplicaRegion string `json:"replicaRegion"`
	// Domain and HostedZoneID give the distribution a custom name with an
	// ACM certificate in us-east-1 (validated in DNS when the zone is given).
	Domain       string `json:"domain"`
	HostedZoneID string `json:"hostedZoneId"`
	// OriginAccess is oai (default, as asked) or oac.
	OriginAccess edge.OriginAccess `json:"originAccess"`
	// KMS encrypts the buckets with a KMS key (only with oac).
	KMS bool `json:"kms"`
	// RateLimit is the WAF rate-based rule's limit per 5 minutes per IP.
	RateLimit int           `json:"rateLimit"`
	Shield    *ShieldConfig `json:"shield"`
}

// ShieldConfig turns on Shield Advanced protections.
type ShieldConfig struct {
	// Subscribe creates the Shield Advanced subscription: a one-year
	// commitment, so never by default.
	Subscribe bool `json:"subscribe"`
	// Contacts for proactive engagement.
	Contacts   []ShieldContact `json:"contacts"`
	AlarmEmail string          `json:"alarmEmail"`
}

// ShieldContact is one proactive engagement contact.
type ShieldContact struct {
	Email string `json:"email"`
	Phone string `json:"phone"`
	Notes string `json:"notes"`
}
