package testkit

import (
	"slices"
	"strings"
)

// SecretPlaceholder is the value a secret config key gets when a run must
// have it but nobody set it (Options.WithPlaceholderSecrets): recognisable
// in the registered inputs, and still passed to the program as a secret.
func SecretPlaceholder(key string) string {
	return "placeholder-secret-for-" + strings.NewReplacer(":", "-", ".", "-").Replace(key)
}

// WithPlaceholderSecrets returns o with each of keys that o.Config does
// not set given its SecretPlaceholder, marked secret: a program that
// requires secret config (config.RequireSecret panics on a missing key)
// then runs without anyone writing a password into the test. Keys already
// set keep their values.
func (o Options) WithPlaceholderSecrets(keys ...string) Options {
	cfg := make(map[string]string, len(o.Config)+len(keys))
	for k, v := range o.Config {
		cfg[k] = v
	}
	secret := slices.Clone(o.SecretKeys)
	for _, k := range keys {
		if _, set := cfg[k]; set {
			continue
		}
		cfg[k] = SecretPlaceholder(k)
		secret = append(secret, k)
	}
	slices.Sort(secret)
	o.Config, o.SecretKeys = cfg, slices.Compact(secret)
	return o
}
