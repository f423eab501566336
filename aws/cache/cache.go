package cache

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/elasticache"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/internal/datatier"
	"github.com/hawebtier/hawebtier/components/problem"
)

// TypeToken is the Pulumi type of the component.
const TypeToken = "hawebtier:aws:Cache"

// Limits and defaults of CacheArgs.
const (
	MinNodes             = 2 // a primary and a replica: automatic failover needs both
	MaxNodes             = 6 // ElastiCache's limit for a non-clustered replication group
	DefaultEngineVersion = "7.1"
	DefaultNodeType      = "cache.t3.small"
	Port                 = 6379
)

// Auth token generation. ElastiCache accepts 16 to 128 printable ASCII
// characters and, of the special ones, only ! & # $ ^ < > and -.
// AuthTokenSpecial keeps the subset that is also harmless where the token
// ends up on the app servers: '&', '<' and '>' would need escaping in
// Tomcat's XML, '$' is interpolated by shells and Spring properties, and
// '#' starts a URL fragment in redis:// URLs and a comment in .properties.
// 64 characters from 65 symbols are ~385 bits.
const (
	AuthTokenLength  = 64
	AuthTokenSpecial = "!^-"
	// ElastiCacheTokenSpecial is every special character ElastiCache accepts.
	ElastiCacheTokenSpecial = "!&#$^<>-"
)

// AuthSecretKey is the JSON key of the token in the Secrets Manager secret:
// the secret string is {"authToken": "..."}.
const AuthSecretKey = "authToken"

// CacheArgs describe the Redis replication group.
type CacheArgs struct {
	// NodeType such as cache.m6g.large; default DefaultNodeType.
	NodeType string `json:"nodeType"`
	// Nodes is the number of cache nodes (one primary, the rest replicas),
	// 2 to 6, default 2; spread over the subnets' AZs.
	Nodes int `json:"nodes"`
	// EngineVersion of Redis, default 7.1.
	EngineVersion string `json:"engineVersion"`
	// Production keeps a final snapshot on delete, 7 days of daily
	// snapshots, and Pulumi protect/retainOnDelete on the group and its token.
	Production bool `json:"-"`

	// SubnetIDs are the data subnets, in at least two AZs.
	SubnetIDs pulumi.StringArrayInput `json:"-"`
	VpcID     pulumi.StringInput      `json:"-"`
	// AllowedSecurityGroupIDs may reach port 6379; nothing else may. Leave
	// it nil and call Admit for tiers built after the cache (the WAS tier
	// needs its endpoint first).
	AllowedSecurityGroupIDs pulumi.StringArrayInput `json:"-"`
	Tags                    map[string]string       `json:"-"`
	// ResourceName names the final snapshot, whose name is unique in an
	// account and region (FinalSnapshotIdentifier(ResourceName)). Default:
	// the component's name. Two stacks in one account need different ones;
	// the project's stacks use <project>-<stack>-<component>.
	ResourceName string `json:"-"`
}

// WithDefaults returns the args with every unset field that has a default
// filled in, as NewCache uses them. The json names are the keys of a
// config object that holds these args (hawebtier:aws.cache); fields tagged
// "-" are wired by the program.
func (args CacheArgs) WithDefaults() CacheArgs {
	a := args
	if a.NodeType == "" {
		a.NodeType = DefaultNodeType
	}
	if a.Nodes == 0 {
		a.Nodes = MinNodes
	}
	if a.EngineVersion == "" {
		a.EngineVersion = DefaultEngineVersion
	}
	return a
}

// Cache is an ElastiCache Redis replication group with an auth token in
// Secrets Manager.
type Cache struct {
	pulumi.ResourceState

	name   string
	sg     *ec2.SecurityGroup
	inline bool

	// PrimaryEndpoint is the writer's host name, ReaderEndpoint the
	// replicas'. Clients must use TLS (in-transit encryption is on).
	PrimaryEndpoint pulumi.StringOutput
	ReaderEndpoint  pulumi.StringOutput
	Port            pulumi.IntOutput
	// Endpoint is PrimaryEndpoint:Port, the form the web tier's
	// CacheEndpoint takes.
	Endpoint pulumi.StringOutput
	// AuthSecretARN is the Secrets Manager secret {"authToken": "..."} the
	// app servers read at boot.
	AuthSecretARN      pulumi.StringOutput
	SecurityGroupID    pulumi.StringOutput
	ReplicationGroupID pulumi.StringOutput
	// MemberClusterIDs are the node ids (CloudWatch's CacheClusterId dimension).
	MemberClusterIDs pulumi.StringArrayOutput
}

