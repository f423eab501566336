package account

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hawebtier/hawebtier/internal/mocktest"
)

// Stack is one planned stack: its name, its config (for the `aws:`
// settings that say which account and region it deploys to) and what it
// registers.
type Stack struct {
	Name   string
	Config map[string]string
	Result *mocktest.Result
}

// Account is the AWS account a stack deploys to as far as its config says:
// aws:allowedAccountIds (the provider refuses any other), else the account
// of aws:assumeRole's role ARN. Empty when the config does not tell; such a
// stack may share an account with any other (the README's default puts
// staging and production in one).
func (s Stack) Account() string {
	var ids []string
	if raw := s.Config["aws:allowedAccountIds"]; raw != "" && json.Unmarshal([]byte(raw), &ids) == nil && len(ids) == 1 {
		return ids[0]
	}
	var role struct {
		RoleARN string `json:"roleArn"`
	}
	if raw := s.Config["aws:assumeRole"]; raw != "" && json.Unmarshal([]byte(raw), &role) == nil {
		if m := roleAccountRe.FindStringSubmatch(role.RoleARN); m != nil {
			return m[1]
		}
	}
	return ""
}

var roleAccountRe = regexp.MustCompile(`^arn:aws[a-z-]*:iam::([0-9]{12}):role/`)

// Claim is one object a stack would create or own.
type Claim struct {
	Stack    string
	Account  string // "" when the stack's config does not say
	Object   string // Rule.Object
	Where    string // the scope's place: "", "us-east-1", ...
	Key      string // the name or identity
	Resource string // type and name of the resource that claims it
	Source   string
}

// Claims lists the objects of one stack, under the rules.
func Claims(s Stack) []Claim {
	region := s.Config["aws:region"]
	providers := map[string]string{}
	for _, r := range s.Result.Resources {
		if r.Type == "pulumi:providers:aws" {
			if reg, ok := mocktest.PlainMap(r.Inputs)["region"].(string); ok {
				providers[r.URN] = reg
			}
		}
	}
	rules := rulesByType()
	var out []Claim
	for _, r := range s.Result.Resources {
		for _, rule := range rules[r.Type] {
			key := rule.identity(r)
			if key == "" {
				continue
			}
			where := ""
			if rule.Scope == AccountRegion {
				where = region
				if reg, ok := providers[r.ProviderURN()]; ok {
					where = reg
				}
			}
			out = append(out, Claim{
				Stack: s.Name, Account: s.Account(), Object: rule.Object, Where: where, Key: key,
				Resource: r.Type + " " + r.Name, Source: rule.Source,
			})
		}
	}
	return out
}

// Collision is one object that several stacks of one account would claim.
type Collision struct {
	Object, Where, Key string
	Claims             []Claim
}

func (c Collision) String() string {
	var b strings.Builder
	place := c.Object + " " + c.Key
	if c.Where != "" {
		place += " in " + c.Where
	}
	fmt.Fprintf(&b, "%s is claimed by %d stacks (%s):", place, len(c.Claims), c.Claims[0].Source)
	for _, cl := range c.Claims {
		acct := cl.Account
		if acct == "" {
			acct = "account not set"
		}
		fmt.Fprintf(&b, "\n  %s (%s): %s", cl.Stack, acct, cl.Resource)
	}
	return b.String()
}

// Collisions plans nothing itself: it compares the claims of stacks and
// returns every object that two stacks which may share an account would
// both claim. Stacks whose config names different accounts never collide
// (but for global names); a stack whose config names none may share an
// account with any.
func Collisions(stacks []Stack) []Collision {
	type slot struct{ object, where, key string }
	bySlot := map[slot][]Claim{}
	var order []slot
	for _, s := range stacks {
		for _, c := range Claims(s) {
			k := slot{c.Object, c.Where, c.Key}
			if _, seen := bySlot[k]; !seen {
				order = append(order, k)
			}
			bySlot[k] = append(bySlot[k], c)
		}
	}
	global := map[string]bool{}
	for _, r := range Rules {
		global[r.Object] = r.Scope == Global
	}
	var out []Collision
	for _, k := range order {
		claims := bySlot[k]
		var clash []Claim
		for i, a := range claims {
			for j, b := range claims {
				if i != j && a.Stack != b.Stack && (global[k.object] || mayShareAccount(a.Account, b.Account)) {
					clash = append(clash, a)
					break
				}
			}
		}
		if len(clash) > 1 {
			out = append(out, Collision{Object: k.object, Where: k.where, Key: k.key, Claims: clash})
		}
	}
	slices.SortFunc(out, func(a, b Collision) int { return strings.Compare(a.String(), b.String()) })
	return out
}

func mayShareAccount(a, b string) bool { return a == "" || b == "" || a == b }
