package edge_test

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/edge"
	"github.com/hawebtier/hawebtier/internal/mocktest"
)

// An edge in front of an ALB with a custom domain: static paths fail over
// between two regions, everything else goes to the ALB, which admits only
// CloudFront.
func ExampleNewEdge() {
	res, err := mocktest.Run(context.Background(), func(ctx *pulumi.Context) error {
		east, err := aws.NewProvider(ctx, "us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return err
		}
		frankfurt, err := aws.NewProvider(ctx, "eu-central-1", &aws.ProviderArgs{Region: pulumi.String("eu-central-1")})
		if err != nil {
			return err
		}
		_, err = edge.NewEdge(ctx, "shop", &edge.EdgeArgs{
			OriginDomain:          pulumi.String("web-0123.eu-west-1.elb.amazonaws.com"),
			OriginProtocolPolicy:  "http-only",
			OriginSecurityGroupID: pulumi.String("sg-0alb"),
			ListenerARN:           pulumi.String("arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/web/1/2"),
			TargetGroupARN:        pulumi.String("arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/3"),
			Region:                "eu-west-1",
			ReplicaRegion:         "eu-central-1",
			Domain:                "shop.example.com",
			HostedZoneID:          "Z0123456789ABC",
			USEast1:               east,
			Replica:               frankfurt,
		})
		return err
	}, mocktest.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	dist := res.Find("aws:cloudfront/distribution:Distribution", "shop")
	fmt.Println("default:", dist.Input("defaultCacheBehavior").(map[string]any)["targetOriginId"])
	for _, b := range dist.Input("orderedCacheBehaviors").([]any) {
		bm := b.(map[string]any)
		fmt.Println(bm["pathPattern"], "->", bm["targetOriginId"], bm["allowedMethods"], bm["viewerProtocolPolicy"])
	}
	fmt.Println("viewer TLS:", dist.Input("viewerCertificate").(map[string]any)["minimumProtocolVersion"])
	rule := res.Find("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "shop-cloudfront")
	fmt.Println("ALB admits", rule.String("prefixListId"), "on", rule.Input("fromPort"))
	fmt.Println("distribution secret inputs:", dist.SecretPaths)
	fmt.Println("listener rule secret inputs:", res.Find("aws:lb/listenerRule:ListenerRule", "shop-origin-header").SecretPaths)
	// Output:
	// default: app
	// /static/* -> static [GET HEAD OPTIONS] redirect-to-https
	// /maintenance/* -> static [GET HEAD] redirect-to-https
	// viewer TLS: TLSv1.2_2021
	// ALB admits pl-4fa04526 on 80
	// distribution secret inputs: [origins[0].customHeaders[0].value]
	// listener rule secret inputs: [conditions[0].httpHeader.values[0]]
}

// A behaviour that accepts POST cannot use an origin group.
func ExampleNewEdge_postOnOriginGroup() {
	_, err := mocktest.Run(context.Background(), func(ctx *pulumi.Context) error {
		east, err := aws.NewProvider(ctx, "us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return err
		}
		_, err = edge.NewEdge(ctx, "shop", &edge.EdgeArgs{
			OriginDomain:  pulumi.String("web.example.com"),
			Region:        "eu-west-1",
			ReplicaRegion: "eu-central-1",
			Behaviors:     []edge.Behavior{{PathPattern: "/upload/*", Origin: edge.OriginStatic, Methods: edge.MethodsAll}},
			USEast1:       east,
		})
		fmt.Println(err)
		return nil
	}, mocktest.Options{})
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// edge: Replica: required: a provider for ReplicaRegion, where the failover bucket lives
	// edge: Behaviors[0].Methods: [DELETE GET HEAD OPTIONS PATCH POST PUT] on origin group "static": origin groups serve only GET, HEAD and OPTIONS; route /upload/* to the app origin
}
