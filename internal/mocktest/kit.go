package mocktest

import (
	"context"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/components/testkit"
)

// The harness is components/testkit; these names keep the project's
// hundreds of tests (and internal/plan) compiling against the package
// they were written for. New code outside internal/ uses testkit itself.
type (
	Options          = testkit.Options
	Resource         = testkit.Resource
	Result           = testkit.Result
	Invoke           = testkit.Invoke
	StateFunc        = testkit.StateFunc
	InvokeFunc       = testkit.InvokeFunc
	RunInvokeFunc    = testkit.RunInvokeFunc
	VSphereInventory = testkit.VSphereInventory
)

// The project's runs are named hawebtier/test unless Options say
// otherwise: the golden files and the canned StackReference keys
// ("organization/hawebtier/aws-staging") hold those names.
const (
	DefaultProject = "hawebtier"
	DefaultStack   = "test"
)

// Run is testkit.Run with the project's default names.
func Run(ctx context.Context, fn pulumi.RunFunc, opts Options) (*Result, error) {
	if opts.Project == "" {
		opts.Project = DefaultProject
	}
	if opts.Stack == "" {
		opts.Stack = DefaultStack
	}
	// The error is the program's own, unwrapped: tests compare its text.
	return testkit.Run(ctx, fn, opts)
}

// Canned values, as testkit defines them.
const (
	StackType                          = testkit.StackType
	SecretMask                         = testkit.SecretMask
	AWSAccountID                       = testkit.AWSAccountID
	AWSRegion                          = testkit.AWSRegion
	DebianAMI                          = testkit.DebianAMI
	CloudFrontOriginFacingPrefixList   = testkit.CloudFrontOriginFacingPrefixList
	CloudFrontLogDeliveryCanonicalUser = testkit.CloudFrontLogDeliveryCanonicalUser
	S3CanonicalUser                    = testkit.S3CanonicalUser
	CloudFrontHostedZoneID             = testkit.CloudFrontHostedZoneID
	VSphereTemplateName                = testkit.VSphereTemplateName
	VSphereTemplateUUID                = testkit.VSphereTemplateUUID
	VSphereTemplateDisk                = testkit.VSphereTemplateDisk
	VSphereGuestAddress                = testkit.VSphereGuestAddress
)

// MustFind is testkit.MustFind.
func MustFind(t testing.TB, res *Result, typ, name string) *Resource {
	t.Helper()
	return testkit.MustFind(t, res, typ, name)
}

// RequireNothingRegistered is testkit.RequireNothingRegistered.
func RequireNothingRegistered(t testing.TB, res *Result, ignore ...string) {
	t.Helper()
	testkit.RequireNothingRegistered(t, res, ignore...)
}

// RequireErrorMentions is testkit.RequireErrorMentions.
func RequireErrorMentions(t testing.TB, err error, wants ...string) {
	t.Helper()
	testkit.RequireErrorMentions(t, err, wants...)
}

// Plain is testkit.Plain.
func Plain(v resource.PropertyValue) any { return testkit.Plain(v) }

// PlainMap is testkit.PlainMap.
func PlainMap(m resource.PropertyMap) map[string]any { return testkit.PlainMap(m) }

// Masked is testkit.Masked.
func Masked(m resource.PropertyMap) map[string]any { return testkit.Masked(m) }

// SecretPaths is testkit.SecretPaths.
func SecretPaths(m resource.PropertyMap) []string { return testkit.SecretPaths(m) }

// Props is testkit.Props.
func Props(m map[string]any) resource.PropertyMap { return testkit.Props(m) }

// SecretPlaceholder is testkit.SecretPlaceholder: LoadStack gives it to
// the `secure:` values it cannot decrypt.
func SecretPlaceholder(key string) string { return testkit.SecretPlaceholder(key) }

// DeterministicID is testkit.DeterministicID.
func DeterministicID(typ, name string) string { return testkit.DeterministicID(typ, name) }

// DeterministicUUID is testkit.DeterministicUUID.
func DeterministicUUID(typ, name string) string { return testkit.DeterministicUUID(typ, name) }

// VSphereTemplateUUIDOf is testkit.VSphereTemplateUUIDOf.
func VSphereTemplateUUIDOf(name string) string { return testkit.VSphereTemplateUUIDOf(name) }

// AWSARN is testkit.AWSARN.
func AWSARN(name string, inputs resource.PropertyMap) string { return testkit.AWSARN(name, inputs) }

// DMSARN is testkit.DMSARN.
func DMSARN(kind, name string) string { return testkit.DMSARN(kind, name) }

// CannedPassword is testkit.CannedPassword.
func CannedPassword(name string, in map[string]any) string { return testkit.CannedPassword(name, in) }

// VPNInsideAddresses is testkit.VPNInsideAddresses.
func VPNInsideAddresses(cidr string) (aws, customer string) { return testkit.VPNInsideAddresses(cidr) }

// RegisterState is testkit.RegisterState.
func RegisterState(token string, f StateFunc) { testkit.RegisterState(token, f) }

// RegisterInvoke is testkit.RegisterInvoke.
func RegisterInvoke(token string, f InvokeFunc) { testkit.RegisterInvoke(token, f) }

// RegisterRunInvoke is testkit.RegisterRunInvoke.
func RegisterRunInvoke(token string, f RunInvokeFunc) { testkit.RegisterRunInvoke(token, f) }
