package edge

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/edge/shield"
	"github.com/hawebtier/hawebtier/aws/edge/waf"
	"github.com/hawebtier/hawebtier/components/problem"
)

// OriginAccess is how CloudFront authenticates to the S3 origins.
type OriginAccess string

const (
	// OriginAccessOAI is an Origin Access Identity (the default, as asked).
	// It cannot read SSE-KMS objects nor reach buckets in regions launched
	// after December 2022.
	OriginAccessOAI OriginAccess = "oai"
	// OriginAccessOAC is Origin Access Control: SigV4-signed requests from
	// the CloudFront service principal, AWS's recommended option.
	OriginAccessOAC OriginAccess = "oac"
)

// Origin is what a behaviour forwards to.
type Origin string

const (
	// OriginApp is the ALB: every method, nothing cached.
	OriginApp Origin = "app"
	// OriginStatic is the S3 origin group: the primary bucket, then its
	// replica. GET, HEAD and OPTIONS only.
	OriginStatic Origin = "static"
)

// ProtocolPolicy is how CloudFront speaks to viewers (a behaviour's
// ViewerProtocolPolicy) or to the ALB origin (OriginProtocolPolicy).
type ProtocolPolicy string

// Protocol policies; allow-all and match-viewer are not offered.
const (
	// RedirectToHTTPS redirects viewers' HTTP to HTTPS (viewers only).
	RedirectToHTTPS ProtocolPolicy = "redirect-to-https"
	// HTTPSOnly: viewers or the origin over HTTPS only.
	HTTPSOnly ProtocolPolicy = "https-only"
	// HTTPOnly: the origin over HTTP only (origins only), for an ALB
	// without a certificate that admits only CloudFront.
	HTTPOnly ProtocolPolicy = "http-only"
)

// The method sets CloudFront accepts for a behaviour.
var (
	MethodsRead        = []string{"GET", "HEAD"}
	MethodsReadOptions = []string{"GET", "HEAD", "OPTIONS"}
	MethodsAll         = []string{"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"}
)

// Behavior routes a path pattern to an origin.
type Behavior struct {
	// PathPattern such as /static/*.
	PathPattern string
	Origin      Origin
	// Methods is one of MethodsRead, MethodsReadOptions or MethodsAll;
	// default MethodsRead for OriginStatic, MethodsAll for OriginApp.
	// Origin groups accept only the first two.
	Methods []string
	// ViewerProtocolPolicy is RedirectToHTTPS (default) or HTTPSOnly.
	ViewerProtocolPolicy ProtocolPolicy
}

// ErrorPage replaces an origin error with a page.
type ErrorPage struct {
	ErrorCode    int
	ResponseCode int
	// PagePath is served through the behaviour that matches it.
	PagePath string
	// CacheSeconds is how long CloudFront caches the error; default 10.
	CacheSeconds int
}

// MaintenancePage is the page viewers get when the ALB fails, served from
// the static origin group.
const MaintenancePage = "/maintenance/index.html"

// DefaultBehaviors are the ordered behaviours used when EdgeArgs.Behaviors
// is nil: static content and the maintenance page from the S3 group.
// Everything else goes to the ALB (the default behaviour).
func DefaultBehaviors() []Behavior {
	return []Behavior{
		{PathPattern: "/static/*", Origin: OriginStatic, Methods: MethodsReadOptions},
		{PathPattern: "/maintenance/*", Origin: OriginStatic, Methods: MethodsRead},
	}
}

// DefaultErrorPages show the maintenance page for ALB failures.
func DefaultErrorPages() []ErrorPage {
	var out []ErrorPage
	for _, code := range []int{502, 503, 504} {
		out = append(out, ErrorPage{ErrorCode: code, ResponseCode: 503, PagePath: MaintenancePage, CacheSeconds: 10})
	}
	return out
}

