package plan

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/internal/mocktest"
)

// FormatVersion is the version of the JSON plan format. Diff refuses plans
// of another version rather than reporting nonsense.
const FormatVersion = 1

// Plan is one stack's offline evaluation: every resource the program
// registered (the root stack itself excluded), secrets masked.
type Plan struct {
	Version   int         `json:"version"`
	Project   string      `json:"project"`
	Stack     string      `json:"stack"`
	Resources []*Resource `json:"resources"` // sorted by URN
}

// Resource is one registered resource as the plan records it.
type Resource struct {
	URN    string `json:"urn"`
	Type   string `json:"type"`
	Name   string `json:"name"`
	Custom bool   `json:"custom"`
	// Read marks resources the program reads (StackReference, get
	// functions) rather than creates.
	Read bool `json:"read,omitempty"`
	// Parent is the parent's URN; the stack's URN for top-level resources.
	Parent string `json:"parent,omitempty"`
	// Provider is the explicit provider reference ("URN::ID"), empty for
	// the default provider.
	Provider string `json:"provider,omitempty"`
	// Inputs are the plain inputs with every secret value replaced by
	// mocktest.SecretMask.
	Inputs map[string]any `json:"inputs"`
	// Dependencies are the URNs this resource waits for: explicit
	// dependencies and property dependencies, deduplicated and sorted.
	Dependencies []string `json:"dependencies,omitempty"`
	// PropertyDependencies maps an input name to the URNs its value came
	// from; a diff uses it to see that an input of a replaced resource's
	// dependent will change too.
	PropertyDependencies map[string][]string `json:"propertyDependencies,omitempty"`
	Protect              bool                `json:"protect,omitempty"`
	RetainOnDelete       bool                `json:"retainOnDelete,omitempty"`
	DeleteBeforeReplace  bool                `json:"deleteBeforeReplace,omitempty"`
	IgnoreChanges        []string            `json:"ignoreChanges,omitempty"`
	// SecretPaths are the input paths whose values are secret.
	SecretPaths []string `json:"secretPaths,omitempty"`
	// ID and Computed are the id and the outputs that are not inputs
	// (arns, endpoints), as the mock engine invented them: the real engine
	// knows neither before it creates the resource, so a diff shows a value
	// that carries one as unknown (Unknowns). Empty for reads, whose
	// values the engine does know at preview.
	ID       string         `json:"id,omitempty"`
	Computed map[string]any `json:"computed,omitempty"`
}

// IsProvider reports whether the resource is an explicit provider.
func (r *Resource) IsProvider() bool { return strings.HasPrefix(r.Type, "pulumi:providers:") }

// StackURN is the URN of the stack resource that roots the tree.
func (p *Plan) StackURN() string {
	return fmt.Sprintf("urn:pulumi:%s::%s::pulumi:pulumi:Stack::%s-%s", p.Stack, p.Project, p.Project, p.Stack)
}

// ByURN indexes the resources.
func (p *Plan) ByURN() map[string]*Resource {
	m := make(map[string]*Resource, len(p.Resources))
	for _, r := range p.Resources {
		m[r.URN] = r
	}
	return m
}

// FromResult builds a plan from a mock-engine run. secretValues are
// plaintexts that must never appear in output (the values of secret
// config); any string containing one has it replaced by the mask.
func FromResult(res *mocktest.Result, secretValues []string) (*Plan, error) {
	s := newScrubber(secretValues)
	p := &Plan{Version: FormatVersion, Project: res.Project, Stack: res.Stack, Resources: []*Resource{}}
	for _, r := range res.Resources {
		if r.Type == "pulumi:pulumi:Stack" {
			continue
		}
		inputs, err := normalize(s.scrub(mocktest.Masked(r.Inputs)))
		if err != nil {
			return nil, fmt.Errorf("plan: %s: inputs: %w", r.URN, err)
		}
		var id string
		var computed map[string]any
		if r.Custom && !r.Read && !strings.HasPrefix(r.Type, "pulumi:") {
			id = r.ID
			if computed, err = normalize(s.scrub(mocktest.Masked(r.Computed))); err != nil {
				return nil, fmt.Errorf("plan: %s: computed outputs: %w", r.URN, err)
			}
			if len(computed) == 0 {
				computed = nil
			}
		}
		p.Resources = append(p.Resources, &Resource{
			URN:                  r.URN,
			Type:                 r.Type,
			Name:                 r.Name,
			Custom:               r.Custom,
			Read:                 r.Read,
			Parent:               r.Parent,
			Provider:             r.Provider,
			Inputs:               inputs,
			Dependencies:         orNil(res.DirectDependencies(r)),
			PropertyDependencies: nonEmpty(r.PropertyDependencies),
			Protect:              r.Protect,
			RetainOnDelete:       r.RetainOnDelete,
			DeleteBeforeReplace:  r.DeleteBeforeReplace,
			IgnoreChanges:        orNil(r.IgnoreChanges),
			SecretPaths:          orNil(r.SecretPaths),
			ID:                   id,
			Computed:             computed,
		})
	}
	sort.Slice(p.Resources, func(i, j int) bool { return p.Resources[i].URN < p.Resources[j].URN })
	return p, nil
}

