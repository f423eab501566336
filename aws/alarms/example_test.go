package alarms_test

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/alarms"
	"github.com/hawebtier/hawebtier/components/testkit"
)

// Alarms on a public ALB and a database with one replica, mailed to ops,
// in the region of an explicit provider. The function given to
// testkit.Run is the Pulumi program: in your own main.go it is what you
// pass to pulumi.Run.
func ExampleNewAlarms() {
	var keys []string
	program := func(ctx *pulumi.Context) error {
		ireland, err := aws.NewProvider(ctx, "eu-west-1", &aws.ProviderArgs{Region: pulumi.String("eu-west-1")})
		if err != nil {
			return err
		}
		a, err := alarms.NewAlarms(ctx, "ops", &alarms.AlarmsArgs{
			Email: "ops@example.com",
			LoadBalancers: []alarms.LoadBalancer{{
				Label:                "public",
				ARNSuffix:            pulumi.String("app/web/0123456789abcdef"),
				TargetGroupARNSuffix: pulumi.String("targetgroup/web/1111111111111111"),
			}},
			Database: &alarms.Database{
				InstanceIdentifier: pulumi.String("shop"),
				ReplicaIdentifiers: []pulumi.StringInput{pulumi.String("shop-replica-1")},
			},
		}, pulumi.Providers(ireland))
		if err != nil {
			return err
		}
		keys = a.Keys
		return nil
	}

	res, err := testkit.Run(context.Background(), program, testkit.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(keys)
	lag := res.Find("aws:cloudwatch/metricAlarm:MetricAlarm", "ops-db-replica-1-lag")
	fmt.Println(lag.String("namespace"), lag.String("metricName"), lag.Input("dimensions"), lag.Input("alarmActions"))
	fmt.Println("alarms:", len(res.OfType("aws:cloudwatch/metricAlarm:MetricAlarm")),
		"in eu-west-1:", lag.ProviderURN() == res.Find("pulumi:providers:aws", "eu-west-1").URN)
	// Output:
	// [db-cpu db-free-storage db-replica-1-lag public-elb-5xx public-target-5xx public-unhealthy-hosts]
	// AWS/RDS ReplicaLag map[DBInstanceIdentifier:shop-replica-1] [arn:aws:sns:eu-west-1:123456789012:ops]
	// alarms: 6 in eu-west-1: true
}
