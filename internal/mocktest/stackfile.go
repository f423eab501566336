package mocktest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// ProjectFile is the part of Pulumi.yaml the harness reads.
type ProjectFile struct {
	Name           string                      `yaml:"name"`
	Runtime        any                         `yaml:"runtime"`
	StackConfigDir string                      `yaml:"stackConfigDir"`
	Config         map[string]ProjectConfigKey `yaml:"config"`
}

// ProjectConfigKey is one entry of the project-level config section.
type ProjectConfigKey struct {
	Type        string `yaml:"type"`
	Description string `yaml:"description"`
	Default     any    `yaml:"default"`
	Secret      bool   `yaml:"secret"`
	Value       any    `yaml:"value"`
	Items       any    `yaml:"items"`
}

// ReadProject parses the Pulumi.yaml in dir.
func ReadProject(dir string) (*ProjectFile, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "Pulumi.yaml"))
	if err != nil {
		return nil, fmt.Errorf("read project file: %w", err)
	}
	var p ProjectFile
	if err := yaml.Unmarshal(raw, &p); err != nil {
		return nil, fmt.Errorf("parse %s: %w", filepath.Join(dir, "Pulumi.yaml"), err)
	}
	if p.Name == "" {
		return nil, fmt.Errorf("%s: project name is empty", filepath.Join(dir, "Pulumi.yaml"))
	}
	return &p, nil
}

// SecretPlaceholder is the value the harness gives a `secure:` config value
// it cannot decrypt. It is still passed to the program as a secret.
func SecretPlaceholder(key string) string {
	return "placeholder-secret-for-" + strings.NewReplacer(":", "-", ".", "-").Replace(key)
}

// LoadStack reads Pulumi.yaml in projectDir and the stack file
// <stackConfigDir>/Pulumi.<stack>.yaml, and returns Options with the
// configuration the CLI would pass to the program: stack values first, then
// the project's defaults for keys the stack does not set. Encrypted values
// become SecretPlaceholder values, marked secret.
func LoadStack(projectDir, stack string) (Options, error) {
	proj, err := ReadProject(projectDir)
	if err != nil {
		return Options{}, err
	}
	path := filepath.Join(projectDir, proj.StackConfigDir, "Pulumi."+stack+".yaml")
	raw, err := os.ReadFile(path)
	if err != nil {
		return Options{}, fmt.Errorf("stack %q: %w", stack, err)
	}
	var file struct {
		Config map[string]any `yaml:"config"`
	}
	if err := yaml.Unmarshal(raw, &file); err != nil {
		return Options{}, fmt.Errorf("parse %s: %w", path, err)
	}
	opts := Options{Project: proj.Name, Stack: stack, Config: map[string]string{}}
	secret := map[string]bool{}
	for key, v := range file.Config {
		full := key
		if !strings.Contains(key, ":") {
			full = proj.Name + ":" + key
		}
		s, isSecret, err := configString(full, v)
		if err != nil {
			return Options{}, fmt.Errorf("%s: %w", path, err)
		}
		opts.Config[full] = s
		if isSecret {
			secret[full] = true
		}
	}
	for key, def := range proj.Config {
		full := key
		if !strings.Contains(key, ":") {
			full = proj.Name + ":" + key
		}
		if _, set := opts.Config[full]; set {
			if def.Secret {
				secret[full] = true
			}
			continue
		}
		val := def.Default
		if val == nil {
			val = def.Value
		}
		if val == nil {
			continue
		}
		s, isSecret, err := configString(full, val)
		if err != nil {
			return Options{}, fmt.Errorf("project file config %q: %w", key, err)
		}
		opts.Config[full] = s
		if isSecret || def.Secret {
			secret[full] = true
		}
	}
	for k := range secret {
		opts.SecretKeys = append(opts.SecretKeys, k)
	}
	sort.Strings(opts.SecretKeys)
	return opts, nil
}

// configString renders a YAML config value the way the CLI hands it to a
// program: scalars as text, objects and arrays as JSON.
func configString(key string, v any) (string, bool, error) {
	secret := false
	var replace func(v any) any
	replace = func(v any) any {
		switch t := v.(type) {
		case map[string]any:
			if enc, ok := t["secure"]; ok && len(t) == 1 {
				if _, isString := enc.(string); isString {
					secret = true
					return SecretPlaceholder(key)
				}
			}
			out := map[string]any{}
			for k, e := range t {
				out[k] = replace(e)
			}
			return out
		case []any:
			out := make([]any, len(t))
			for i, e := range t {
				out[i] = replace(e)
			}
			return out
		}
		return v
	}
	v = replace(v)
	switch t := v.(type) {
	case string:
		return t, secret, nil
	case bool:
		return strconv.FormatBool(t), secret, nil
	case int:
		return strconv.Itoa(t), secret, nil
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64), secret, nil
	case nil:
		return "", secret, nil
	default:
		b, err := json.Marshal(t)
		if err != nil {
			return "", false, fmt.Errorf("key %q: %w", key, err)
		}
		return string(b), secret, nil
	}
}