var (
	nodeTypeRe = regexp.MustCompile(`^cache\.[a-z0-9]+\.[a-z0-9]+$`)
	versionRe  = regexp.MustCompile(`^[0-9]+(\.[0-9x]+){0,2}$`)
)

// component is how errors name the component: `cache "<name>": ...`.
const component = "cache"

func (args *CacheArgs) validate(name string) (CacheArgs, error) {
	if args == nil {
		return CacheArgs{}, problem.Errorf(component, name, "args are required")
	}
	a := args.WithDefaults()
	probs := problem.List{Component: component, Instance: name}
	bad := probs.Add
	if !nodeTypeRe.MatchString(a.NodeType) {
		bad("NodeType", "expected an ElastiCache node type such as cache.m6g.large, got %q", a.NodeType)
	} else if strings.HasPrefix(a.NodeType, "cache.t1.") {
		bad("NodeType", "%s supports neither snapshots nor Multi-AZ", a.NodeType)
	}
	if a.Nodes < MinNodes || a.Nodes > MaxNodes {
		bad("Nodes", "need %d to %d nodes (a primary and at least one replica for automatic failover), got %d", MinNodes, MaxNodes, a.Nodes)
	}
	if !versionRe.MatchString(a.EngineVersion) {
		bad("EngineVersion", "expected a Redis version such as 7.1, got %q", a.EngineVersion)
	}
	a.placement().Check(bad)
	return a, probs.Err()
}

func (a *CacheArgs) placement() datatier.Placement {
	return datatier.Placement{SubnetIDs: a.SubnetIDs, VpcID: a.VpcID, AllowedSecurityGroupIDs: a.AllowedSecurityGroupIDs}
}

// Admit lets the security group source reach the Redis port with a rule
// of its own (<name>-from-<from>): for a tier built after the cache, such
// as the WAS tier, which needs the cache's endpoint first. Only for a cache
// built without AllowedSecurityGroupIDs.
func (c *Cache) Admit(ctx *pulumi.Context, from string, source pulumi.StringInput) error {
	if _, err := datatier.Admit(ctx, c.name, from, "redis", Port, c.sg, c.inline, source, pulumi.Parent(c)); err != nil {
		return problem.Errorf(component, c.name, "admit %s: %w", from, err)
	}
	return nil
}

