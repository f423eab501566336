package day2

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-command/sdk/go/command/remote"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/components/problem"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "hawebtier:day2:Host"

// DefaultCloudInitTimeoutSeconds bounds the first-contact wait when
// HostArgs.CloudInitTimeoutSeconds is 0.
const DefaultCloudInitTimeoutSeconds = 600

// HostArgs are the inputs of NewHost.
type HostArgs struct {
	// Host is the node's configured static address (never an address
	// the hypervisor reports, which can be a link-local or second NIC).
	Host pulumi.StringInput
	// Port is the SSH port; 0 means 22.
	Port int
	// User logs in over SSH; it must be able to write the files (root).
	User pulumi.StringInput
	// PrivateKey is the SSH private key (PEM/OpenSSH); it is made secret.
	PrivateKey pulumi.StringInput
	// HostKey is the host's public key ("ssh-ed25519 AAAA..."). Optional;
	// when set, the connection fails if the host presents another key.
	HostKey pulumi.StringInput
	// Files are installed in this order: each waits for the previous one,
	// so a map or certificate can precede the config that references it.
	Files []File
	// WaitForCloudInit runs `cloud-init status --wait` first; every file
	// waits for it.
	WaitForCloudInit bool
	// CloudInitTimeoutSeconds bounds that wait; 0 means
	// DefaultCloudInitTimeoutSeconds.
	CloudInitTimeoutSeconds int
}

// Host is a host whose configuration files NewHost keeps in step.
type Host struct {
	pulumi.ResourceState

	// Address is the SSH address used.
	Address pulumi.StringOutput `pulumi:"address"`
	// Paths lists the managed files; it resolves once every file command
	// has finished, so other resources can wait on it.
	Paths pulumi.StringArrayOutput `pulumi:"paths"`

	// CloudInit is the wait command, nil without WaitForCloudInit.
	CloudInit *remote.Command
	// Files are the file commands in the order of HostArgs.Files.
	Files []*remote.Command
}

// CheckPort is the rule for HostArgs.Port: 0 (for 22) or a TCP port.
// Callers that build hosts later (onprem's tier) check it up front.
func CheckPort(port int) error {
	if port < 0 || port > 65535 {
		return fmt.Errorf("expected 1-65535 (0 for 22), got %d", port)
	}
	return nil
}

// CheckCloudInitTimeout is the rule for HostArgs.CloudInitTimeoutSeconds:
// 0 (DefaultCloudInitTimeoutSeconds) or more.
func CheckCloudInitTimeout(seconds int) error {
	if seconds < 0 {
		return fmt.Errorf("expected 0 (default) or more, got %d", seconds)
	}
	return nil
}

// component is how errors name a Host: `day2 host "<name>": ...`.
const component = "day2 host"

// Validate reports every problem of args for a host called name (the name
// NewHost will get), as NewHost would, without registering anything.
func (a *HostArgs) Validate(name string) error {
	return a.validate(name)
}

// validate returns every problem with args at once.
func (a *HostArgs) validate(name string) error {
	if a == nil {
		return problem.Errorf(component, name, "args are required")
	}
	probs := problem.List{Component: component, Instance: name}
	bad := probs.Add
	if a.Host == nil {
		bad("Host", "required (the node's static address)")
	}
	if a.User == nil {
		bad("User", "required")
	}
	if a.PrivateKey == nil {
		bad("PrivateKey", "required")
	}
	if err := CheckPort(a.Port); err != nil {
		bad("Port", "%v", err)
	}
	if err := CheckCloudInitTimeout(a.CloudInitTimeoutSeconds); err != nil {
		bad("CloudInitTimeoutSeconds", "%v", err)
	}
	if len(a.Files) == 0 {
		bad("Files", "at least one file is required")
	}
	seen := map[string]int{}
	for i, f := range a.Files {
		prefix := fmt.Sprintf("Files[%d]", i)
		f.validate(prefix+".", &probs)
		if f.Content == nil {
			bad(prefix+".Content", "required")
		}
		if j, dup := seen[f.Path]; dup && f.Path != "" {
			bad(prefix+".Path", "%q is also Files[%d]", f.Path, j)
		}
		seen[f.Path] = i
	}
	return probs.Err()
}

