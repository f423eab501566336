package roles_test

import (
	"github.com/hawebtier/hawebtier/components/httpd"
	"github.com/hawebtier/hawebtier/components/roles"
)

const testKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGv3Nq0mB7fX1q2mWf1Kq0b6wQk2eYh0x1u7cZpXo9Yw ops@example"

// knownSecret is injected as the AJP secret; no user-data may contain it.
const knownSecret = "kn0wn-AJP-secret.value_1234567890"

// onPrem is the lab topology: 2 LB + 2 web + 2 app + monitor.
func onPrem(connector httpd.Connector) roles.Topology {
	return roles.Topology{
		Environment:       "dev",
		Domain:            "example.internal",
		Connector:         connector,
		VIP:               "10.20.30.10",
		PrefixLen:         24,
		Interface:         "ens192",
		VRRPRouterID:      51,
		LBs:               []roles.Node{{Name: "lb-1", Address: "10.20.30.11"}, {Name: "lb-2", Address: "10.20.30.12"}},
		Web:               []roles.Node{{Name: "web-1", Address: "10.20.30.21"}, {Name: "web-2", Address: "10.20.30.22"}},
		App:               []roles.Node{{Name: "app-1", Address: "10.20.30.31"}, {Name: "app-2", Address: "10.20.30.32"}},
		Monitor:           &roles.Node{Name: "mon-1", Address: "10.20.30.41"},
		SSHAuthorizedKeys: []string{testKey},
	}
}

// onAWS is the AWS shape: no node lists, the internal ALB as app endpoint.
func onAWS() roles.Topology {
	return roles.Topology{
		Environment: "staging",
		AppEndpoint: "internal-was-1234567890.eu-central-1.elb.amazonaws.com",
		AppSecrets: &roles.AppSecrets{
			Region:            "eu-central-1",
			DatabaseSecretARN: "arn:aws:secretsmanager:eu-central-1:123456789012:secret:rds!db-0a1b2c-AbCdEf",
			CacheSecretARN:    "arn:aws:secretsmanager:eu-central-1:123456789012:secret:hawebtier/staging/cache-XyZ123",
			DatabaseEndpoint:  "db.cluster-abc.eu-central-1.rds.amazonaws.com:5432",
			CacheEndpoint:     "master.cache.abc.euc1.cache.amazonaws.com:6379",
		},
	}
}
