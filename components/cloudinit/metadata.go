package cloudinit

import (
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"strings"
)

// StaticNetwork is one NIC with a static IPv4 address.
type StaticNetwork struct {
	Interface     string // guest NIC name, e.g. ens192
	Address       string // CIDR: 10.20.30.11/24
	Gateway       string // in Address's subnet
	DNS           []string
	SearchDomains []string
}

var ifaceRE = regexp.MustCompile(`^[A-Za-z0-9_.:-]{1,15}$`)

// RenderMetadata returns the guestinfo.metadata document for cloud-init's
// VMware datasource: instance-id (a new id makes cloud-init run again, so
// it must be unique per VM and stable across updates), local-hostname, and
// the network under the "network" key as a Network Config Version 2
// mapping, which the datasource (22.4, process_metadata) hands to the
// network renderer as is, without a "network.encoding" key.
func RenderMetadata(instanceID, hostname string, n StaticNetwork) (string, error) {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", field, fmt.Sprintf(format, args...)))
	}
	if instanceID == "" || strings.ContainsAny(instanceID, " \t\r\n/") {
		bad("instance-id", "expected a non-empty id without spaces or slashes, got %q", instanceID)
	}
	if !labelRE.MatchString(hostname) {
		bad("local-hostname", "expected a lowercase DNS label, got %q", hostname)
	}
	if !ifaceRE.MatchString(n.Interface) {
		bad("network.interface", "expected a NIC name of at most 15 characters such as ens192, got %q", n.Interface)
	}
	prefix, err := netip.ParsePrefix(n.Address)
	addrOK := err == nil && prefix.Addr().Is4() && prefix.Bits() > 0 && prefix.Bits() < 32
	if !addrOK {
		bad("network.address", "expected an IPv4 address with prefix length such as 10.20.30.11/24, got %q", n.Address)
	} else if prefix.Addr() == prefix.Masked().Addr() {
		bad("network.address", "%s is the subnet's network address", prefix.Addr())
	}
	gw, err := netip.ParseAddr(n.Gateway)
	switch {
	case err != nil || !gw.Is4():
		bad("network.gateway", "expected an IPv4 address, got %q", n.Gateway)
	case addrOK && !prefix.Masked().Contains(gw):
		bad("network.gateway", "%s is outside %s", gw, prefix.Masked())
	case addrOK && gw == prefix.Addr():
		bad("network.gateway", "%s is the node's own address", gw)
	}
	if len(n.DNS) == 0 {
		bad("network.dns", "need at least one DNS server")
	}
	for i, d := range n.DNS {
		if ip, err := netip.ParseAddr(d); err != nil || !ip.Is4() {
			bad(fmt.Sprintf("network.dns[%d]", i), "expected an IPv4 address, got %q", d)
		}
	}
	for i, s := range n.SearchDomains {
		if !validFQDN(s) && !labelRE.MatchString(s) {
			bad(fmt.Sprintf("network.searchDomains[%d]", i), "expected a DNS domain, got %q", s)
		}
	}
	if len(errs) > 0 {
		return "", fmt.Errorf("cloudinit: metadata for %q: %w", hostname, errors.Join(errs...))
	}

	type nameservers struct {
		Addresses []string `yaml:"addresses"`
		Search    []string `yaml:"search,omitempty"`
	}
	type ethernet struct {
		DHCP4     bool     `yaml:"dhcp4"`
		Addresses []string `yaml:"addresses"`
		// gateway4, not a 0.0.0.0/0 route: cloud-init 22.4 renders a route
		// for ifupdown as "post-up route add ... || true", which needs
		// net-tools and fails silently without it; gateway4 becomes a
		// native "gateway" line for ifupdown, networkd and netplan alike.
		Gateway4    string      `yaml:"gateway4"`
		Nameservers nameservers `yaml:"nameservers"`
	}
	type network struct {
		Version   int                 `yaml:"version"`
		Ethernets map[string]ethernet `yaml:"ethernets"`
	}
	md := struct {
		InstanceID    string  `yaml:"instance-id"`
		LocalHostname string  `yaml:"local-hostname"`
		Network       network `yaml:"network"`
	}{
		InstanceID:    instanceID,
		LocalHostname: hostname,
		Network: network{Version: 2, Ethernets: map[string]ethernet{n.Interface: {
			Addresses:   []string{n.Address},
			Gateway4:    n.Gateway,
			Nameservers: nameservers{Addresses: n.DNS, Search: n.SearchDomains},
		}}},
	}
	out, err := marshal(md)
	if err != nil {
		return "", fmt.Errorf("cloudinit: metadata for %q: %w", hostname, err)
	}
	return out, nil
}
