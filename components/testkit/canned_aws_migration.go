package testkit

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Canned answers for aws/migration and aws/alarms: the ARNs AWS gives DMS
// resources (the last part of a task's ARN is its resource id, the
// ReplicationTaskIdentifier dimension of its CloudWatch metrics) and a
// local.Command's output.

func init() {
	dmsARN := func(kind string) StateFunc {
		return withARN(func(name string, in resource.PropertyMap) map[string]any {
			arn := DMSARN(kind, name)
			switch kind {
			case "rep":
				return map[string]any{"replicationInstanceArn": arn, "arn": arn}
			case "endpoint":
				return map[string]any{"endpointArn": arn, "arn": arn}
			case "task":
				return map[string]any{"replicationTaskArn": arn, "arn": arn, "status": "ready"}
			}
			return map[string]any{"arn": arn}
		})
	}
	RegisterState("aws:dms/replicationInstance:ReplicationInstance", dmsARN("rep"))
	RegisterState("aws:dms/endpoint:Endpoint", dmsARN("endpoint"))
	RegisterState("aws:dms/replicationTask:ReplicationTask", dmsARN("task"))
	RegisterState("aws:dms/replicationSubnetGroup:ReplicationSubnetGroup", withARN(func(name string, in resource.PropertyMap) map[string]any {
		id := inputOr(in, "replicationSubnetGroupId", name)
		return map[string]any{
			"replicationSubnetGroupArn": "arn:aws:dms:" + AWSRegion + ":" + AWSAccountID + ":subgrp:" + id,
			"vpcId":                     "vpc-" + shortHash(id)[:8],
		}
	}))
	RegisterState("command:local:Command", func(name string, in resource.PropertyMap) resource.PropertyMap {
		return Props(map[string]any{"stdout": "", "stderr": ""})
	})
}

// DMSARN is the ARN the harness gives a DMS resource of a kind ("rep",
// "endpoint", "task"): like AWS, an upper-case resource id after the kind.
func DMSARN(kind, name string) string {
	return "arn:aws:dms:" + AWSRegion + ":" + AWSAccountID + ":" + kind + ":" + strings.ToUpper(shortHash(kind+"/"+name)+shortHash(name)[:10])
}
