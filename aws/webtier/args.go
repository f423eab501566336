package webtier

import (
	"regexp"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/components/httpd"
	"github.com/hawebtier/hawebtier/components/problem"
)

// Defaults of TierArgs.
const (
	DefaultTargetCPUPercent = 60
	DefaultWebInstanceType  = "t3.small"
	DefaultAppInstanceType  = "t3.medium"
	DefaultVolumeSizeGB     = 20
	// MinInstances per tier: one per AZ in at least two AZs.
	MinInstances = 2
)

// TierArgs size one Auto Scaling Group.
type TierArgs struct {
	// InstanceType such as m6i.large; default DefaultWebInstanceType or
	// DefaultAppInstanceType. Graviton types (m6g, t4g, ...) get the arm64
	// Debian image.
	InstanceType string `json:"instanceType"`
	// AMI pins the image; empty takes the latest Debian 12 from AWS's public
	// SSM parameter (a new Debian point release then rolls the tier: pin the
	// AMI in production to choose when).
	AMI string `json:"ami"`
	// MinSize, MaxSize and Desired capacity. Unset, MinSize is Desired,
	// Desired is MinSize and MaxSize twice MinSize. Scaling changes Desired
	// afterwards, so later updates leave it alone.
	MinSize int `json:"minSize"`
	MaxSize int `json:"maxSize"`
	// Desired is the tier's size, which the project's stacks take from
	// hawebtier:web.count and app.count.
	Desired int `json:"-"`
	// TargetCPUPercent is the average CPU the group scales to keep; default 60.
	TargetCPUPercent float64 `json:"targetCpuPercent"`
	// VolumeSizeGB is the encrypted gp3 root volume; default 20.
	VolumeSizeGB int `json:"volumeSizeGb"`
}

// withDefaults fills the unset fields of one tier; instanceType is the
// tier's default type.
func (t TierArgs) withDefaults(instanceType string) TierArgs {
	if t.InstanceType == "" {
		t.InstanceType = instanceType
	}
	if t.MinSize == 0 {
		t.MinSize = t.Desired
	}
	if t.Desired == 0 {
		t.Desired = t.MinSize
	}
	if t.MaxSize == 0 {
		t.MaxSize = 2 * t.MinSize
	}
	if t.TargetCPUPercent == 0 {
		t.TargetCPUPercent = DefaultTargetCPUPercent
	}
	if t.VolumeSizeGB == 0 {
		t.VolumeSizeGB = DefaultVolumeSizeGB
	}
	return t
}

// WithDefaults returns the args with every unset field that has a default
// filled in, as NewWebTier uses them. The json names of TierArgs are the
// keys of a config object that holds one tier (hawebtier:aws.web).
func (args WebTierArgs) WithDefaults() WebTierArgs {
	a := args
	if a.Connector == "" {
		a.Connector = httpd.ProxyHTTP
	}
	a.Web = a.Web.withDefaults(DefaultWebInstanceType)
	a.App = a.App.withDefaults(DefaultAppInstanceType)
	return a
}

// WebTierArgs describe both tiers and their load balancers. Plain values
// shape the graph; pulumi inputs wire it to a network, database and cache
// the caller may have built elsewhere.
type WebTierArgs struct {
	// Environment names the tier in the rendered configuration
	// (staging, production); a lowercase DNS label.
	Environment string
	// Connector must be "proxy_http" (the default): httpd reaches Tomcat
	// through the internal ALB, which speaks HTTP only, so proxy_ajp and jk
	// are rejected.
	Connector httpd.Connector

	VpcID pulumi.StringInput
	// PublicSubnetIDs hold the public ALB; AppSubnetIDs hold the internal
	// ALB and the instances of both tiers (one subnet per AZ).
	PublicSubnetIDs pulumi.StringArrayInput
	AppSubnetIDs    pulumi.StringArrayInput

	Web, App TierArgs

	// CertificateARN is an ACM certificate in the stack's region. Set: the
	// public ALB listens on 443 and redirects 80 to 443, unless
	// OriginFromCloudFront.
	CertificateARN string
	// OriginFromCloudFront: CloudFront reaches the ALB over HTTP, so port 80
	// forwards instead of redirecting (a redirect would loop).
	OriginFromCloudFront bool
	// DenyWithoutOriginRule makes the public listeners answer 403 by
	// default: only a listener rule added by the caller (the edge's rule
	// that checks CloudFront's secret origin header) forwards to the web
	// servers, so nobody bypasses the edge.
	DenyWithoutOriginRule bool
	// PublicIngressPrefixListIDs, when set, replaces 0.0.0.0/0 on the public
	// ALB's security group (e.g. the CloudFront origin-facing prefix list
	// com.amazonaws.global.cloudfront.origin-facing).
	PublicIngressPrefixListIDs pulumi.StringArrayInput

	// The data tiers the app servers use. Endpoints are host:port; the ARNs
	// are the Secrets Manager secrets the app servers read at boot, the
	// only secrets their instance profile may read. The database pair and
	// the cache pair are each optional; the cache needs the database.
	DatabaseEndpoint  pulumi.StringInput
	DatabaseSecretARN pulumi.StringInput
	CacheEndpoint     pulumi.StringInput
	CacheSecretARN    pulumi.StringInput

	Tags map[string]string
}

