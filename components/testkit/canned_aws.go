package testkit

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// The canned AWS answers. Account and region are fixed so golden files and
// examples are stable.
const (
	AWSAccountID = "123456789012"
	AWSRegion    = "eu-west-1"
)

func init() {
	// Every AWS resource gets an ARN derived from its module and name unless
	// a more specific state function says otherwise.
	RegisterState("aws:*", func(name string, inputs resource.PropertyMap) resource.PropertyMap {
		return resource.PropertyMap{"arn": resource.NewProperty(AWSARN(name, inputs))}
	})
	RegisterInvoke("aws:index/getAvailabilityZones:getAvailabilityZones", func(args resource.PropertyMap) (resource.PropertyMap, error) {
		return Props(map[string]any{
			"names":      []any{AWSRegion + "a", AWSRegion + "b", AWSRegion + "c"},
			"zoneIds":    []any{"euw1-az1", "euw1-az2", "euw1-az3"},
			"id":         AWSRegion,
			"groupNames": []any{AWSRegion},
		}), nil
	})
	RegisterInvoke("aws:index/getRegion:getRegion", func(args resource.PropertyMap) (resource.PropertyMap, error) {
		return Props(map[string]any{"name": AWSRegion, "id": AWSRegion, "description": "Europe (Ireland)", "endpoint": "ec2." + AWSRegion + ".amazonaws.com"}), nil
	})
	RegisterInvoke("aws:index/getCallerIdentity:getCallerIdentity", func(args resource.PropertyMap) (resource.PropertyMap, error) {
		return Props(map[string]any{"accountId": AWSAccountID, "arn": "arn:aws:iam::" + AWSAccountID + ":user/ci", "userId": "AIDAEXAMPLE", "id": AWSAccountID}), nil
	})
	RegisterInvoke("aws:index/getPartition:getPartition", func(args resource.PropertyMap) (resource.PropertyMap, error) {
		return Props(map[string]any{"partition": "aws", "dnsSuffix": "amazonaws.com", "id": "aws"}), nil
	})
}

// AWSARN is the ARN the harness gives an AWS resource.
func AWSARN(name string, inputs resource.PropertyMap) string {
	return "arn:aws:mock:" + AWSRegion + ":" + AWSAccountID + ":" + strings.ReplaceAll(name, ":", "-")
}
