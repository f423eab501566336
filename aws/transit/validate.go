package transit

import (
	"fmt"
	"net/netip"
	"regexp"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/components/problem"
)

// Problem is one invalid argument: the field path in the args struct
// (OnPremCIDRs[1], DirectConnect.ASN) and what was expected.
type Problem struct {
	Field   string
	Message string
}

func (p Problem) String() string { return p.Field + ": " + p.Message }

// The components of the package as errors name them:
// `transit onprem link "prod": CustomerGatewayASN: ...`.
const (
	kindGateway  = "transit gateway"
	kindPeering  = "transit peering"
	kindAccepter = "transit peering accepter"
	kindLink     = "transit onprem link"
)

// instance is one component of the package, for its errors.
type instance struct{ kind, name string }

// errorf is an error of the instance that is not about one field
// (components/problem.Errorf).
func (in instance) errorf(format string, args ...any) error {
	return problem.Errorf(in.kind, in.name, format, args...)
}

// ArgsError lists every problem found in a component's arguments, one
// line each in the components' format (components/problem):
// `transit onprem link "prod": CustomerGatewayASN: ...`. The component
// registers nothing when it returns one.
type ArgsError struct {
	// Component is the kind of component, e.g. "transit onprem link".
	Component string
	// Instance is the name the component was given, e.g. "prod".
	Instance string
	Problems []Problem
}

func (e *ArgsError) Error() string { return e.problems().Error() }

// Unwrap gives the problems in the components' shared form, so a caller
// that reads problems with problem.Of reads these too.
func (e *ArgsError) Unwrap() error { return e.problems() }

func (e *ArgsError) problems() *problem.Error {
	out := &problem.Error{}
	for _, p := range e.Problems {
		out.Problems = append(out.Problems, problem.Problem{Component: e.Component, Instance: e.Instance, Field: p.Field, Message: p.Message})
	}
	return out
}

// Has reports whether some problem is about field (exactly) and its message
// contains substr.
func (e *ArgsError) Has(field, substr string) bool {
	for _, p := range e.Problems {
		if p.Field == field && strings.Contains(p.Message, substr) {
			return true
		}
	}
	return false
}

// problems collects problems while validating.
type problems struct{ list []Problem }

