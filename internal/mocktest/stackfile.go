package mocktest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag/colors"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
)

// ProjectFile is the Pulumi.yaml at projectDir, loaded and validated by the
// SDK's own loader (workspace.LoadProject: Pulumi's project JSON schema,
// then Project.Validate), exactly as the CLI loads it.
func ProjectFile(projectDir string) (*workspace.Project, error) {
	proj, err := workspace.LoadProject(filepath.Join(projectDir, "Pulumi.yaml"))
	if err != nil {
		return nil, fmt.Errorf("project file: %w", err)
	}
	return proj, nil
}

// StackFile is the path of a stack's settings file: Pulumi.<stack>.yaml in
// the project's stackConfigDir.
func StackFile(projectDir string, proj *workspace.Project, stack string) string {
	return filepath.Join(projectDir, proj.StackConfigDir, "Pulumi."+stack+".yaml")
}

// LoadProjectStack reads a stack's settings file with the SDK's own loader
// (workspace.LoadProjectStack). Unlike the CLI, which starts a new stack
// from an empty file, it fails when the file is missing: the harness only
// runs stacks that exist.
func LoadProjectStack(projectDir string, proj *workspace.Project, stack string) (*workspace.ProjectStack, error) {
	path := StackFile(projectDir, proj, stack)
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("stack %q: %w", stack, err)
	}
	sink := diag.DefaultSink(os.Stderr, os.Stderr, diag.FormatOptions{Color: colors.Never})
	ps, err := workspace.LoadProjectStack(sink, proj, path)
	if err != nil {
		return nil, fmt.Errorf("stack %q: %s: %w", stack, path, err)
	}
	return ps, nil
}

// LoadStack reads Pulumi.yaml in projectDir and the stack file
// <stackConfigDir>/Pulumi.<stack>.yaml with the SDK's loaders, applies and
// checks the project's config as the CLI does before it starts a program
// (ApplyProjectConfig), and returns Options with the configuration the CLI
// would pass to the program. Encrypted values become SecretPlaceholder
// values, marked secret.
func LoadStack(projectDir, stack string) (Options, error) {
	proj, err := ProjectFile(projectDir)
	if err != nil {
		return Options{}, err
	}
	ps, err := LoadProjectStack(projectDir, proj, stack)
	if err != nil {
		return Options{}, err
	}
	cfg := ps.Config
	if err := ApplyProjectConfig(stack, proj, cfg); err != nil {
		return Options{}, err
	}
	opts := Options{Project: proj.Name.String(), Stack: stack, Config: map[string]string{}}
	for k, v := range cfg {
		s, err := v.Value(placeholderDecrypter{key: k.String()})
		if err != nil {
			return Options{}, fmt.Errorf("stack %q: config %s: %w", stack, k, err)
		}
		opts.Config[k.String()] = s
		if v.Secure() {
			opts.SecretKeys = append(opts.SecretKeys, k.String())
		}
	}
	slices.Sort(opts.SecretKeys)
	return opts, nil
}