// EdgeArgs describe the edge. The json names are the keys of a config
// object that holds these args (the project's hawebtier:aws.edge); fields
// tagged "-" are wired by the program.
type EdgeArgs struct {
	// OriginDomain is the ALB's DNS name (or any HTTPS origin). Required.
	OriginDomain pulumi.StringInput `json:"-"`
	// OriginProtocolPolicy is https-only (default; the origin's certificate
	// must cover OriginDomain) or http-only.
	OriginProtocolPolicy ProtocolPolicy `json:"-"`
	// OriginPort defaults to 443 (https-only) or 80 (http-only). It is the
	// one port the prefix-list rule opens.
	OriginPort int `json:"-"`

	// OriginSecurityGroupID is the ALB's security group: it gets the
	// ingress rule for CloudFront's origin-facing prefix list. nil skips it.
	OriginSecurityGroupID pulumi.StringInput `json:"-"`
	// ListenerARN is the ALB listener CloudFront reaches (OriginPort). With
	// TargetGroupARN, it gets the rule that forwards only requests carrying
	// the secret origin header. nil skips the rule.
	ListenerARN    pulumi.StringInput `json:"-"`
	TargetGroupARN pulumi.StringInput `json:"-"`
	// ListenerRulePriority defaults to 1.
	ListenerRulePriority int `json:"-"`
	// LoadBalancerARN is protected by Shield when Shield is set.
	LoadBalancerARN pulumi.StringInput `json:"-"`

	// Behaviors are the ordered cache behaviours; nil means
	// DefaultBehaviors. The default behaviour always goes to the ALB.
	Behaviors []Behavior `json:"-"`
	// ErrorPages; nil means DefaultErrorPages.
	ErrorPages []ErrorPage `json:"-"`
	// MaintenanceHTML is uploaded to MaintenancePage in the static bucket
	// (and replicated); default DefaultMaintenanceHTML.
	MaintenanceHTML string `json:"-"`

	// Region is the primary region (the default provider's): it holds the
	// primary bucket and, when CloudFront delivers logs there, the logs.
	Region string `json:"-"`
	// ReplicaRegion holds the failover bucket; the Replica provider must
	// be for it.
	ReplicaRegion string `json:"replicaRegion"`
	// Domain gives the distribution a custom name with an ACM certificate
	// in us-east-1. HostedZoneID, when set, gets the DNS validation record
	// and alias records.
	Domain       string `json:"domain"`
	HostedZoneID string `json:"hostedZoneId"`

	// OriginAccess is OriginAccessOAI (default) or OriginAccessOAC.
	OriginAccess OriginAccess `json:"originAccess"`
	// KMS encrypts the buckets with customer managed keys (OAC only).
	KMS bool `json:"kms"`
	// RateLimit is the WAF limit per IP per 5 minutes; default 2000.
	RateLimit int `json:"rateLimit"`
	// PriceClass defaults to PriceClass_100.
	PriceClass string `json:"priceClass"`
	// Shield turns on Shield Advanced; nil leaves it off. Its
	// DistributionARN, LoadBalancerARN, HealthCheckFQDN and USEast1 are
	// filled in here.
	Shield *ShieldArgs `json:"shield"`
	// Production protects and retains the buckets and keys.
	Production bool `json:"-"`

	// USEast1 is a provider for us-east-1 (web ACL, certificate, Shield,
	// WAF logs). Required.
	USEast1 *aws.Provider `json:"-"`
	// Replica is a provider for ReplicaRegion. Required.
	Replica *aws.Provider     `json:"-"`
	Tags    map[string]string `json:"-"`
	// ResourceName names the AWS objects of this component whose names are
	// unique in an account (and region): the web ACL and its log group, the
	// Origin Access Control and the Shield protection group; 1-36 lowercase
	// letters, digits and -. Default: the component's name. Two stacks in one
	// account need different ones; the project's stacks use
	// <project>-<stack>-<component>.
	ResourceName string `json:"-"`
}

// ShieldArgs are the Shield Advanced choices of the edge.
type ShieldArgs struct {
	// Subscribe creates the one-year Shield Advanced subscription.
	Subscribe bool             `json:"subscribe"`
	Contacts  []shield.Contact `json:"contacts"`
	// AlarmEmail subscribes to the DDoSDetected alarm topics.
	AlarmEmail string `json:"alarmEmail"`
	// AutomaticResponseAction is COUNT (default) or BLOCK.
	AutomaticResponseAction string `json:"automaticResponseAction"`
}

// oaiUnsupportedRegions are the opt-in regions launched after December
// 2022, which Origin Access Identities cannot reach (AWS: "OAC supports all
// S3 buckets in all Regions, including opt-in Regions launched after
// December 2022").
var oaiUnsupportedRegions = []string{
	"ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
	"ap-east-2", "ca-west-1", "il-central-1", "mx-central-1",
}

// SupportsOAI reports whether an Origin Access Identity can read S3
// buckets in region.
func SupportsOAI(region string) bool { return !slices.Contains(oaiUnsupportedRegions, region) }

// noLogDeliveryRegions are opt-in regions CloudFront does not deliver
// standard logs to; the logs bucket goes to us-east-1 instead.
var noLogDeliveryRegions = []string{
	"af-south-1", "ap-east-1", "ap-east-2", "ap-south-2", "ap-southeast-3", "ap-southeast-4",
	"ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-west-1", "eu-central-2",
	"eu-south-1", "eu-south-2", "il-central-1", "me-central-1", "me-south-1", "mx-central-1",
}