// NewCache builds the replication group. Invalid args return an error
// naming every bad field and register nothing.
func NewCache(ctx *pulumi.Context, name string, args *CacheArgs, opts ...pulumi.ResourceOption) (*Cache, error) {
	a, err := args.validate(name)
	if err != nil {
		return nil, err
	}
	if a.ResourceName == "" {
		a.ResourceName = name
	}
	c := &Cache{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)
	tags := datatier.Tags(a.Tags)
	stateful := datatier.StatefulOptions(parent, a.Production)

	secretToken, err := datatier.RandomSecret(ctx, name+"-auth-token", AuthTokenLength, AuthTokenSpecial, stateful...)
	if err != nil {
		return nil, err
	}

	secret, err := secretsmanager.NewSecret(ctx, name+"-auth-token", &secretsmanager.SecretArgs{
		Description: pulumi.String("Redis AUTH token of " + name + `, as {"` + AuthSecretKey + `": "..."}`),
		Tags:        tags,
	}, stateful...)
	if err != nil {
		return nil, err
	}
	secretString := secretToken.ApplyT(func(tok string) (string, error) {
		b, err := json.Marshal(map[string]string{AuthSecretKey: tok})
		return string(b), err
	}).(pulumi.StringOutput)
	if _, err := secretsmanager.NewSecretVersion(ctx, name+"-auth-token", &secretsmanager.SecretVersionArgs{
		SecretId:     secret.ID(),
		SecretString: pulumi.ToSecret(secretString).(pulumi.StringOutput),
	}, stateful...); err != nil {
		return nil, err
	}

	sg, err := datatier.NewSecurityGroup(ctx, name, "redis", Port, a.placement(), tags, parent)
	if err != nil {
		return nil, err
	}
	subnets, err := elasticache.NewSubnetGroup(ctx, name, &elasticache.SubnetGroupArgs{
		SubnetIds:   a.SubnetIDs,
		Description: pulumi.String(name + " data subnets"),
		Tags:        tags,
	}, parent)
	if err != nil {
		return nil, err
	}

	rgArgs := &elasticache.ReplicationGroupArgs{
		Description:              pulumi.String(name + " session and object cache"),
		Engine:                   pulumi.String("redis"),
		EngineVersion:            pulumi.String(a.EngineVersion),
		NodeType:                 pulumi.String(a.NodeType),
		NumCacheClusters:         pulumi.Int(a.Nodes),
		Port:                     pulumi.Int(Port),
		AutomaticFailoverEnabled: pulumi.Bool(true),
		MultiAzEnabled:           pulumi.Bool(true),
		AtRestEncryptionEnabled:  pulumi.Bool(true),
		TransitEncryptionEnabled: pulumi.Bool(true),
		AuthToken:                secretToken,
		SubnetGroupName:          subnets.Name,
		SecurityGroupIds:         pulumi.StringArray{sg.ID()},
		AutoMinorVersionUpgrade:  pulumi.Bool(true),
		SnapshotRetentionLimit:   pulumi.Int(1),
		Tags:                     tags,
	}
	if a.Production {
		rgArgs.SnapshotRetentionLimit = pulumi.Int(7)
		rgArgs.FinalSnapshotIdentifier = pulumi.String(FinalSnapshotIdentifier(a.ResourceName))
	}
	rg, err := elasticache.NewReplicationGroup(ctx, name, rgArgs, stateful...)
	if err != nil {
		return nil, err
	}

	c.PrimaryEndpoint = rg.PrimaryEndpointAddress
	c.ReaderEndpoint = rg.ReaderEndpointAddress
	c.Port = rg.Port.Elem()
	c.Endpoint = pulumi.Sprintf("%s:%d", c.PrimaryEndpoint, c.Port)
	c.AuthSecretARN = secret.Arn
	c.SecurityGroupID = sg.ID().ToStringOutput()
	c.name, c.sg, c.inline = name, sg, a.AllowedSecurityGroupIDs != nil
	c.ReplicationGroupID = rg.ReplicationGroupId
	c.MemberClusterIDs = rg.MemberClusters
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"primaryEndpoint":    c.PrimaryEndpoint,
		"readerEndpoint":     c.ReaderEndpoint,
		"port":               c.Port,
		"endpoint":           c.Endpoint,
		"authSecretArn":      c.AuthSecretARN,
		"securityGroupId":    c.SecurityGroupID,
		"replicationGroupId": c.ReplicationGroupID,
		"memberClusterIds":   c.MemberClusterIDs,
	}); err != nil {
		return nil, err
	}
	return c, nil
}

// ValidAuthToken reports whether ElastiCache accepts tok as an AUTH token:
// 16 to 128 characters, letters, digits and ElastiCacheTokenSpecial only.
func ValidAuthToken(tok string) error {
	if len(tok) < 16 || len(tok) > 128 {
		return fmt.Errorf("length %d, ElastiCache needs 16 to 128", len(tok))
	}
	for i, r := range tok {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(ElastiCacheTokenSpecial, r)
		if !ok {
			return fmt.Errorf("character %d %q is not accepted by ElastiCache", i, r)
		}
	}
	return nil
}

// FinalSnapshotIdentifier is the snapshot ElastiCache takes when the
// production group is deleted: the component name in lowercase letters,
// digits and single hyphens, plus "-final".
func FinalSnapshotIdentifier(name string) string {
	return datatier.FinalSnapshotIdentifier("cache", name)
}
