package stacks

import (
	"fmt"
	"net/netip"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Values that are valid but can never work in a real deployment: addresses
// and names reserved for documentation and examples. The shipped stacks
// use them so they stay runnable offline; `pulumi up` refuses them before
// any resource, naming the key, and `pulumi preview` warns.
var (
	// documentationNets are reserved for documentation (RFC 5737 for
	// IPv4, RFC 3849 for IPv6): no router has such an address.
	documentationNets = []netip.Prefix{
		netip.MustParsePrefix("192.0.2.0/24"),
		netip.MustParsePrefix("198.51.100.0/24"),
		netip.MustParsePrefix("203.0.113.0/24"),
		netip.MustParsePrefix("2001:db8::/32"),
	}
	// reservedDomains are example domains (RFC 2606 section 3) and reserved
	// top-level domains (RFC 2606 section 2, RFC 6761 section 6): nobody
	// can get a certificate for them or read their mail.
	reservedDomains = []string{"example.com", "example.net", "example.org", "example", "test", "invalid", "localhost"}
	// fictionalPhone matches the North American numbers 555-0100 to
	// 555-0199 of any area code, which NANPA reserves for fictional use.
	fictionalPhone = regexp.MustCompile(`^\+1[0-9]{3}55501[0-9]{2}$`)
)

// IsDocumentationAddress reports whether ip is in a range reserved for
// documentation.
func IsDocumentationAddress(ip netip.Addr) bool {
	for _, p := range documentationNets {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// IsReservedDomain reports whether name is, or is under, a domain reserved
// for examples or a reserved top-level domain.
func IsReservedDomain(name string) bool {
	name = strings.TrimSuffix(strings.ToLower(name), ".")
	for _, d := range reservedDomains {
		if name == d || strings.HasSuffix(name, "."+d) {
			return true
		}
	}
	return false
}

// placeholders lists the config values of the stack that a real
// deployment cannot use, each under its key.
func (c *Config) placeholders() []Problem {
	ps := &problems{}
	email := func(k, addr string) {
		if i := strings.LastIndexByte(addr, '@'); i >= 0 && IsReservedDomain(addr[i+1:]) {
			ps.add(k, "%s is at a domain reserved for examples (RFC 2606): nobody reads it; give a real address", addr)
		}
	}
	a := c.AWS
	if a == nil {
		return nil
	}
	if t := a.Transit; t != nil && t.VPN != nil {
		if ip, err := netip.ParseAddr(t.VPN.CustomerGatewayIP); err == nil && IsDocumentationAddress(ip) {
			ps.add(key("aws.transit.vpn.customerGatewayIp"), "%s is reserved for documentation (RFC 5737): no on-premises router has it; give the router's public address", ip)
		}
	}
	if e := a.Edge; e != nil {
		if e.Domain != "" && IsReservedDomain(e.Domain) {
			ps.add(key("aws.edge.domain"), "%s is reserved for examples (RFC 2606): ACM cannot validate a certificate for it; give the site's real domain", e.Domain)
		}
		if e.Domain != "" && e.HostedZoneID == "" {
			ps.add(key("aws.edge.hostedZoneId"), "required with aws.edge.domain on pulumi up: without a Route 53 zone for %s nobody writes the certificate's DNS validation record and the update waits for it until it times out", e.Domain)
		}
		if sh := e.Shield; sh != nil {
			email(key("aws.edge.shield.alarmEmail"), sh.AlarmEmail)
			for i, ct := range sh.Contacts {
				email(fmt.Sprintf("%s[%d].email", key("aws.edge.shield.contacts"), i), ct.Email)
				if fictionalPhone.MatchString(ct.Phone) {
					ps.add(fmt.Sprintf("%s[%d].phone", key("aws.edge.shield.contacts"), i), "%s is a fictional number (NANPA reserves 555-0100 to 555-0199): the Shield Response Team could not call it", ct.Phone)
				}
			}
		}
	}
	if al := a.Alarms; al != nil {
		email(key("aws.alarms.email"), al.Email)
	}
	return ps.sorted()
}

// checkPlaceholders refuses placeholder values on `pulumi up` and warns
// about them in a preview, where the shipped example stacks must still
// plan.
func (c *Config) checkPlaceholders(ctx *pulumi.Context, ps *problems) {
	found := c.placeholders()
	if len(found) == 0 {
		return
	}
	if !ctx.DryRun() {
		ps.list = append(ps.list, found...)
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "stack %q holds %d example values that pulumi up refuses:", c.Stack, len(found))
	for _, p := range found {
		b.WriteString("\n  " + p.String())
	}
	_ = ctx.Log.Warn(b.String(), nil)
}