var (
	regionRe = regexp.MustCompile(`^[a-z]{2}(-gov)?-[a-z]+-[0-9]$`)
	domainRe = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
	zoneRe   = regexp.MustCompile(`^Z[A-Z0-9]{1,31}$`)
	nameRe   = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,35}$`)
)

// component is how errors name the component: `edge "<name>": ...`.
const component = "edge"

func (args *EdgeArgs) validate(name string) (EdgeArgs, error) {
	if args == nil {
		return EdgeArgs{}, problem.Errorf(component, name, "args are required")
	}
	a := *args
	probs := problem.List{Component: component, Instance: name}
	bad := probs.Add
	if !nameRe.MatchString(name) {
		bad("name", "%q: use 1-36 lowercase letters, digits and - (it names the buckets)", name)
	}
	if a.ResourceName == "" {
		a.ResourceName = name
	}
	if !nameRe.MatchString(a.ResourceName) {
		bad("ResourceName", "%q: use 1-36 lowercase letters, digits and - (it names the web ACL, the Origin Access Control and the Shield group)", a.ResourceName)
	}
	if a.USEast1 == nil {
		bad("USEast1", "required: a provider for us-east-1, where the web ACL, the CloudFront certificate and Shield live")
	}
	if a.Replica == nil {
		bad("Replica", "required: a provider for ReplicaRegion, where the failover bucket lives")
	}
	if a.OriginDomain == nil {
		bad("OriginDomain", "required: the ALB's DNS name")
	}
	switch a.OriginProtocolPolicy {
	case "", HTTPSOnly:
		a.OriginProtocolPolicy = HTTPSOnly
		if a.OriginPort == 0 {
			a.OriginPort = 443
		}
	case HTTPOnly:
		if a.OriginPort == 0 {
			a.OriginPort = 80
		}
	default:
		bad("OriginProtocolPolicy", "expected https-only or http-only, got %q", a.OriginProtocolPolicy)
	}
	if a.OriginPort < 1 || a.OriginPort > 65535 {
		bad("OriginPort", "expected 1-65535, got %d", a.OriginPort)
	}
	if (a.ListenerARN == nil) != (a.TargetGroupARN == nil) {
		bad("ListenerARN", "ListenerARN and TargetGroupARN go together: the header rule forwards to the target group")
	}
	if a.ListenerRulePriority == 0 {
		a.ListenerRulePriority = 1
	}
	if a.ListenerRulePriority < 1 || a.ListenerRulePriority > 50000 {
		bad("ListenerRulePriority", "expected 1-50000, got %d", a.ListenerRulePriority)
	}

	if !regionRe.MatchString(a.Region) {
		bad("Region", "expected an AWS region such as eu-west-1, got %q", a.Region)
	}
	if !regionRe.MatchString(a.ReplicaRegion) {
		bad("ReplicaRegion", "expected an AWS region such as eu-central-1, got %q", a.ReplicaRegion)
	} else if a.ReplicaRegion == a.Region {
		bad("ReplicaRegion", "%s is the primary region: the failover bucket must be in another one", a.ReplicaRegion)
	}
	if a.Domain != "" && !domainRe.MatchString(a.Domain) {
		bad("Domain", "expected a lowercase DNS name such as www.example.com, got %q", a.Domain)
	}
	if a.HostedZoneID != "" {
		if a.Domain == "" {
			bad("HostedZoneID", "needs Domain: the zone holds the domain's validation and alias records")
		}
		if !zoneRe.MatchString(a.HostedZoneID) {
			bad("HostedZoneID", "expected a Route 53 zone id such as Z0123456789ABC, got %q", a.HostedZoneID)
		}
	}

	switch a.OriginAccess {
	case "":
		a.OriginAccess = OriginAccessOAI
	case OriginAccessOAI, OriginAccessOAC:
	default:
		bad("OriginAccess", "expected oai or oac, got %q", a.OriginAccess)
	}
	if a.OriginAccess == OriginAccessOAI {
		if a.KMS {
			bad("KMS", "SSE-KMS buckets need OriginAccess oac: an Origin Access Identity cannot read KMS-encrypted objects")
		}
		for _, r := range []struct{ field, region string }{{"Region", a.Region}, {"ReplicaRegion", a.ReplicaRegion}} {
			if slices.Contains(oaiUnsupportedRegions, r.region) {
				bad(r.field, "%s launched after December 2022 and does not support Origin Access Identities: use OriginAccess oac", r.region)
			}
		}
	}
	if a.PriceClass == "" {
		a.PriceClass = "PriceClass_100"
	}
	switch a.PriceClass {
	case "PriceClass_100", "PriceClass_200", "PriceClass_All":
	default:
		bad("PriceClass", "expected PriceClass_100, PriceClass_200 or PriceClass_All, got %q", a.PriceClass)
	}

	if a.Behaviors == nil {
		a.Behaviors = DefaultBehaviors()
	}
	a.Behaviors = slices.Clone(a.Behaviors)
	seen := map[string]bool{}
	for i := range a.Behaviors {
		b := &a.Behaviors[i]
		field := fmt.Sprintf("Behaviors[%d]", i)
		if b.PathPattern == "" || strings.ContainsAny(b.PathPattern, " \t") {
			bad(field+".PathPattern", "expected a path pattern such as /static/*, got %q", b.PathPattern)
		} else if seen[b.PathPattern] {
			bad(field+".PathPattern", "%q appears twice", b.PathPattern)
		}
		seen[b.PathPattern] = true
		switch b.ViewerProtocolPolicy {
		case "":
			b.ViewerProtocolPolicy = RedirectToHTTPS
		case RedirectToHTTPS, HTTPSOnly:
		default:
			bad(field+".ViewerProtocolPolicy", "expected redirect-to-https or https-only, got %q", b.ViewerProtocolPolicy)
		}
		if b.Methods == nil {
			b.Methods = MethodsRead
			if b.Origin == OriginApp {
				b.Methods = MethodsAll
			}
		}
		methods := slices.Sorted(slices.Values(b.Methods))
		switch b.Origin {
		case OriginApp:
			if !slices.Equal(methods, MethodsRead) && !slices.Equal(methods, MethodsReadOptions) && !slices.Equal(methods, MethodsAll) {
				bad(field+".Methods", "CloudFront accepts GET,HEAD or GET,HEAD,OPTIONS or all seven methods, got %v", b.Methods)
			}
		case OriginStatic:
			if !slices.Equal(methods, MethodsRead) && !slices.Equal(methods, MethodsReadOptions) {
				bad(field+".Methods", "%v on origin group %q: origin groups serve only GET, HEAD and OPTIONS; route %s to the app origin", b.Methods, b.Origin, b.PathPattern)
			}
		default:
			bad(field+".Origin", "expected %q or %q, got %q", OriginApp, OriginStatic, b.Origin)
		}
		b.Methods = methods
	}
	if len(a.Behaviors) > 75 {
		bad("Behaviors", "CloudFront allows 75 cache behaviours by default, got %d", len(a.Behaviors))
	}
	if a.MaintenanceHTML == "" {
		a.MaintenanceHTML = DefaultMaintenanceHTML
	}
	if a.ErrorPages == nil {
		a.ErrorPages = DefaultErrorPages()
	}
	a.ErrorPages = slices.Clone(a.ErrorPages)
	for i := range a.ErrorPages {
		p := &a.ErrorPages[i]
		field := fmt.Sprintf("ErrorPages[%d]", i)
		if p.ErrorCode < 400 || p.ErrorCode > 599 {
			bad(field+".ErrorCode", "expected a 4xx or 5xx code, got %d", p.ErrorCode)
		}
		if p.ResponseCode != 0 && (p.ResponseCode < 200 || p.ResponseCode > 599) {
			bad(field+".ResponseCode", "expected 200-599, got %d", p.ResponseCode)
		}
		if !strings.HasPrefix(p.PagePath, "/") {
			bad(field+".PagePath", "must start with /, got %q", p.PagePath)
		}
		if p.CacheSeconds == 0 {
			p.CacheSeconds = 10
		}
	}
	// The web ACL and Shield are built after the distribution; their args
	// are checked now so a mistake there registers nothing either.
	if a.USEast1 != nil && nameRe.MatchString(name) && nameRe.MatchString(a.ResourceName) {
		probs.Include("", a.wafArgs().Validate(name))
		if a.Shield != nil {
			placeholder := pulumi.String("arn:aws:placeholder")
			probs.Include("Shield.", a.shieldArgs(placeholder, placeholder).Validate(name))
		}
	}
	return a, probs.Err()
}

func (a *EdgeArgs) wafArgs() *waf.WebACLArgs {
	return &waf.WebACLArgs{RateLimit: a.RateLimit, USEast1: a.USEast1, Tags: a.Tags, ResourceName: a.ResourceName}
}

func (a *EdgeArgs) shieldArgs(distributionARN, healthCheckFQDN pulumi.StringInput) *shield.ShieldArgs {
	return &shield.ShieldArgs{
		DistributionARN:         distributionARN,
		LoadBalancerARN:         a.LoadBalancerARN,
		HealthCheckFQDN:         healthCheckFQDN,
		AutomaticResponseAction: a.Shield.AutomaticResponseAction,
		Subscribe:               a.Shield.Subscribe,
		Contacts:                a.Shield.Contacts,
		AlarmEmail:              a.Shield.AlarmEmail,
		USEast1:                 a.USEast1,
		Tags:                    a.Tags,
		ResourceName:            a.ResourceName,
	}
}
