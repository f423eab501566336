package testkit

import (
	"context"
	"fmt"
	"hash/fnv"
	"sort"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Options describe one offline run of a program.
type Options struct {
	// Project and Stack name the run; Project defaults to "project" and
	// Stack to "stack", the names Pulumi's own mock examples use.
	Project string
	Stack   string
	// Config holds fully qualified keys ("myproject:web") with the string
	// form the CLI passes to programs: objects and arrays as JSON.
	Config map[string]string
	// SecretKeys lists the keys of Config that are secret.
	SecretKeys []string
	// StackOutputs answers StackReferences: the key is the referenced stack
	// name exactly as the program passes it ("organization/network/production").
	StackOutputs map[string]map[string]any
	// Preview runs the program as `pulumi preview` would (DryRun).
	Preview bool
	// EchoInputs answers like the simplest mock a user writes: a resource's
	// state is its inputs and nothing else (no canned provider outputs;
	// invokes keep their canned answers, the data a lookup finds). A
	// component must then fail with an error or finish, never panic.
	EchoInputs bool
	// Inventory, when set, lists the names the canned vCenter holds, and
	// a vSphere lookup of any other name fails as vCenter would. Nil
	// answers every lookup, whatever the name (see VSphereInventory).
	Inventory *VSphereInventory
}

// Resource is everything the program told the engine about one resource.
type Resource struct {
	URN    string
	Type   string
	Name   string
	ID     string
	Custom bool
	// Read is true for resources the program reads rather than manages
	// (StackReference, Get functions).
	Read bool
	// Parent is the parent's URN; the stack's URN for top-level resources.
	Parent string
	// Inputs as registered, with secrets still marked.
	Inputs resource.PropertyMap
	// Dependencies are the URNs of explicit and implicit dependencies.
	Dependencies []string
	// PropertyDependencies maps an input name to the URNs it came from.
	PropertyDependencies map[string][]string
	// Provider is the provider reference ("URN::ID"), empty for the default.
	Provider            string
	Protect             bool
	RetainOnDelete      bool
	DeleteBeforeReplace bool
	IgnoreChanges       []string
	Aliases             []string
	AdditionalSecrets   []string
	// SecretPaths lists the input paths that are marked secret.
	SecretPaths []string
	// Computed are the outputs the canned provider invented that are not
	// inputs (arns, endpoints, addresses). With ID they are what the real
	// engine does not know at preview time for a resource it creates.
	Computed resource.PropertyMap
}

// Input returns the plain value of a top-level input, or nil.
func (r *Resource) Input(key string) any {
	v, ok := r.Inputs[resource.PropertyKey(key)]
	if !ok {
		return nil
	}
	return Plain(v)
}

// String returns the input's string value, or "" when absent or not a string.
func (r *Resource) String(key string) string {
	s, _ := r.Input(key).(string)
	return s
}

// Output returns the plain value of a top-level output as the canned
// provider answered it: the computed value when there is one (an arn, an
// endpoint), else the input, since a provider echoes its inputs. Nil when
// neither has the key.
func (r *Resource) Output(key string) any {
	if v, ok := r.Computed[resource.PropertyKey(key)]; ok {
		return Plain(v)
	}
	return r.Input(key)
}

// ProviderURN returns the URN part of the provider reference ("URN::ID").
func (r *Resource) ProviderURN() string { return providerURN(r.Provider) }

func providerURN(ref string) string {
	if i := strings.LastIndex(ref, "::"); i >= 0 {
		return ref[:i]
	}
	return ref
}

// Result is the record of one run.
type Result struct {
	Stack     string
	Project   string
	Resources []*Resource // sorted by URN
	byURN     map[string]*Resource
	Invokes   []Invoke
}

// Invoke records a function call the program made.
type Invoke struct {
	Token string
	// Args are the call's arguments as plain values.
	Args map[string]any
	// Provider is the provider reference ("URN::ID"), empty for the default.
	Provider string
}

// ProviderURN returns the URN part of the provider reference ("URN::ID").
func (i Invoke) ProviderURN() string { return providerURN(i.Provider) }

// InvokesOf returns the calls of a function token, in the order Invokes
// holds them.
func (r *Result) InvokesOf(token string) []Invoke {
	var out []Invoke
	for _, inv := range r.Invokes {
		if inv.Token == token {
			out = append(out, inv)
		}
	}
	return out
}

// StackURN is the URN of the root stack resource.
func (r *Result) StackURN() string {
	return fmt.Sprintf("urn:pulumi:%s::%s::pulumi:pulumi:Stack::%s-%s", r.Stack, r.Project, r.Project, r.Stack)
}

// ByURN returns the resource with that URN, or nil.
func (r *Result) ByURN(urn string) *Resource { return r.byURN[urn] }

// OfType returns every resource of a type token, in URN order.
func (r *Result) OfType(token string) []*Resource {
	var out []*Resource
	for _, res := range r.Resources {
		if res.Type == token {
			out = append(out, res)
		}
	}
	return out
}

// Find returns the resource with that type token and name, or nil.
func (r *Result) Find(token, name string) *Resource {
	for _, res := range r.Resources {
		if res.Type == token && res.Name == name {
			return res
		}
	}
	return nil
}

// Children returns the resources whose parent is urn.
func (r *Result) Children(urn string) []*Resource {
	var out []*Resource
	for _, res := range r.Resources {
		if res.Parent == urn {
			out = append(out, res)
		}
	}
	return out
}

// Descendants returns every resource below urn in the parent tree.
func (r *Result) Descendants(urn string) []*Resource {
	var out []*Resource
	for _, c := range r.Children(urn) {
		out = append(out, c)
		out = append(out, r.Descendants(c.URN)...)
	}
	return out
}

// DirectDependencies returns the URNs a resource depends on: explicit
// dependencies and every property dependency, deduplicated and sorted.
func (r *Result) DirectDependencies(res *Resource) []string {
	set := map[string]bool{}
	for _, d := range res.Dependencies {
		set[d] = true
	}
	for _, ds := range res.PropertyDependencies {
		for _, d := range ds {
			set[d] = true
		}
	}
	out := make([]string, 0, len(set))
	for d := range set {
		out = append(out, d)
	}
	sort.Strings(out)
	return out
}

// DependsOn reports whether from depends on to, directly or through other
// resources' dependencies. A dependency on a component counts as a
// dependency on each resource below it.
func (r *Result) DependsOn(from, to *Resource) bool {
	seen := map[string]bool{}
	var visit func(urn string) bool
	visit = func(urn string) bool {
		if seen[urn] {
			return false
		}
		seen[urn] = true
		res := r.byURN[urn]
		if res == nil {
			return false
		}
		for _, d := range r.DirectDependencies(res) {
			if d == to.URN {
				return true
			}
			if visit(d) {
				return true
			}
			if dep := r.byURN[d]; dep != nil && !dep.Custom {
				for _, below := range r.Descendants(d) {
					if below.URN == to.URN || visit(below.URN) {
						return true
					}
				}
			}
		}
		return false
	}
	return visit(from.URN)
}

// The names a run gets when Options leaves them empty.
const (
	DefaultProject = "project"
	DefaultStack   = "stack"
)

// Run evaluates fn under the mock engine and returns what it registered.
// The error is the program's error, if any; the result holds whatever was
// registered before it.
func Run(ctx context.Context, fn pulumi.RunFunc, opts Options) (*Result, error) {
	if opts.Project == "" {
		opts.Project = DefaultProject
	}
	if opts.Stack == "" {
		opts.Stack = DefaultStack
	}
	mon := &monitor{opts: opts, byURN: map[string]*Resource{}}
	pctx, err := pulumi.NewContext(ctx, pulumi.RunInfo{
		Project:          opts.Project,
		Stack:            opts.Stack,
		Config:           opts.Config,
		ConfigSecretKeys: opts.SecretKeys,
		DryRun:           opts.Preview,
		Parallel:         8,
		Mocks:            mon,
	})
	if err != nil {
		return nil, fmt.Errorf("new pulumi context: %w", err)
	}
	defer func() { _ = pctx.Close() }()
	runErr := runSafely(pctx, fn)
	return mon.result(), runErr
}

// runSafely turns a panic in the program into an error so one broken test
// case does not take the whole test binary down.
func runSafely(pctx *pulumi.Context, fn pulumi.RunFunc) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("program panicked: %v", p)
		}
	}()
	return pulumi.RunWithContext(pctx, fn)
}