// normalize round-trips inputs through JSON so a plan built in memory
// compares equal to the same plan read back from a file.
func normalize(m map[string]any) (map[string]any, error) {
	b, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// scrubber replaces known secret plaintexts inside strings.
type scrubber struct{ secrets []string }

func newScrubber(values []string) *scrubber {
	var keep []string
	for _, v := range values {
		// Very short values (a "true", a port) would mask half the plan
		// and are not secrets worth the noise.
		if len(strings.TrimSpace(v)) >= 4 {
			keep = append(keep, v)
		}
	}
	// Longest first, so a secret that contains another is masked whole.
	sort.Slice(keep, func(i, j int) bool { return len(keep[i]) > len(keep[j]) })
	return &scrubber{secrets: keep}
}

func (s *scrubber) scrub(m map[string]any) map[string]any {
	if len(s.secrets) == 0 {
		return m
	}
	out, _ := s.value(m).(map[string]any)
	return out
}

func (s *scrubber) value(v any) any {
	switch t := v.(type) {
	case string:
		for _, sec := range s.secrets {
			t = strings.ReplaceAll(t, sec, mocktest.SecretMask)
		}
		return t
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = s.value(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = s.value(e)
		}
		return out
	}
	return v
}

// EvalOptions say which stack to evaluate and how to change its config.
type EvalOptions struct {
	// ProjectDir holds Pulumi.yaml; the stack file is found through its
	// stackConfigDir.
	ProjectDir string
	Stack      string
	// Config overrides or adds keys ("hawebtier:web" -> `{"count":3}`).
	Config map[string]string
	// SecretConfig overrides or adds keys that are secret.
	SecretConfig map[string]string
	// PlaceholderSecrets are secret keys an operator sets in their own
	// stack (stacks.OperatorSecrets): each one the stack file does not set
	// is planned with a placeholder secret.
	PlaceholderSecrets []string
	// StackOutputs answer StackReferences by the referenced stack's full
	// name; nil means DefaultStackOutputs.
	StackOutputs map[string]map[string]any
	// Inventory lists what the user's vCenter holds; a lookup of another
	// name fails as vCenter would. nil: every lookup answers, whatever the
	// name (mocktest.VSphereInventory).
	Inventory *mocktest.VSphereInventory
}

// Evaluate runs program against the stack's config under the mock engine
// and returns its plan. The error is the program's own error unchanged
// (e.g. the *stacks.ConfigError a `pulumi up` would print) when the program
// fails, or a wrapped error when the stack cannot be loaded.
func Evaluate(ctx context.Context, program pulumi.RunFunc, o EvalOptions) (*Plan, error) {
	opts, err := mocktest.LoadStack(o.ProjectDir, o.Stack)
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	opts = withConfig(opts.WithPlaceholderSecrets(o.PlaceholderSecrets...), o.Config, o.SecretConfig)
	// An offline plan is a preview: the program refuses on `pulumi up`
	// only what cannot be deployed (documentation addresses, example
	// domains), and the shipped stacks are examples.
	opts.Preview = true
	opts.StackOutputs = o.StackOutputs
	opts.Inventory = o.Inventory
	if opts.StackOutputs == nil {
		opts.StackOutputs = DefaultStackOutputs()
	}
	res, runErr := mocktest.Run(ctx, program, opts)
	if runErr != nil {
		return nil, runErr
	}
	return FromResult(res, SecretValues(opts))
}

// withConfig returns opts with keys overridden; secret overrides are
// marked secret.
func withConfig(opts mocktest.Options, plain, secret map[string]string) mocktest.Options {
	cfg := make(map[string]string, len(opts.Config)+len(plain)+len(secret))
	for k, v := range opts.Config {
		cfg[k] = v
	}
	for k, v := range plain {
		cfg[k] = v
	}
	keys := append([]string(nil), opts.SecretKeys...)
	for k, v := range secret {
		cfg[k] = v
		keys = append(keys, k)
	}
	sort.Strings(keys)
	opts.Config, opts.SecretKeys = cfg, keys
	return opts
}

// SecretValues are the plaintexts of opts' secret config: each value, and
// when a value is a JSON object or array, each string inside it.
func SecretValues(opts mocktest.Options) []string {
	var out []string
	for _, k := range opts.SecretKeys {
		v, ok := opts.Config[k]
		if !ok {
			continue
		}
		out = append(out, v)
		var parsed any
		if json.Unmarshal([]byte(v), &parsed) == nil {
			out = append(out, leafStrings(parsed)...)
		}
	}
	return out
}

func leafStrings(v any) []string {
	switch t := v.(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, e := range t {
			out = append(out, leafStrings(e)...)
		}
		return out
	case map[string]any:
		var out []string
		for _, e := range t {
			out = append(out, leafStrings(e)...)
		}
		return out
	}
	return nil
}

// WriteJSON writes the plan as indented JSON.
func (p *Plan) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(p)
}

// ErrVersion is returned for a plan file of another format version.
var ErrVersion = errors.New("plan: unsupported plan format version")

// ReadJSON reads a plan written by WriteJSON.
func ReadJSON(r io.Reader) (*Plan, error) {
	var p Plan
	dec := json.NewDecoder(r)
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("plan: decode: %w", err)
	}
	if p.Version != FormatVersion {
		return nil, fmt.Errorf("%w %d (this tool reads %d)", ErrVersion, p.Version, FormatVersion)
	}
	sort.Slice(p.Resources, func(i, j int) bool { return p.Resources[i].URN < p.Resources[j].URN })
	return &p, nil
}

// ReadFile reads a plan file.
func ReadFile(path string) (*Plan, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	defer f.Close()
	p, err := ReadJSON(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

func nonEmpty(m map[string][]string) map[string][]string {
	out := map[string][]string{}
	for k, v := range m {
		if len(v) > 0 {
			out[k] = v
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// orNil makes empty lists nil, as they read back from JSON.
func orNil(l []string) []string {
	if len(l) == 0 {
		return nil
	}
	return l
}
