package webtier

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/components/roles"
)

// loadBalancers are the public ALB in front of the web tier and the
// internal ALB in front of the app tier, with their target groups.
type loadBalancers struct {
	public         *lb.LoadBalancer
	internal       *lb.LoadBalancer
	webTargetGroup *lb.TargetGroup
	appTargetGroup *lb.TargetGroup
	// publicHTTPListener is the public port-80 listener (the edge adds its
	// origin-header rule there).
	publicHTTPListener *lb.Listener
}

// newALB is one Application Load Balancer of the tier. Its idle timeout
// is the one httpd's keep-alive and backend reuse are rendered against
// (roles.ALBIdleTimeoutSeconds).
func newALB(ctx *pulumi.Context, name string, internal bool, subnets pulumi.StringArrayInput, sg *ec2.SecurityGroup, tags func(string) pulumi.StringMap, parent pulumi.ResourceOption) (*lb.LoadBalancer, error) {
	return lb.NewLoadBalancer(ctx, name, &lb.LoadBalancerArgs{
		LoadBalancerType:        pulumi.String("application"),
		Internal:                pulumi.Bool(internal),
		IdleTimeout:             pulumi.Int(roles.ALBIdleTimeoutSeconds),
		Subnets:                 subnets,
		SecurityGroups:          pulumi.StringArray{sg.ID()},
		DropInvalidHeaderFields: pulumi.Bool(true),
		Tags:                    tags(name),
	}, parent)
}

// newLoadBalancers builds both ALBs, the tiers' target groups and the
// listeners that forward to them.
func newLoadBalancers(ctx *pulumi.Context, name string, a WebTierArgs, sgs *securityGroups, tags func(string) pulumi.StringMap, parent pulumi.ResourceOption) (*loadBalancers, error) {
	publicALB, err := newALB(ctx, name+"-public", false, a.PublicSubnetIDs, sgs.publicALB, tags, parent)
	if err != nil {
		return nil, err
	}
	internalALB, err := newALB(ctx, name+"-internal", true, a.AppSubnetIDs, sgs.internalALB, tags, parent)
	if err != nil {
		return nil, err
	}
	webTG, err := newTargetGroup(ctx, name+"-web", a.VpcID, WebPort, WebHealthPath, tags, parent)
	if err != nil {
		return nil, err
	}
	appTG, err := newTargetGroup(ctx, name+"-app", a.VpcID, AppPort, AppHealthPath, tags, parent)
	if err != nil {
		return nil, err
	}
	httpListener, err := newPublicListeners(ctx, name, a, publicALB, webTG, parent)
	if err != nil {
		return nil, err
	}
	if _, err := lb.NewListener(ctx, name+"-internal-http", &lb.ListenerArgs{
		LoadBalancerArn: internalALB.Arn,
		Port:            pulumi.Int(80),
		Protocol:        pulumi.String("HTTP"),
		DefaultActions:  lb.ListenerDefaultActionArray{forward(appTG)},
	}, parent); err != nil {
		return nil, err
	}
	return &loadBalancers{
		public:             publicALB,
		internal:           internalALB,
		webTargetGroup:     webTG,
		appTargetGroup:     appTG,
		publicHTTPListener: httpListener,
	}, nil
}

func newPublicListeners(ctx *pulumi.Context, name string, a WebTierArgs, alb *lb.LoadBalancer, tg *lb.TargetGroup, parent pulumi.ResourceOption) (*lb.Listener, error) {
	httpAction := forward(tg)
	httpsAction := forward(tg)
	if a.DenyWithoutOriginRule {
		httpAction = denyAction()
		httpsAction = denyAction()
	}
	if a.CertificateARN != "" {
		if _, err := lb.NewListener(ctx, name+"-https", &lb.ListenerArgs{
			LoadBalancerArn: alb.Arn,
			Port:            pulumi.Int(443),
			Protocol:        pulumi.String("HTTPS"),
			CertificateArn:  pulumi.String(a.CertificateARN),
			SslPolicy:       pulumi.String(SSLPolicy),
			DefaultActions:  lb.ListenerDefaultActionArray{httpsAction},
		}, parent); err != nil {
			return nil, err
		}
		// Behind CloudFront over HTTP a redirect would send CloudFront back
		// to port 80 forever; CloudFront itself redirects viewers to HTTPS.
		if !a.OriginFromCloudFront {
			httpAction = lb.ListenerDefaultActionArgs{
				Type: pulumi.String("redirect"),
				Redirect: lb.ListenerDefaultActionRedirectArgs{
					Protocol: pulumi.String("HTTPS"), Port: pulumi.String("443"), StatusCode: pulumi.String("HTTP_301"),
				},
			}
		}
	}
	return lb.NewListener(ctx, name+"-http", &lb.ListenerArgs{
		LoadBalancerArn: alb.Arn,
		Port:            pulumi.Int(80),
		Protocol:        pulumi.String("HTTP"),
		DefaultActions:  lb.ListenerDefaultActionArray{httpAction},
	}, parent)
}

// denyAction answers requests that no listener rule admitted.
func denyAction() lb.ListenerDefaultActionArgs {
	return lb.ListenerDefaultActionArgs{
		Type: pulumi.String("fixed-response"),
		FixedResponse: lb.ListenerDefaultActionFixedResponseArgs{
			ContentType: pulumi.String("text/plain"),
			MessageBody: pulumi.String("Forbidden"),
			StatusCode:  pulumi.String("403"),
		},
	}
}

func newTargetGroup(ctx *pulumi.Context, name string, vpc pulumi.StringInput, port int, healthPath string, tags func(string) pulumi.StringMap, parent pulumi.ResourceOption) (*lb.TargetGroup, error) {
	return lb.NewTargetGroup(ctx, name, &lb.TargetGroupArgs{
		VpcId:               vpc,
		Port:                pulumi.Int(port),
		Protocol:            pulumi.String("HTTP"),
		TargetType:          pulumi.String("instance"),
		DeregistrationDelay: pulumi.Int(30),
		HealthCheck: lb.TargetGroupHealthCheckArgs{
			Enabled:            pulumi.Bool(true),
			Path:               pulumi.String(healthPath),
			Protocol:           pulumi.String("HTTP"),
			Matcher:            pulumi.String("200"),
			Interval:           pulumi.Int(10),
			Timeout:            pulumi.Int(5),
			HealthyThreshold:   pulumi.Int(2),
			UnhealthyThreshold: pulumi.Int(2),
		},
		Tags: tags(name),
	}, parent)
}

func forward(tg *lb.TargetGroup) lb.ListenerDefaultActionArgs {
	return lb.ListenerDefaultActionArgs{Type: pulumi.String("forward"), TargetGroupArn: tg.Arn}
}