type monitor struct {
	opts    Options
	mu      sync.Mutex
	byURN   map[string]*Resource
	invokes []Invoke
}

func (m *monitor) result() *Result {
	m.mu.Lock()
	defer m.mu.Unlock()
	res := &Result{Stack: m.opts.Stack, Project: m.opts.Project, byURN: map[string]*Resource{}}
	for urn, r := range m.byURN {
		res.Resources = append(res.Resources, r)
		res.byURN[urn] = r
	}
	sort.Slice(res.Resources, func(i, j int) bool { return res.Resources[i].URN < res.Resources[j].URN })
	res.Invokes = append(res.Invokes, m.invokes...)
	sort.SliceStable(res.Invokes, func(i, j int) bool { return res.Invokes[i].Token < res.Invokes[j].Token })
	return res
}

func (m *monitor) urn(parent, typ, name string) string {
	parentType := ""
	if parent != "" {
		pu := resource.URN(parent)
		if pu.QualifiedType() != resource.RootStackType {
			parentType = string(pu.QualifiedType()) + "$"
		}
	}
	return fmt.Sprintf("urn:pulumi:%s::%s::%s%s::%s", m.opts.Stack, m.opts.Project, parentType, typ, name)
}

// NewResource records a registration and answers with a deterministic id
// and the state a provider would return.
func (m *monitor) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	r := &Resource{
		Type:   args.TypeToken,
		Name:   args.Name,
		Custom: args.Custom,
		Inputs: args.Inputs,
	}
	if rpc := args.RegisterRPC; rpc != nil {
		r.Custom = rpc.GetCustom()
		r.Parent = rpc.GetParent()
		r.Dependencies = append([]string(nil), rpc.GetDependencies()...)
		sort.Strings(r.Dependencies)
		r.PropertyDependencies = map[string][]string{}
		for k, v := range rpc.GetPropertyDependencies() {
			urns := append([]string(nil), v.GetUrns()...)
			sort.Strings(urns)
			r.PropertyDependencies[k] = urns
		}
		r.Provider = rpc.GetProvider()
		r.Protect = rpc.GetProtect()
		r.RetainOnDelete = rpc.GetRetainOnDelete()
		r.DeleteBeforeReplace = rpc.GetDeleteBeforeReplace()
		r.IgnoreChanges = append([]string(nil), rpc.GetIgnoreChanges()...)
		r.AdditionalSecrets = append([]string(nil), rpc.GetAdditionalSecretOutputs()...)
		for _, a := range rpc.GetAliases() {
			r.Aliases = append(r.Aliases, a.String())
		}
	}
	if rpc := args.ReadRPC; rpc != nil {
		r.Read = true
		r.Parent = rpc.GetParent()
		r.Provider = rpc.GetProvider()
		r.Dependencies = append([]string(nil), rpc.GetDependencies()...)
	}
	if r.Parent == "" && r.Type != string(resource.RootStackType) {
		r.Parent = fmt.Sprintf("urn:pulumi:%s::%s::pulumi:pulumi:Stack::%s-%s", m.opts.Stack, m.opts.Project, m.opts.Project, m.opts.Stack)
	}
	r.URN = m.urn(r.Parent, r.Type, r.Name)
	r.SecretPaths = SecretPaths(r.Inputs)

	id := args.ID
	if id == "" {
		id = DeterministicID(r.Type, r.Name)
	}
	r.ID = id

	m.mu.Lock()
	if _, dup := m.byURN[r.URN]; dup {
		m.mu.Unlock()
		return "", nil, fmt.Errorf("duplicate resource URN %s", r.URN)
	}
	m.byURN[r.URN] = r
	m.mu.Unlock()

	if r.Type == "pulumi:pulumi:StackReference" {
		name := args.Inputs["name"].StringValue()
		outs, ok := m.opts.StackOutputs[name]
		if !ok {
			return "", nil, fmt.Errorf("stack reference %q: no outputs given to the harness (Options.StackOutputs)", name)
		}
		return name, resource.PropertyMap{
			"name":              resource.NewProperty(name),
			"outputs":           resource.NewPropertyValue(outs),
			"secretOutputNames": resource.NewProperty([]resource.PropertyValue{}),
		}, nil
	}
	state := args.Inputs.Copy()
	if f := stateFuncFor(r.Type); f != nil && !m.opts.EchoInputs {
		r.Computed = resource.PropertyMap{}
		for k, v := range f(r.Name, args.Inputs) {
			if in, ok := args.Inputs[k]; !ok || !in.DeepEquals(v) {
				r.Computed[k] = v
			}
			state[k] = v
		}
	}
	return id, state, nil
}

