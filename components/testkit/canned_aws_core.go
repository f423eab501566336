package testkit

import (
	"fmt"
	"hash/fnv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Canned answers for the AWS core components (aws/network, aws/webtier,
// aws/database, aws/cache): the computed attributes those components read
// back (template versions, DNS names, endpoints, managed secrets) and the
// Debian AMI parameter, shaped like the real provider's answers.

// DebianAMI is the image id the harness returns for the Debian SSM public
// parameters and for aws:ec2/getAmi.
const DebianAMI = "ami-0d3b1e8a7c9f2e541"

func init() {
	RegisterInvoke("aws:ssm/getParameter:getParameter", func(args resource.PropertyMap) (resource.PropertyMap, error) {
		name := PlainMap(args)["name"]
		n, _ := name.(string)
		if !strings.HasPrefix(n, "/aws/service/debian/") {
			return nil, fmt.Errorf("testkit: no canned SSM parameter %q", n)
		}
		return Props(map[string]any{
			"id": n, "name": n, "type": "String", "value": DebianAMI, "insecureValue": DebianAMI,
			"arn": "arn:aws:ssm:" + AWSRegion + "::parameter" + n, "version": 1, "withDecryption": false,
		}), nil
	})
	RegisterInvoke("aws:ec2/getAmi:getAmi", func(args resource.PropertyMap) (resource.PropertyMap, error) {
		return Props(map[string]any{
			"id": DebianAMI, "imageId": DebianAMI, "name": "debian-12-amd64", "architecture": "x86_64",
			"rootDeviceName": "/dev/xvda", "ownerId": "136693071363",
		}), nil
	})

	RegisterState("aws:ec2/launchTemplate:LaunchTemplate", withARN(func(name string, in resource.PropertyMap) map[string]any {
		return map[string]any{"latestVersion": 1, "defaultVersion": 1, "name": inputOr(in, "name", name)}
	}))
	RegisterState("aws:lb/loadBalancer:LoadBalancer", withARN(func(name string, in resource.PropertyMap) map[string]any {
		h := shortHash(name)
		prefix := ""
		if b, _ := PlainMap(in)["internal"].(bool); b {
			prefix = "internal-"
		}
		lbName := inputOr(in, "name", name)
		suffix := "app/" + lbName + "/" + h
		return map[string]any{
			"name":      lbName,
			"dnsName":   prefix + lbName + "-" + h + "." + AWSRegion + ".elb.amazonaws.com",
			"zoneId":    "Z32O12XQLNTSW2",
			"arnSuffix": suffix,
			"arn":       "arn:aws:elasticloadbalancing:" + AWSRegion + ":" + AWSAccountID + ":loadbalancer/" + suffix,
		}
	}))
	RegisterState("aws:lb/targetGroup:TargetGroup", withARN(func(name string, in resource.PropertyMap) map[string]any {
		tgName := inputOr(in, "name", name)
		suffix := "targetgroup/" + tgName + "/" + shortHash(name)
		return map[string]any{
			"name":      tgName,
			"arnSuffix": suffix,
			"arn":       "arn:aws:elasticloadbalancing:" + AWSRegion + ":" + AWSAccountID + ":" + suffix,
		}
	}))
	RegisterState("aws:autoscaling/group:Group", withARN(func(name string, in resource.PropertyMap) map[string]any {
		return map[string]any{"name": inputOr(in, "name", name)}
	}))
	RegisterState("aws:iam/role:Role", withARN(func(name string, in resource.PropertyMap) map[string]any {
		n := inputOr(in, "name", name)
		return map[string]any{"name": n, "arn": "arn:aws:iam::" + AWSAccountID + ":role/" + n}
	}))
	RegisterState("aws:iam/instanceProfile:InstanceProfile", withARN(func(name string, in resource.PropertyMap) map[string]any {
		n := inputOr(in, "name", name)
		return map[string]any{"name": n, "arn": "arn:aws:iam::" + AWSAccountID + ":instance-profile/" + n}
	}))
	RegisterState("aws:cloudwatch/logGroup:LogGroup", withARN(func(name string, in resource.PropertyMap) map[string]any {
		n := inputOr(in, "name", name)
		return map[string]any{"name": n, "arn": "arn:aws:logs:" + AWSRegion + ":" + AWSAccountID + ":log-group:" + n}
	}))
	RegisterState("aws:secretsmanager/secret:Secret", withARN(func(name string, in resource.PropertyMap) map[string]any {
		n := inputOr(in, "name", name)
		return map[string]any{"name": n, "arn": "arn:aws:secretsmanager:" + AWSRegion + ":" + AWSAccountID + ":secret:" + n + "-" + shortHash(n)[:6]}
	}))
	RegisterState("aws:rds/instance:Instance", withARN(func(name string, in resource.PropertyMap) map[string]any {
		p := PlainMap(in)
		id := inputOr(in, "identifier", name)
		port := 3306.0
		if e, _ := p["engine"].(string); e == "postgres" {
			port = 5432
		}
		if v, ok := p["port"].(float64); ok {
			port = v
		}
		addr := id + ".c" + shortHash("rds")[:10] + "." + AWSRegion + ".rds.amazonaws.com"
		out := map[string]any{
			"identifier": id,
			"address":    addr,
			"port":       port,
			"endpoint":   fmt.Sprintf("%s:%d", addr, int(port)),
			"resourceId": "db-" + strings.ToUpper(shortHash(id)),
			"arn":        "arn:aws:rds:" + AWSRegion + ":" + AWSAccountID + ":db:" + id,
		}
		if b, _ := p["manageMasterUserPassword"].(bool); b {
			out["masterUserSecrets"] = []any{map[string]any{
				"secretArn":    "arn:aws:secretsmanager:" + AWSRegion + ":" + AWSAccountID + ":secret:rds!db-" + shortHash(id) + "-AbCdEf",
				"secretStatus": "active",
				"kmsKeyId":     "arn:aws:kms:" + AWSRegion + ":" + AWSAccountID + ":key/aws-secretsmanager",
			}}
		}
		return out
	}))
	RegisterState("aws:elasticache/replicationGroup:ReplicationGroup", withARN(func(name string, in resource.PropertyMap) map[string]any {
		p := PlainMap(in)
		id := inputOr(in, "replicationGroupId", name)
		n, _ := p["numCacheClusters"].(float64)
		members := []any{}
		for i := 1; i <= int(n); i++ {
			members = append(members, fmt.Sprintf("%s-%03d", id, i))
		}
		port := 6379.0
		if v, ok := p["port"].(float64); ok {
			port = v
		}
		zone := shortHash("cache")[:6] + ".euw1.cache.amazonaws.com"
		return map[string]any{
			"replicationGroupId":     id,
			"primaryEndpointAddress": "master." + id + "." + zone,
			"readerEndpointAddress":  "replica." + id + "." + zone,
			"memberClusters":         members,
			"port":                   port,
			"arn":                    "arn:aws:elasticache:" + AWSRegion + ":" + AWSAccountID + ":replicationgroup:" + id,
		}
	}))
	RegisterState("random:index/randomPassword:RandomPassword", func(name string, in resource.PropertyMap) resource.PropertyMap {
		return resource.PropertyMap{"result": resource.MakeSecret(resource.NewProperty(CannedPassword(name, PlainMap(in))))}
	})
}

// CannedPassword is the deterministic "random" password the harness returns
// for a random.RandomPassword: length characters drawn from exactly the
// classes the inputs allow (upper, lower, numeric, and special from
// overrideSpecial or the provider's default set), so tests can check that a
// consumer accepts every character the inputs permit.
func CannedPassword(name string, in map[string]any) string {
	enabled := func(k string) bool {
		b, ok := in[k].(bool)
		return !ok || b
	}
	var classes []string
	if enabled("upper") {
		classes = append(classes, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
	}
	if enabled("lower") {
		classes = append(classes, "abcdefghijklmnopqrstuvwxyz")
	}
	if enabled("numeric") && enabled("number") {
		classes = append(classes, "0123456789")
	}
	if enabled("special") {
		special := "!@#$%&*()-_=+[]{}<>:?"
		if s, ok := in["overrideSpecial"].(string); ok {
			special = s
		}
		if special != "" {
			classes = append(classes, special)
		}
	}
	length := 16
	if l, ok := in["length"].(float64); ok {
		length = int(l)
	}
	if len(classes) == 0 {
		return ""
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte(name))
	seed := h.Sum64()
	var b strings.Builder
	for i := 0; i < length; i++ {
		// Cycle through the classes so every allowed class appears.
		class := classes[i%len(classes)]
		seed = seed*6364136223846793005 + 1442695040888963407
		b.WriteByte(class[int(seed>>33)%len(class)])
	}
	return b.String()
}

func withARN(f func(name string, inputs resource.PropertyMap) map[string]any) StateFunc {
	return func(name string, inputs resource.PropertyMap) resource.PropertyMap {
		out := resource.PropertyMap{"arn": resource.NewProperty(AWSARN(name, inputs))}
		for k, v := range Props(f(name, inputs)) {
			out[k] = v
		}
		return out
	}
}

// inputOr returns the string input key, or def when it is absent (the
// provider would have auto-named the resource).
func inputOr(in resource.PropertyMap, key, def string) string {
	if s, ok := PlainMap(in)[key].(string); ok && s != "" {
		return s
	}
	return def
}

func shortHash(s string) string {
	h := fnv.New64a()
	_, _ = h.Write([]byte(s))
	return fmt.Sprintf("%016x", h.Sum64())
}
