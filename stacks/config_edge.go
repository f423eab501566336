package stacks

// EdgeConfig is `hawebtier:aws.edge`: CloudFront, S3 origins, WAF, Shield.
type EdgeConfig struct {
	// ReplicaRegion holds the failover copy of the static bucket.
	ReplicaRegion string `json:"replicaRegion"`
	// Domain and HostedZoneID give the distribution a custom name with an
	// ACM certificate in us-east-1 (validated in DNS when the zone is given).
	Domain       string `json:"domain"`
	HostedZoneID string `json:"hostedZoneId"`
	// OriginAccess is "oai" (default, as asked) or "oac".
	OriginAccess string `json:"originAccess"`
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

func (e *EdgeConfig) validate(c *Config, ps *problems) {
	k := func(s string) string { return key("aws.edge." + s) }
	requireName(ps, k("replicaRegion"), e.ReplicaRegion, "the AWS region of the failover bucket")
	switch e.OriginAccess {
	case "", "oai", "oac":
	default:
		ps.add(k("originAccess"), "unknown origin access %q, expected oai or oac", e.OriginAccess)
	}
	if e.KMS && e.OriginAccess != "oac" {
		ps.add(k("kms"), "KMS-encrypted buckets need originAccess oac: an Origin Access Identity cannot read SSE-KMS objects")
	}
	if e.RateLimit != 0 && (e.RateLimit < 10 || e.RateLimit > 2000000000) {
		ps.add(k("rateLimit"), "expected 10-2000000000 requests per 5 minutes, got %d", e.RateLimit)
	}
}
