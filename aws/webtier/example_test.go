package webtier_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/webtier"
	"github.com/hawebtier/hawebtier/internal/mocktest"
)

// Both tiers on an existing network, HTTPS with HTTP redirected, the app
// servers reading an existing database's RDS-managed secret.
func ExampleNewWebTier() {
	res, err := mocktest.Run(context.Background(), func(ctx *pulumi.Context) error {
		_, err := webtier.NewWebTier(ctx, "shop", &webtier.WebTierArgs{
			Environment:       "staging",
			VpcID:             pulumi.String("vpc-0123"),
			PublicSubnetIDs:   pulumi.ToStringArray([]string{"subnet-pub-a", "subnet-pub-b"}),
			AppSubnetIDs:      pulumi.ToStringArray([]string{"subnet-app-a", "subnet-app-b"}),
			Web:               webtier.TierArgs{InstanceType: "t3.small", MinSize: 2, MaxSize: 4},
			App:               webtier.TierArgs{InstanceType: "t3.medium", MinSize: 2, MaxSize: 4},
			CertificateARN:    "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
			DatabaseEndpoint:  pulumi.String("shop.cabc.eu-west-1.rds.amazonaws.com:3306"),
			DatabaseSecretARN: pulumi.String("arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1234-AbCdEf"),
		})
		return err
	}, mocktest.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, name := range []string{"shop-web", "shop-app"} {
		lt := res.Find("aws:ec2/launchTemplate:LaunchTemplate", name)
		asg := res.Find("aws:autoscaling/group:Group", name)
		ud, _ := base64.StdEncoding.DecodeString(lt.String("userData"))
		fmt.Printf("%s: IMDS tokens %v, health check %v, template version %v, cloud-config %v\n", name,
			lt.Input("metadataOptions").(map[string]any)["httpTokens"], asg.String("healthCheckType"),
			asg.Input("launchTemplate").(map[string]any)["version"], strings.HasPrefix(string(ud), "#cloud-config"))
	}
	for _, l := range res.OfType("aws:lb/listener:Listener") {
		fmt.Println(l.Name, l.String("protocol"), l.Input("port"), l.Input("defaultActions").([]any)[0].(map[string]any)["type"])
	}
	// Output:
	// shop-web: IMDS tokens required, health check ELB, template version 1, cloud-config true
	// shop-app: IMDS tokens required, health check ELB, template version 1, cloud-config true
	// shop-http HTTP 80 redirect
	// shop-https HTTPS 443 forward
	// shop-internal-http HTTP 80 forward
}
