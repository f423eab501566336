package edge_test

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/edge"
	"github.com/hawebtier/hawebtier/components/problem"
	"github.com/hawebtier/hawebtier/components/testkit"
)

// An edge in front of an ALB with a custom domain: static paths fail over
// between two regions, everything else goes to the ALB, which admits only
// CloudFront. Each region has its explicit provider: the stack's own
// (eu-west-1) for the ALB's side, us-east-1 for the certificate and the web
// ACL, eu-central-1 for the failover bucket. The function given to
// testkit.Run is the Pulumi program: in your own main.go it is what you
// pass to pulumi.Run.
func ExampleNewEdge() {
	res, err := testkit.Run(context.Background(), func(ctx *pulumi.Context) error {
		ireland, err := aws.NewProvider(ctx, "eu-west-1", &aws.ProviderArgs{Region: pulumi.String("eu-west-1")})
		if err != nil {
			return err
		}
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
		}, pulumi.Providers(ireland))
		return err
	}, testkit.Options{})
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
	cert := res.Find("aws:acm/certificate:Certificate", "shop")
	fmt.Println("certificate in us-east-1:", cert != nil && cert.ProviderURN() == res.Find("pulumi:providers:aws", "us-east-1").URN,
		"origin rule in eu-west-1:", rule.ProviderURN() == res.Find("pulumi:providers:aws", "eu-west-1").URN)
	// Output:
	// default: app
	// /static/* -> static [GET HEAD OPTIONS] redirect-to-https
	// /maintenance/* -> static [GET HEAD] redirect-to-https
	// viewer TLS: TLSv1.2_2021
	// ALB admits pl-4fa04526 on 80
	// distribution secret inputs: [origins[0].customHeaders[0].value]
	// listener rule secret inputs: [conditions[0].httpHeader.values[0]]
	// certificate in us-east-1: true origin rule in eu-west-1: true
}

// A behaviour that accepts POST cannot use an origin group. NewEdge
// checks every argument before it registers anything and reports all
// problems at once, each naming its field (components/problem).
func ExampleNewEdge_postOnOriginGroup() {
	res, err := testkit.Run(context.Background(), func(ctx *pulumi.Context) error {
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
		return err
	}, testkit.Options{})
	problems, _ := problem.Of(err)
	for _, p := range problems {
		fmt.Printf("%s: %s\n", p.Field, p.Message)
	}
	fmt.Println("distributions:", len(res.OfType("aws:cloudfront/distribution:Distribution")))
	// Output:
	// Replica: required: a provider for ReplicaRegion, where the failover bucket lives
	// Behaviors[0].Methods: [DELETE GET HEAD OPTIONS PATCH POST PUT] on origin group "static": origin groups serve only GET, HEAD and OPTIONS; route /upload/* to the app origin
	// distributions: 0
}
