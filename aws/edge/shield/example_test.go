package shield_test

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/edge/shield"
	"github.com/hawebtier/hawebtier/components/testkit"
)

// Shield Advanced for a distribution and its ALB, in an account that is
// already subscribed (Subscribe is false, so no commitment is created).
// Shield's API and CloudFront's metrics are in us-east-1; the ALB's metrics
// are in its own region, the stack's provider (eu-west-1), which also
// creates the (global) Route 53 health check. The function
// given to testkit.Run is the Pulumi program: in your own main.go it is
// what you pass to pulumi.Run.
func ExampleNewShield() {
	res, err := testkit.Run(context.Background(), func(ctx *pulumi.Context) error {
		ireland, err := aws.NewProvider(ctx, "eu-west-1", &aws.ProviderArgs{Region: pulumi.String("eu-west-1")})
		if err != nil {
			return err
		}
		east, err := aws.NewProvider(ctx, "us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return err
		}
		_, err = shield.NewShield(ctx, "shop", &shield.ShieldArgs{
			DistributionARN: pulumi.String("arn:aws:cloudfront::123456789012:distribution/E123"),
			LoadBalancerARN: pulumi.String("arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/1"),
			HealthCheckFQDN: pulumi.String("shop.example.com"),
			Contacts:        []shield.Contact{{Email: "soc@example.com", Phone: "+15555550100"}},
			USEast1:         east,
		}, pulumi.Providers(ireland))
		return err
	}, testkit.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	region := map[string]string{}
	for _, p := range res.OfType("pulumi:providers:aws") {
		region[p.URN] = p.String("region")
	}
	for _, r := range res.Resources {
		if r.Custom && r.Type != "pulumi:providers:aws" {
			fmt.Println(region[r.ProviderURN()], r.Type, r.Name)
		}
	}
	// Output:
	// eu-west-1 aws:cloudwatch/metricAlarm:MetricAlarm shop-alb-ddos
	// us-east-1 aws:cloudwatch/metricAlarm:MetricAlarm shop-distribution-ddos
	// eu-west-1 aws:route53/healthCheck:HealthCheck shop
	// us-east-1 aws:shield/applicationLayerAutomaticResponse:ApplicationLayerAutomaticResponse shop
	// us-east-1 aws:shield/proactiveEngagement:ProactiveEngagement shop
	// us-east-1 aws:shield/protection:Protection shop-alb
	// us-east-1 aws:shield/protection:Protection shop-distribution
	// us-east-1 aws:shield/protectionGroup:ProtectionGroup shop
	// us-east-1 aws:shield/protectionHealthCheckAssociation:ProtectionHealthCheckAssociation shop-distribution
	// eu-west-1 aws:sns/topic:Topic shop-alb-ddos
	// us-east-1 aws:sns/topic:Topic shop-distribution-ddos
}
