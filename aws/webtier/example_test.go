package webtier_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/webtier"
	"github.com/hawebtier/hawebtier/components/testkit"
)

// Both tiers on an existing network, HTTPS with HTTP redirected, the app
// servers reading an existing database's RDS-managed secret, in the region
// of an explicit provider (which also finds the Debian AMI). The function
// given to testkit.Run is the Pulumi program: in your own main.go it is
// what you pass to pulumi.Run.
func ExampleNewWebTier() {
	res, err := testkit.Run(context.Background(), func(ctx *pulumi.Context) error {
		ireland, err := aws.NewProvider(ctx, "eu-west-1", &aws.ProviderArgs{Region: pulumi.String("eu-west-1")})
		if err != nil {
			return err
		}
		_, err = webtier.NewWebTier(ctx, "shop", &webtier.WebTierArgs{
			Environment:       "staging",
			VpcID:             pulumi.String("vpc-0123"),
			PublicSubnetIDs:   pulumi.ToStringArray([]string{"subnet-pub-a", "subnet-pub-b"}),
			AppSubnetIDs:      pulumi.ToStringArray([]string{"subnet-app-a", "subnet-app-b"}),
			Web:               webtier.TierArgs{InstanceType: "t3.small", MinSize: 2, MaxSize: 4},
			App:               webtier.TierArgs{InstanceType: "t3.medium", MinSize: 2, MaxSize: 4},
			CertificateARN:    "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
			DatabaseEndpoint:  pulumi.String("shop.cabc.eu-west-1.rds.amazonaws.com:3306"),
			DatabaseSecretARN: pulumi.String("arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1234-AbCdEf"),
		}, pulumi.Providers(ireland))
		return err
	}, testkit.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, name := range []string{"shop-web", "shop-app"} {
		lt := res.Find("aws:ec2/launchTemplate:LaunchTemplate", name)
		asg := res.Find("aws:autoscaling/group:Group", name)
		ud, _ := base64.StdEncoding.DecodeString(lt.String("userData"))
		fmt.Printf("%s: %s, IMDS tokens %v, health check %v, template version %v, cloud-config %v\n", name,
			lt.String("imageId"), lt.Input("metadataOptions").(map[string]any)["httpTokens"], asg.String("healthCheckType"),
			asg.Input("launchTemplate").(map[string]any)["version"], strings.HasPrefix(string(ud), "#cloud-config"))
	}
	ireland := res.Find("pulumi:providers:aws", "eu-west-1")
	lookups := res.InvokesOf("aws:ssm/getParameter:getParameter")
	inIreland := 0
	for _, inv := range lookups {
		if inv.ProviderURN() == ireland.URN {
			inIreland++
		}
	}
	fmt.Printf("AMI lookups: %d of %d asked of eu-west-1 (%s)\n", inIreland, len(lookups), lookups[0].Args["name"])
	for _, l := range res.OfType("aws:lb/listener:Listener") {
		fmt.Println(l.Name, l.String("protocol"), l.Input("port"), l.Input("defaultActions").([]any)[0].(map[string]any)["type"])
	}
	// Output:
	// shop-web: ami-0d3b1e8a7c9f2e541, IMDS tokens required, health check ELB, template version 1, cloud-config true
	// shop-app: ami-0d3b1e8a7c9f2e541, IMDS tokens required, health check ELB, template version 1, cloud-config true
	// AMI lookups: 2 of 2 asked of eu-west-1 (/aws/service/debian/release/12/latest/amd64)
	// shop-http HTTP 80 redirect
	// shop-https HTTPS 443 forward
	// shop-internal-http HTTP 80 forward
}
