package alarms_test

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/alarms"
	"github.com/hawebtier/hawebtier/internal/mocktest"
)

// Alarms on a public ALB and a database with one replica, mailed to ops.
func ExampleNewAlarms() {
	res, err := mocktest.Run(context.Background(), func(ctx *pulumi.Context) error {
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
		})
		if err != nil {
			return err
		}
		fmt.Println(a.Keys)
		return nil
	}, mocktest.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	lag := res.Find("aws:cloudwatch/metricAlarm:MetricAlarm", "ops-db-replica-1-lag")
	fmt.Println(lag.String("namespace"), lag.String("metricName"), lag.Input("dimensions"), lag.Input("alarmActions"))
	// Output:
	// [db-cpu db-free-storage db-replica-1-lag public-elb-5xx public-target-5xx public-unhealthy-hosts]
	// AWS/RDS ReplicaLag map[DBInstanceIdentifier:shop-replica-1] [arn:aws:sns:eu-west-1:123456789012:ops]
}