func (ps *problems) add(field, format string, args ...any) {
	ps.list = append(ps.list, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
}

// err returns nil or an *ArgsError of in with the problems sorted by field.
func (ps *problems) err(in instance) error {
	if len(ps.list) == 0 {
		return nil
	}
	out := append([]Problem(nil), ps.list...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return &ArgsError{Component: in.kind, Instance: in.name, Problems: out}
}

// register registers the component once its args are known to be valid:
// on any problem it returns an *ArgsError and registers nothing.
func register(ctx *pulumi.Context, in instance, token string, found []Problem, comp pulumi.ComponentResource, opts []pulumi.ResourceOption) error {
	ps := problems{list: found}
	if err := ps.err(in); err != nil {
		return err
	}
	if err := ctx.RegisterComponentResource(token, in.name, comp, opts...); err != nil {
		return in.errorf("register: %w", err)
	}
	return nil
}

// requireInput reports a nil input: the SDK would otherwise fail later with
// a message that names the AWS argument, not ours.
func (ps *problems) requireInput(field string, isNil bool, what string) {
	if isNil {
		ps.add(field, "required: %s", what)
	}
}

// routeTables checks a list of route table ids known by a plain count.
func (ps *problems) routeTables(idsField string, ids pulumi.StringArrayInput, countField string, count int) {
	switch {
	case count < 0:
		ps.add(countField, "expected 0 or more route tables, got %d", count)
	case count > 0 && ids == nil:
		ps.add(idsField, "required: %s is %d", countField, count)
	}
}

// Private ASN ranges AWS accepts for the Amazon side of a Transit Gateway
// and a Direct Connect gateway.
func validPrivateASN(n int) bool {
	return (n >= 64512 && n <= 65534) || (n >= 4200000000 && n <= 4294967294)
}

func (ps *problems) privateASN(field string, n int) {
	if !validPrivateASN(n) {
		ps.add(field, "expected a private ASN (64512-65534 or 4200000000-4294967294), got %d", n)
	}
}

// namedASN is one ASN of the routing plan and the field it came from.
type namedASN struct {
	field string
	asn   int
}

// distinctASNs reports every ASN equal to an earlier one. Zero means "not
// given" and is skipped. BGP drops routes whose AS path holds its own ASN,
// and AWS refuses a Direct Connect association or a VPN whose ASN equals
// the Transit Gateway's, so every gateway in the plan needs its own.
func (ps *problems) distinctASNs(asns ...namedASN) {
	for j := range asns {
		if asns[j].asn == 0 {
			continue
		}
		for i := 0; i < j; i++ {
			if asns[i].asn == asns[j].asn {
				ps.add(asns[j].field, "ASN %d equals %s: each gateway needs its own ASN", asns[j].asn, asns[i].field)
				break
			}
		}
	}
}

// field is one named plain value of the args.
type field struct{ name, value string }

// indexed names the elements of a list field: OnPremCIDRs[0], ...
func indexed(name string, values []string) []field {
	out := make([]field, len(values))
	for i, v := range values {
		out[i] = field{fmt.Sprintf("%s[%d]", name, i), v}
	}
	return out
}

// namedPrefix is one routed network and the field it came from.
type namedPrefix struct {
	field string
	p     netip.Prefix
}

// networks parses every field as a CIDR and reports each one that overlaps
// an earlier one.
func (ps *problems) networks(fields ...field) {
	var nets []namedPrefix
	for _, f := range fields {
		if p, ok := ps.cidr(f.name, f.value); ok {
			nets = append(nets, namedPrefix{f.name, p})
		}
	}
	ps.disjoint(nets)
}

// cidr parses an IPv4 network in canonical form (no host bits set).
func (ps *problems) cidr(field, s string) (netip.Prefix, bool) {
	p, err := netip.ParsePrefix(s)
	switch {
	case err != nil || !p.Addr().Is4():
		ps.add(field, "expected an IPv4 CIDR such as 10.20.0.0/16, got %q", s)
		return netip.Prefix{}, false
	case p.Masked() != p:
		ps.add(field, "%q has host bits set; the network is %s", s, p.Masked())
		return netip.Prefix{}, false
	}
	return p, true
}

// disjoint reports every network that overlaps an earlier one: a route to
// an overlapping network would capture traffic meant for the other.
func (ps *problems) disjoint(nets []namedPrefix) {
	for j := range nets {
		for i := 0; i < j; i++ {
			if nets[i].p.Overlaps(nets[j].p) {
				ps.add(nets[j].field, "%s overlaps %s (%s): routed networks must not overlap", nets[j].p, nets[i].field, nets[i].p)
				break
			}
		}
	}
}

var (
	awsRegionRE = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]$`)
	accountIDRE = regexp.MustCompile(`^[0-9]{12}$`)
)

// insideRange is where AWS takes IPv4 tunnel inside CIDRs from.
var insideRange = netip.MustParsePrefix("169.254.0.0/16")

// ReservedInsideCIDRs are the /30s AWS rejects as tunnel inside CIDRs (the
// link-local ranges its own services use).
var ReservedInsideCIDRs = []string{
	"169.254.0.0/30", "169.254.1.0/30", "169.254.2.0/30", "169.254.3.0/30",
	"169.254.4.0/30", "169.254.5.0/30", "169.254.169.252/30",
}

// CheckTunnelInsideCIDR returns an error unless s is a /30 inside
// 169.254.0.0/16 that AWS accepts as a VPN tunnel inside CIDR.
func CheckTunnelInsideCIDR(s string) error {
	p, err := netip.ParsePrefix(s)
	if err != nil || p.Bits() != 30 || p.Masked() != p || !insideRange.Contains(p.Addr()) {
		return fmt.Errorf("expected a /30 network inside 169.254.0.0/16, got %q", s)
	}
	for _, r := range ReservedInsideCIDRs {
		if p == netip.MustParsePrefix(r) {
			return fmt.Errorf("%q is reserved by AWS; pick another /30 in 169.254.0.0/16", s)
		}
	}
	return nil
}

// Pre-shared key rules of the Site-to-Site VPN API.
const (
	pskMinLength = 8
	pskMaxLength = 64
)

// CheckPresharedKey returns an error unless AWS accepts s as a tunnel
// pre-shared key: 8-64 characters, letters, digits, '.' and '_' only, not
// starting with '0'. The error never quotes the key.
func CheckPresharedKey(s string) error {
	var faults []string
	if n := len(s); n < pskMinLength || n > pskMaxLength {
		faults = append(faults, fmt.Sprintf("length %d is outside %d-%d", n, pskMinLength, pskMaxLength))
	}
	for i, c := range []byte(s) {
		if !strings.ContainsRune(pskLetters+pskDigits+pskSpecials, rune(c)) {
			faults = append(faults, fmt.Sprintf("character %d is not a letter, digit, '.' or '_'", i+1))
			break
		}
	}
	if strings.HasPrefix(s, "0") {
		faults = append(faults, "it starts with 0")
	}
	if len(faults) > 0 {
		return fmt.Errorf("not a valid AWS VPN pre-shared key: %s", strings.Join(faults, "; "))
	}
	return nil
}