var (
	labelRe        = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	instanceTypeRe = regexp.MustCompile(`^[a-z][a-z0-9-]*\.[a-z0-9]+$`)
	amiRe          = regexp.MustCompile(`^ami-[0-9a-f]{8,17}$`)
	acmARNRe       = regexp.MustCompile(`^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[A-Za-z0-9-]+$`)
	// gravitonRe matches Graviton (arm64) instance families: a "g" among
	// the attribute letters after the generation digit (m6g, t4g, c7gn, r6gd).
	gravitonRe = regexp.MustCompile(`^[a-z]+[0-9]+[a-z-]*g[a-z-]*\.`)
)

// component is how errors name the component: `webtier "<name>": ...`.
const component = "webtier"

func (args *WebTierArgs) validate(name string) (WebTierArgs, error) {
	if args == nil {
		return WebTierArgs{}, problem.Errorf(component, name, "args are required")
	}
	a := args.WithDefaults()
	probs := problem.List{Component: component, Instance: name}
	bad := probs.Add
	if !labelRe.MatchString(a.Environment) {
		bad("Environment", "expected a lowercase name such as staging, got %q", a.Environment)
	}
	switch a.Connector {
	case httpd.ProxyHTTP:
	case httpd.ProxyAJP, httpd.JK:
		bad("Connector", "%q cannot be used on AWS: httpd reaches Tomcat through an internal ALB, which speaks HTTP only; use proxy_http", a.Connector)
	default:
		bad("Connector", "unknown connector %q, only proxy_http works on AWS", a.Connector)
	}
	if a.VpcID == nil {
		bad("VpcID", "required")
	}
	if a.PublicSubnetIDs == nil {
		bad("PublicSubnetIDs", "required: the public ALB's subnets, one per AZ")
	}
	if a.AppSubnetIDs == nil {
		bad("AppSubnetIDs", "required: the instances' and internal ALB's subnets, one per AZ")
	}
	a.Web = a.Web.validate("Web", bad)
	a.App = a.App.validate("App", bad)
	if a.CertificateARN != "" && !acmARNRe.MatchString(a.CertificateARN) {
		bad("CertificateARN", "expected an ACM certificate ARN, got %q", a.CertificateARN)
	}
	if (a.DatabaseEndpoint == nil) != (a.DatabaseSecretARN == nil) {
		bad("DatabaseEndpoint", "DatabaseEndpoint and DatabaseSecretARN go together")
	}
	if (a.CacheEndpoint == nil) != (a.CacheSecretARN == nil) {
		bad("CacheEndpoint", "CacheEndpoint and CacheSecretARN go together")
	}
	if a.CacheEndpoint != nil && a.DatabaseEndpoint == nil {
		bad("CacheEndpoint", "a cache needs the database too (DatabaseEndpoint, DatabaseSecretARN)")
	}
	return a, probs.Err()
}

func (t TierArgs) validate(tier string, bad func(field, format string, v ...any)) TierArgs {
	f := func(name string) string { return tier + "." + name }
	if !instanceTypeRe.MatchString(t.InstanceType) {
		bad(f("InstanceType"), "expected an EC2 instance type such as m6i.large, got %q", t.InstanceType)
	}
	if t.AMI != "" && !amiRe.MatchString(t.AMI) {
		bad(f("AMI"), "expected an image id such as ami-0123456789abcdef0, got %q", t.AMI)
	}
	if t.MinSize < MinInstances {
		bad(f("MinSize"), "need at least %d instances for HA (one per AZ), got %d", MinInstances, t.MinSize)
	}
	if t.MaxSize < t.MinSize {
		bad(f("MaxSize"), "must be at least MinSize (%d), got %d", t.MinSize, t.MaxSize)
	}
	if t.Desired < t.MinSize || t.Desired > t.MaxSize {
		bad(f("Desired"), "must be between MinSize (%d) and MaxSize (%d), got %d", t.MinSize, t.MaxSize, t.Desired)
	}
	if t.TargetCPUPercent < 1 || t.TargetCPUPercent > 100 {
		bad(f("TargetCPUPercent"), "expected 1-100, got %v", t.TargetCPUPercent)
	}
	if t.VolumeSizeGB < 8 || t.VolumeSizeGB > 16384 {
		bad(f("VolumeSizeGB"), "expected 8-16384 GiB, got %d", t.VolumeSizeGB)
	}
	return t
}

// Architecture returns the Debian image architecture for an instance type:
// arm64 for Graviton families, amd64 otherwise.
func Architecture(instanceType string) string {
	if gravitonRe.MatchString(instanceType) {
		return "arm64"
	}
	return "amd64"
}

// DebianAMIParameter is AWS's public SSM parameter with the latest Debian 12
// image for an architecture.
func DebianAMIParameter(arch string) string {
	return "/aws/service/debian/release/12/latest/" + arch
}
