package stacks

import (
	"fmt"
	"hash/fnv"
	"regexp"
	"strings"
)

// The names the program gives its components. The constructors and the
// checks Load runs first (checkAWS, checkOnPrem) use the same ones, so an
// error names the instance `pulumi up` builds: `database "db": ...`.
const (
	networkName    = "vpc"
	databaseName   = "db"
	cacheName      = "cache"
	webTierName    = "tier"
	gatewayName    = "tgw"
	onPremLinkName = "onprem"
	peeringName    = "peering"
	migrationName  = "dms"
	edgeName       = "edge"
	alarmsName     = "alarms"
	onPremTierName = "web-tier"
)

// maxResourceName is the tightest limit among the names a component
// derives from its ResourceName: a Shield protection group id (1-36
// letters, digits and -) and the edge's own check.
const maxResourceName = 36

var notNameChar = regexp.MustCompile(`[^a-z0-9]+`)

// resourceName is the ResourceName of a component of this stack:
// <project>-<stack>-<component>, lowercase letters, digits and single
// hyphens. The AWS objects whose names are unique in an account (the web
// ACL and its log group, DMS identifiers, final snapshots, ...) then carry
// the stack's name, so two stacks in one account never claim the same one.
// A name longer than maxResourceName is cut and ends in a hash of the
// whole, so two long stack names that share a prefix still differ.
func (t *awsTarget) resourceName(component string) string {
	return ResourceName(t.project, t.cfg.Stack, component)
}

// ResourceName is resourceName for any project and stack.
func ResourceName(project, stack, component string) string {
	n := strings.Trim(notNameChar.ReplaceAllString(strings.ToLower(project+"-"+stack+"-"+component), "-"), "-")
	if len(n) <= maxResourceName {
		return n
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(n))
	return fmt.Sprintf("%s-%08x", strings.TrimRight(n[:maxResourceName-9], "-"), h.Sum32())
}