// ApplyProjectConfig merges the project's config into a stack's and checks
// it, the way the Pulumi CLI v3.274.1 does before `pulumi preview` or `up`
// runs a program (pkg/v3/workspace/config.go, mergeConfig with validation
// on, which the CLI calls as ValidateStackConfigAndApplyProjectConfig):
//   - a key of the project's namespace declared with neither a default nor
//     a value, and not set by the stack, is missing: the CLI treats every
//     such key as required, in every stack;
//   - a key the stack does not set takes the project's default or value;
//   - a typed key's value must have its type (the SDK's
//     workspace.ValidateConfigValue), and a key declared secret must be
//     encrypted in the stack file.
//
// The error texts are the CLI's, so a test can compare them. That function
// lives in the CLI's module (pkg/v3), which a library should not pull into
// its users' builds; the test in internal/pulumicli runs the real CLI on
// the same cases and asserts that both refuse exactly the same ones.
func ApplyProjectConfig(stack string, proj *workspace.Project, cfg config.Map) error {
	projectName := proj.Name.String()
	var missing []string
	for _, name := range sortedKeys(proj.Config) {
		decl := proj.Config[name]
		k, err := projectKey(projectName, name)
		if err != nil {
			return err
		}
		_, onStack, err := cfg.Get(k, true)
		if err != nil {
			return fmt.Errorf("getting stack config value for key '%v': %w", k, err)
		}
		if onStack {
			continue
		}
		var value any
		switch {
		case decl.Default != nil:
			value = decl.Default
		case decl.Value != nil:
			value = decl.Value
		case k.Namespace() == projectName:
			missing = append(missing, name)
			continue
		default:
			continue
		}
		v, err := configValue(value)
		if err != nil {
			return err
		}
		if err := cfg.Set(k, v, true); err != nil {
			return err
		}
	}
	if len(missing) > 0 {
		return missingKeysError(stack, missing)
	}
	for _, name := range sortedKeys(proj.Config) {
		decl := proj.Config[name]
		if !decl.IsExplicitlyTyped() {
			continue
		}
		k, err := projectKey(projectName, name)
		if err != nil {
			return err
		}
		v, _, err := cfg.Get(k, true)
		if err != nil {
			return fmt.Errorf("getting stack config value for key '%v': %w", k, err)
		}
		if decl.Secret && !v.Secure() {
			return fmt.Errorf("Stack '%v' with configuration key '%v' must be encrypted as it's secret", stack, name) //nolint:staticcheck // the CLI's wording, which tests compare
		}
		plain, err := v.Value(placeholderDecrypter{key: k.String()})
		if err != nil {
			return err
		}
		var content any = plain
		if v.Object() {
			if err := json.Unmarshal([]byte(plain), &content); err != nil {
				return err
			}
		}
		if !workspace.ValidateConfigValue(decl.TypeName(), decl.Items, content) {
			return fmt.Errorf("Stack '%v' with configuration key '%v' must be of type '%v'", //nolint:staticcheck // the CLI's wording
				stack, name, workspace.InferFullTypeName(decl.TypeName(), decl.Items))
		}
	}
	return nil
}

// missingKeysError words the error as the CLI does: "Stack 's' is missing
// configuration value 'a'" or "... values 'a', 'b' and 'c'".
func missingKeysError(stack string, keys []string) error {
	slices.Sort(keys)
	quoted := make([]string, len(keys))
	for i, k := range keys {
		quoted[i] = "'" + k + "'"
	}
	list, noun := quoted[0], "value"
	if len(quoted) > 1 {
		list, noun = strings.Join(quoted[:len(quoted)-1], ", ")+" and "+quoted[len(quoted)-1], "values"
	}
	return fmt.Errorf("Stack '%v' is missing configuration %v %v", stack, noun, list) //nolint:staticcheck // the CLI's wording
}

func projectKey(projectName, name string) (config.Key, error) {
	if strings.Contains(name, ":") {
		return config.ParseKey(name)
	}
	return config.MustMakeKey(projectName, name), nil
}

// configValue is a project default as the CLI stores it in the stack's
// config: scalars as text, anything else as a JSON object value.
func configValue(raw any) (config.Value, error) {
	switch raw.(type) {
	case string, int, bool:
		return config.NewValue(fmt.Sprintf("%v", raw)), nil
	}
	v, err := workspace.SimplifyMarshalledValue(raw)
	if err != nil {
		return config.Value{}, err
	}
	b, err := json.Marshal(v)
	if err != nil {
		return config.Value{}, err
	}
	return config.NewObjectValue(string(b)), nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// placeholderDecrypter "decrypts" every ciphertext of one key to that key's
// SecretPlaceholder: the harness has no passphrase, and the program must
// see a secret value of the right key.
type placeholderDecrypter struct{ key string }

func (d placeholderDecrypter) DecryptValue(context.Context, string) (string, error) {
	return SecretPlaceholder(d.key), nil
}

func (d placeholderDecrypter) BatchDecrypt(_ context.Context, ciphertexts []string) ([]string, error) {
	out := make([]string, len(ciphertexts))
	for i := range out {
		out[i] = SecretPlaceholder(d.key)
	}
	return out, nil
}