// resourceName turns a path into a name fragment: "/etc/haproxy/haproxy.cfg"
// becomes "etc-haproxy-haproxy.cfg".
func resourceName(p string) string {
	return strings.ReplaceAll(strings.TrimPrefix(p, "/"), "/", "-")
}

// NewHost registers the commands that keep args.Files in place on one host.
func NewHost(ctx *pulumi.Context, name string, args *HostArgs, opts ...pulumi.ResourceOption) (*Host, error) {
	if err := args.validate(name); err != nil {
		return nil, err
	}
	scripts := make([]string, len(args.Files))
	for i, f := range args.Files {
		s, err := InstallScript(f)
		if err != nil {
			return nil, problem.Errorf(component, name, "Files[%d]: %w", i, err)
		}
		scripts[i] = s
	}

	host := &Host{}
	if err := ctx.RegisterComponentResource(TypeToken, name, host, opts...); err != nil {
		return nil, problem.Errorf(component, name, "register: %w", err)
	}
	port := args.Port
	if port == 0 {
		port = 22
	}
	conn := remote.ConnectionArgs{
		Host:       args.Host,
		Port:       pulumi.Float64(float64(port)),
		User:       args.User,
		PrivateKey: pulumi.ToSecret(args.PrivateKey.ToStringOutput()).(pulumi.StringOutput),
	}
	if args.HostKey != nil {
		conn.HostKey = args.HostKey.ToStringOutput()
	}
	parent := pulumi.Parent(host)

	var previous pulumi.Resource
	if args.WaitForCloudInit {
		timeout := args.CloudInitTimeoutSeconds
		if timeout == 0 {
			timeout = DefaultCloudInitTimeoutSeconds
		}
		wait, err := remote.NewCommand(ctx, name+"-cloud-init", &remote.CommandArgs{
			Connection: conn,
			Create:     pulumi.String(WaitForCloudInitScript(timeout)),
			// No PULUMI_COMMAND_STDOUT/STDERR: sshd rarely accepts them
			// and the provider warns on every run when it refuses.
			AddPreviousOutputInEnv: pulumi.Bool(false),
		}, parent)
		if err != nil {
			return nil, problem.Errorf(component, name, "cloud-init wait: %w", err)
		}
		host.CloudInit, previous = wait, wait
	}

	done := make([]any, 0, len(args.Files))
	paths := make([]string, 0, len(args.Files))
	for i, f := range args.Files {
		content := f.Content.ToStringOutput()
		hash := content.ApplyT(ContentHash).(pulumi.StringOutput)
		logging := remote.LoggingStdoutAndStderr
		cmdOpts := []pulumi.ResourceOption{parent}
		if f.Secret {
			content = pulumi.ToSecret(content).(pulumi.StringOutput)
			hash = pulumi.ToSecret(hash).(pulumi.StringOutput)
			logging = remote.LoggingNone
			cmdOpts = append(cmdOpts, pulumi.AdditionalSecretOutputs([]string{"stdout", "stderr"}))
		}
		if previous != nil {
			cmdOpts = append(cmdOpts, pulumi.DependsOn([]pulumi.Resource{previous}))
		}
		cmd, err := remote.NewCommand(ctx, name+"-"+resourceName(f.Path), &remote.CommandArgs{
			Connection: conn,
			// The same idempotent script on create and update: it compares
			// before it moves, so re-running it is harmless. No Delete:
			// removing the resource leaves the last good file in place.
			Create:                 pulumi.String(scripts[i]),
			Update:                 pulumi.String(scripts[i]),
			Stdin:                  content,
			Triggers:               pulumi.Array{hash},
			Logging:                logging,
			AddPreviousOutputInEnv: pulumi.Bool(false),
		}, cmdOpts...)
		if err != nil {
			return nil, problem.Errorf(component, name, "Files[%d] (%s): %w", i, f.Path, err)
		}
		host.Files = append(host.Files, cmd)
		previous = cmd
		done = append(done, cmd.ID())
		paths = append(paths, f.Path)
	}

	host.Address = args.Host.ToStringOutput()
	host.Paths = pulumi.All(done...).ApplyT(func([]any) []string { return paths }).(pulumi.StringArrayOutput)
	if err := ctx.RegisterResourceOutputs(host, pulumi.Map{
		"address": host.Address,
		"paths":   host.Paths,
	}); err != nil {
		return nil, problem.Errorf(component, name, "register outputs: %w", err)
	}
	return host, nil
}