// Call answers an invoke with canned data registered by token.
func (m *monitor) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	m.mu.Lock()
	m.invokes = append(m.invokes, Invoke{Token: args.Token, Args: PlainMap(args.Args), Provider: args.Provider})
	m.mu.Unlock()
	f := invokeFuncFor(args.Token)
	if f == nil {
		return nil, fmt.Errorf("testkit: no canned answer for invoke %s; add one with RegisterInvoke", args.Token)
	}
	return f(m.opts, args.Args)
}

// DeterministicID is the id the harness gives a resource: a function of its
// type and name only.
func DeterministicID(typ, name string) string {
	if uuidTypes[typ] {
		return DeterministicUUID(typ, name)
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte(typ + "::" + name))
	return fmt.Sprintf("%s-%012x", name, h.Sum64()&0xffffffffffff)
}

// DeterministicUUID is a UUID-shaped id that is a function of a type (or
// kind) and a name only, for things whose real ids are UUIDs.
func DeterministicUUID(typ, name string) string {
	h := fnv.New64a()
	_, _ = h.Write([]byte(typ + "::" + name))
	sum := h.Sum64()
	h2 := fnv.New64a()
	_, _ = h2.Write([]byte(name + "::" + typ))
	s2 := h2.Sum64()
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", uint32(sum>>32), uint16(sum>>16), uint16(sum), uint16(s2>>48), s2&0xffffffffffff)
}

// uuidTypes are resource types whose real ids are UUIDs.
var uuidTypes = map[string]bool{
	"vsphere:index/virtualMachine:VirtualMachine": true,
}
