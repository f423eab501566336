package migration

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-command/sdk/go/command/local"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Account-wide roles DMS looks up by these exact names.
const (
	VPCRoleName            = "dms-vpc-role"
	CloudWatchLogsRoleName = "dms-cloudwatch-logs-role"
)

// accountRolePolicies are the AWS-managed policies of the account roles.
var accountRolePolicies = map[string]string{
	VPCRoleName:            "service-role/AmazonDMSVPCManagementRole",
	CloudWatchLogsRoleName: "service-role/AmazonDMSCloudWatchLogsRole",
}

// AssumeRolePolicy lets the DMS service take a role. The secret access role
// must trust the regional principal (dms.<region>.amazonaws.com); the
// global one is what the account roles document.
func AssumeRolePolicy(region string) string {
	b, _ := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{map[string]any{
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": []string{"dms.amazonaws.com", "dms." + region + ".amazonaws.com"}},
			"Action":    "sts:AssumeRole",
		}},
	})
	return string(b)
}

// SecretAccessPolicy allows reading exactly one secret and, when the secret
// has a customer-managed key, decrypting with that key only through Secrets
// Manager in the region.
func SecretAccessPolicy(secretARN, kmsKeyARN, region string) (string, error) {
	stmts := []any{map[string]any{
		"Sid":      "ReadTargetSecret",
		"Effect":   "Allow",
		"Action":   []string{"secretsmanager:GetSecretValue"},
		"Resource": secretARN,
	}}
	if kmsKeyARN != "" {
		stmts = append(stmts, map[string]any{
			"Sid":       "DecryptTargetSecret",
			"Effect":    "Allow",
			"Action":    []string{"kms:Decrypt"},
			"Resource":  kmsKeyARN,
			"Condition": map[string]any{"StringEquals": map[string]any{"kms:ViaService": "secretsmanager." + region + ".amazonaws.com"}},
		})
	}
	b, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": stmts})
	return string(b), err
}

// roles are the IAM roles the migration uses and the wait that lets them
// propagate.
type roles struct {
	secretAccess *iam.Role
	// wait completes IAMPropagationDelay after every role and policy exists.
	wait *local.Command
}

func newRoles(ctx *pulumi.Context, name, partition, region string, a MigrationArgs, tags pulumi.StringMap, parent pulumi.ResourceOption) (*roles, error) {
	r := &roles{}
	var err error
	r.secretAccess, err = iam.NewRole(ctx, name+"-secret-access", &iam.RoleArgs{
		AssumeRolePolicy: pulumi.String(AssumeRolePolicy(region)),
		Description:      pulumi.String(name + ": lets DMS read the target database's secret, nothing else"),
		Tags:             tags,
	}, parent)
	if err != nil {
		return nil, err
	}
	kms := pulumi.StringInput(pulumi.String(""))
	if a.Target.SecretKMSKeyARN != nil {
		kms = a.Target.SecretKMSKeyARN
	}
	policy := pulumi.All(a.Target.SecretARN, kms).ApplyT(func(v []any) (string, error) {
		return SecretAccessPolicy(v[0].(string), v[1].(string), region)
	}).(pulumi.StringOutput)
	secretPolicy, err := iam.NewRolePolicy(ctx, name+"-secret-access", &iam.RolePolicyArgs{
		Role:   r.secretAccess.ID(),
		Policy: policy,
	}, parent)
	if err != nil {
		return nil, err
	}

	waitFor := []pulumi.Resource{r.secretAccess, secretPolicy}
	triggers := pulumi.Array{r.secretAccess.Arn}
	if a.CreateAccountRoles {
		for _, roleName := range slices.Sorted(maps.Keys(accountRolePolicies)) {
			role, err := iam.NewRole(ctx, roleName, &iam.RoleArgs{
				Name:             pulumi.String(roleName),
				AssumeRolePolicy: pulumi.String(AssumeRolePolicy(region)),
				Description:      pulumi.String("Account-wide role AWS DMS looks up by name; owned by " + name),
				Tags:             tags,
			}, parent)
			if err != nil {
				return nil, err
			}
			att, err := iam.NewRolePolicyAttachment(ctx, roleName, &iam.RolePolicyAttachmentArgs{
				Role:      role.Name,
				PolicyArn: pulumi.String(fmt.Sprintf("arn:%s:iam::aws:policy/%s", partition, accountRolePolicies[roleName])),
			}, parent)
			if err != nil {
				return nil, err
			}
			waitFor = append(waitFor, role, att)
			triggers = append(triggers, role.Arn)
		}
	}
	// A role that IAM has created is not yet assumable everywhere; DMS
	// checks it at once and fails ("The IAM Role ... is not configured
	// properly"). Sleeping once, and again only when a role is replaced,
	// is the documented remedy.
	secs := strconv.Itoa(int(a.IAMPropagationDelay.Seconds()))
	r.wait, err = local.NewCommand(ctx, name+"-iam-propagation", &local.CommandArgs{
		Create:   pulumi.String("sleep " + secs),
		Triggers: triggers,
	}, parent, pulumi.DependsOn(waitFor))
	if err != nil {
		return nil, err
	}
	return r, nil
}
