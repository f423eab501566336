package shield_test

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/edge/shield"
	"github.com/hawebtier/hawebtier/internal/mocktest"
)

// Shield Advanced for a distribution and its ALB, in an account that is
// already subscribed (Subscribe is false, so no commitment is created).
func ExampleNewShield() {
	res, err := mocktest.Run(context.Background(), func(ctx *pulumi.Context) error {
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
		})
		return err
	}, mocktest.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range res.Resources {
		if r.Custom && r.Type != "pulumi:providers:aws" {
			fmt.Println(r.Type, r.Name)
		}
	}
	// Output:
	// aws:cloudwatch/metricAlarm:MetricAlarm shop-alb-ddos
	// aws:cloudwatch/metricAlarm:MetricAlarm shop-distribution-ddos
	// aws:route53/healthCheck:HealthCheck shop
	// aws:shield/applicationLayerAutomaticResponse:ApplicationLayerAutomaticResponse shop
	// aws:shield/proactiveEngagement:ProactiveEngagement shop
	// aws:shield/protection:Protection shop-alb
	// aws:shield/protection:Protection shop-distribution
	// aws:shield/protectionGroup:ProtectionGroup shop
	// aws:shield/protectionHealthCheckAssociation:ProtectionHealthCheckAssociation shop-distribution
	// aws:sns/topic:Topic shop-alb-ddos
	// aws:sns/topic:Topic shop-distribution-ddos
}
