package stacks

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/hawebtier/hawebtier/components/httpd"
)

// Namespace is the config namespace of the project (`hawebtier:<key>`).
const Namespace = "hawebtier"

// Target is where a stack builds the tier (hawebtier:target).
type Target string

// Targets the config accepts.
const (
	OnPrem Target = "onprem" // VMware vSphere
	AWS    Target = "aws"
)

// Environment is the stage of a stack (hawebtier:environment).
type Environment string

// Environments the config accepts.
const (
	Dev        Environment = "dev"
	Staging    Environment = "staging"
	Production Environment = "production"
)

// Targets and Environments list the values, for messages and checks.
var (
	Targets      = []Target{OnPrem, AWS}
	Environments = []Environment{Dev, Staging, Production}
)

// Config is a stack's whole configuration, typed. Load fills it from the
// `hawebtier:` keys; the Pulumi.yaml at the project root documents each key
// and gives its default.
type Config struct {
	Stack       string
	Target      Target
	Environment Environment
	Connector   httpd.Connector
	Web         TierConfig
	App         TierConfig
	OnPrem      *OnPremConfig // set when Target is onprem
	AWS         *AWSConfig    // set when Target is aws

	// Secrets from secret config; zero when unset. They stay pulumi
	// outputs marked secret and never become plain strings here.
	SSHPrivateKey       pulumi.StringOutput
	HasSSHPrivateKey    bool
	LegacyDBPassword    pulumi.StringOutput
	HasLegacyDBPassword bool
}

// TierConfig sizes one tier (`hawebtier:web`, `hawebtier:app`).
type TierConfig struct {
	// Count is the number of servers (on AWS, the desired capacity).
	Count int `json:"count"`
}

// Production reports whether the stack holds production data, which turns
// on deletion protection, final snapshots and Pulumi protect.
func (c *Config) Production() bool { return c.Environment == Production }

// Load reads and validates the stack's config. It returns a *ConfigError
// listing every problem, and registers nothing.
func Load(ctx *pulumi.Context) (*Config, error) {
	ps := &problems{}
	cfg := &Config{Stack: ctx.Stack()}

	cfg.Target = Target(stringKey(ctx, "target", "", ps))
	cfg.Environment = Environment(stringKey(ctx, "environment", string(Dev), ps))
	cfg.Connector = httpd.Connector(stringKey(ctx, "connector", string(httpd.ProxyHTTP), ps))
	cfg.Web = TierConfig{Count: 2}
	objectKey(ctx, "web", &cfg.Web, ps)
	cfg.App = TierConfig{Count: 2}
	objectKey(ctx, "app", &cfg.App, ps)

	switch cfg.Target {
	case OnPrem:
		cfg.OnPrem = &OnPremConfig{}
		if !objectKey(ctx, "onprem", cfg.OnPrem, ps) {
			ps.add(key("onprem"), "required when target is onprem: the vCenter placement, network and addresses")
		}
		cfg.OnPrem.applyDefaults()
	case AWS:
		cfg.AWS = &AWSConfig{}
		objectKey(ctx, "aws", cfg.AWS, ps)
		cfg.AWS.applyDefaults(cfg)
	}

	cfg.SSHPrivateKey, cfg.HasSSHPrivateKey = operatorSecret(ctx, key("sshPrivateKey"), ps)
	cfg.LegacyDBPassword, cfg.HasLegacyDBPassword = operatorSecret(ctx, key("legacyDbPassword"), ps)

	cfg.validate(ps)
	cfg.checkPlaceholders(ctx, ps)
	// Then every component checks the args the config gives it.
	components := &problems{}
	switch {
	case cfg.OnPrem != nil:
		checkOnPrem(cfg, components)
	case cfg.AWS != nil:
		checkAWS(ctx, cfg, components)
	}
	ps.merge(components)
	if len(ps.list) > 0 {
		return nil, &ConfigError{Stack: ctx.Stack(), Problems: ps.sorted()}
	}
	return cfg, nil
}

func key(k string) string { return Namespace + ":" + k }

func stringKey(ctx *pulumi.Context, k, def string, ps *problems) string {
	v, err := config.Try(ctx, key(k))
	if err != nil {
		if errors.Is(err, config.ErrMissingVar) {
			return def
		}
		ps.add(key(k), "%v", err)
		return def
	}
	return v
}

// objectKey decodes a structured config key strictly into out, which holds
// the defaults on entry. It reports whether the key was set.
func objectKey(ctx *pulumi.Context, k string, out any, ps *problems) bool {
	var raw json.RawMessage
	if err := config.TryObject(ctx, key(k), &raw); err != nil {
		if errors.Is(err, config.ErrMissingVar) {
			return false
		}
		ps.add(key(k), "expected an object: %v", err)
		return true
	}
	decodeStrict(key(k), raw, out, ps)
	return true
}

func (c *Config) validate(ps *problems) {
	if c.Target == "" {
		ps.add(key("target"), "required: onprem or aws (Pulumi.yaml gives it no default)")
	} else if !slices.Contains(Targets, c.Target) {
		ps.add(key("target"), "unknown target %q, expected one of %s", c.Target, names(Targets))
	}
	if !slices.Contains(Environments, c.Environment) {
		ps.add(key("environment"), "unknown environment %q, expected one of %s", c.Environment, names(Environments))
	}
	if !c.Connector.Valid() {
		ps.add(key("connector"), "unknown connector %q, expected one of %s", c.Connector, httpd.ConnectorNames())
	}
	if c.Web.Count < 2 {
		ps.add(key("web.count"), "need at least 2 web servers for HA, got %d", c.Web.Count)
	}
	if c.App.Count < 2 {
		ps.add(key("app.count"), "need at least 2 app servers for HA, got %d", c.App.Count)
	}
	if c.OnPrem != nil {
		c.OnPrem.validate(c, ps)
	}
	if c.AWS != nil {
		if c.Connector.UsesAJP() {
			ps.add(key("connector"), "%q cannot be used with target aws: httpd reaches Tomcat through an internal ALB, which speaks HTTP only; use proxy_http", c.Connector)
		}
		c.AWS.validate(c, ps)
	}
}

// requireName reports an empty required name.
func requireName(ps *problems, k, v, what string) {
	if strings.TrimSpace(v) == "" {
		ps.add(k, "required: %s", what)
	}
}

// names lists typed names for a message: "onprem, aws".
func names[T ~string](xs []T) string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return strings.Join(out, ", ")
}

func fmtList(xs []string) string { return fmt.Sprintf("[%s]", strings.Join(xs, ", ")) }
