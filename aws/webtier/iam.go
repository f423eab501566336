package webtier

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// instanceIdentity is the role and instance profile of one tier's instances.
type instanceIdentity struct {
	role    *iam.Role
	profile *iam.InstanceProfile
	// secrets is the policy that lets the role read the secrets; nil when
	// the tier reads none.
	secrets *iam.RolePolicy
}

// ec2AssumeRolePolicy lets EC2 instances take the role, nothing else.
const ec2AssumeRolePolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

// newInstanceIdentity gives a tier's instances exactly: SSM Session Manager
// access (operators get a shell without SSH or a bastion) and, when
// secretARNs is not empty, secretsmanager:GetSecretValue on exactly those
// secrets. The RDS-managed secret and the cache secret use the
// aws/secretsmanager KMS key, which needs no kms:Decrypt grant.
func newInstanceIdentity(ctx *pulumi.Context, name, partition string, secretARNs []pulumi.StringInput, tags pulumi.StringMap, parent pulumi.ResourceOption) (*instanceIdentity, error) {
	role, err := iam.NewRole(ctx, name, &iam.RoleArgs{
		AssumeRolePolicy: pulumi.String(ec2AssumeRolePolicy),
		Description:      pulumi.String(name + " instances: SSM access and their own secrets only"),
		Tags:             tags,
	}, parent)
	if err != nil {
		return nil, err
	}
	if _, err := iam.NewRolePolicyAttachment(ctx, name+"-ssm", &iam.RolePolicyAttachmentArgs{
		Role:      role.Name,
		PolicyArn: pulumi.String(fmt.Sprintf("arn:%s:iam::aws:policy/AmazonSSMManagedInstanceCore", partition)),
	}, parent); err != nil {
		return nil, err
	}
	id := &instanceIdentity{role: role}
	if len(secretARNs) > 0 {
		arns := make([]any, len(secretARNs))
		for i, a := range secretARNs {
			arns[i] = a
		}
		policy := pulumi.All(arns...).ApplyT(func(vs []any) (string, error) {
			resources := make([]string, len(vs))
			for i, v := range vs {
				resources[i] = v.(string)
			}
			return SecretsPolicy(resources)
		}).(pulumi.StringOutput)
		id.secrets, err = iam.NewRolePolicy(ctx, name+"-secrets", &iam.RolePolicyArgs{Role: role.ID(), Policy: policy}, parent)
		if err != nil {
			return nil, err
		}
	}
	id.profile, err = iam.NewInstanceProfile(ctx, name, &iam.InstanceProfileArgs{Role: role.Name, Tags: tags}, parent)
	if err != nil {
		return nil, err
	}
	return id, nil
}

// SecretsPolicy is the IAM policy document that allows reading exactly the
// given secrets and nothing else.
func SecretsPolicy(secretARNs []string) (string, error) {
	b, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{map[string]any{
			"Sid":      "ReadOwnSecrets",
			"Effect":   "Allow",
			"Action":   []string{"secretsmanager:GetSecretValue"},
			"Resource": secretARNs,
		}},
	})
	return string(b), err
}
