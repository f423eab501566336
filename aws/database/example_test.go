package database_test

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/database"
	"github.com/hawebtier/hawebtier/components/testkit"
)

// A production MySQL database in existing data subnets, reachable only from
// the WAS tier's security group, in the region of an explicit provider.
// The function given to testkit.Run is the Pulumi program: in your own
// main.go it is what you pass to pulumi.Run.
func ExampleNewDatabase() {
	program := func(ctx *pulumi.Context) error {
		ireland, err := aws.NewProvider(ctx, "eu-west-1", &aws.ProviderArgs{Region: pulumi.String("eu-west-1")})
		if err != nil {
			return err
		}
		db, err := database.NewDatabase(ctx, "shop", &database.DatabaseArgs{
			Engine:                  "mysql",
			EngineVersion:           "8.0",
			InstanceClass:           "db.m6i.large",
			AllocatedStorageGB:      200,
			DBName:                  "shop",
			Username:                "appadmin",
			ReadReplicas:            1,
			Production:              true,
			SubnetIDs:               pulumi.ToStringArray([]string{"subnet-0a", "subnet-0b", "subnet-0c"}),
			VpcID:                   pulumi.String("vpc-0123"),
			AllowedSecurityGroupIDs: pulumi.ToStringArray([]string{"sg-0was"}),
		}, pulumi.Providers(ireland))
		if err != nil {
			return err
		}
		ctx.Export("endpoint", db.Endpoint)
		ctx.Export("secretArn", db.MasterSecretARN)
		return nil
	}

	res, err := testkit.Run(context.Background(), program, testkit.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	primary := res.Find("aws:rds/instance:Instance", "shop")
	fmt.Println("endpoint:", primary.Output("endpoint"))
	fmt.Println("multi-AZ:", primary.Input("multiAz"), "encrypted:", primary.Input("storageEncrypted"))
	// RDS creates no read replica of an instance whose password it
	// manages: with a replica the password is generated and kept in a
	// secret the component owns, with the endpoint.
	fmt.Println("password:", primary.SecretPaths, "protected:", primary.Protect)
	fmt.Println("secret:", res.Find("aws:secretsmanager/secret:Secret", "shop-master") != nil)
	fmt.Println("final snapshot:", primary.String("finalSnapshotIdentifier"))
	fmt.Println("in eu-west-1:", primary.ProviderURN() == res.Find("pulumi:providers:aws", "eu-west-1").URN)
	// Output:
	// endpoint: shop.c89ecad1960.eu-west-1.rds.amazonaws.com:3306
	// multi-AZ: true encrypted: true
	// password: [password] protected: true
	// secret: true
	// final snapshot: shop-final
	// in eu-west-1: true
}
