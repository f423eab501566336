package migration_test

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/migration"
	"github.com/hawebtier/hawebtier/components/testkit"
)

// Table mappings from "schema.table" patterns: sorted, deduplicated, with
// stable rule ids.
func ExampleTableMappings() {
	doc, err := migration.TableMappings([]string{"shop.%", "legacy.orders"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(doc)
	// Output:
	// {"rules":[{"rule-type":"selection","rule-id":"1","rule-name":"include-1","object-locator":{"schema-name":"legacy","table-name":"orders"},"rule-action":"include"},{"rule-type":"selection","rule-id":"2","rule-name":"include-2","object-locator":{"schema-name":"shop","table-name":"%"},"rule-action":"include"}]}
}

// Replicate the legacy MySQL database into RDS: the target endpoint logs in
// with the RDS-managed master secret, and the task starts once created.
// The source password comes from secret config in a real program
// (config.RequireSecret). The function given to testkit.Run is the Pulumi
// program: in your own main.go it is what you pass to pulumi.Run.
func ExampleNewMigration() {
	var instanceID string
	res, err := testkit.Run(context.Background(), func(ctx *pulumi.Context) error {
		ireland, err := aws.NewProvider(ctx, "eu-west-1", &aws.ProviderArgs{Region: pulumi.String("eu-west-1")})
		if err != nil {
			return err
		}
		cfgPassword := pulumi.ToSecret(pulumi.String("from-secret-config")).(pulumi.StringOutput)
		m, err := migration.NewMigration(ctx, "legacy", &migration.MigrationArgs{
			Source: migration.Source{
				Engine: "mysql", Host: "10.20.1.15", Port: 3306,
				Username: "dms_reader", DatabaseName: "shop", Password: cfgPassword,
			},
			Target: migration.Target{
				Engine: "mysql", Port: 3306,
				SecretARN:       pulumi.String("arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1-AbCdEf"),
				SecurityGroupID: pulumi.String("sg-0rds"),
			},
			Tables:             []string{"shop.%"},
			CreateAccountRoles: true,
			SubnetIDs:          pulumi.ToStringArray([]string{"subnet-d1", "subnet-d2"}),
			VpcID:              pulumi.String("vpc-1"),
			VpcCIDR:            "10.120.0.0/16",
			OnPremCIDRs:        []string{"10.20.0.0/16"},
		}, pulumi.Providers(ireland))
		if err != nil {
			return err
		}
		m.ReplicationInstanceID.ApplyT(func(id string) string { instanceID = id; return id })
		return nil
	}, testkit.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("instance:", instanceID)
	task := res.Find("aws:dms/replicationTask:ReplicationTask", "legacy")
	fmt.Println("task:", task.String("replicationTaskId"), task.String("migrationType"), "start:", task.Input("startReplicationTask"))
	target := res.Find("aws:dms/endpoint:Endpoint", "legacy-target")
	fmt.Println("target secret:", target.String("secretsManagerArn"))
	fmt.Println("source password secret:", res.Find("aws:dms/endpoint:Endpoint", "legacy-source").SecretPaths)
	wait := res.Find("command:local:Command", "legacy-iam-propagation")
	fmt.Println("instance waits for IAM:", res.DependsOn(res.Find("aws:dms/replicationInstance:ReplicationInstance", "legacy"), wait), wait.String("create"))
	// Output:
	// instance: legacy-instance
	// task: legacy-task full-load-and-cdc start: true
	// target secret: arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1-AbCdEf
	// source password secret: [password]
	// instance waits for IAM: true sleep 15
}
