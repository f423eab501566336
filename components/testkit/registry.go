package testkit

import (
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// StateFunc returns the properties a provider adds to a resource's inputs
// when it creates it (ARNs, endpoints, DNS names). They are merged over the
// inputs.
type StateFunc func(name string, inputs resource.PropertyMap) resource.PropertyMap

// InvokeFunc answers one data-source call.
type InvokeFunc func(args resource.PropertyMap) (resource.PropertyMap, error)

// RunInvokeFunc answers one data-source call with the run's Options at
// hand, for an answer that depends on what the run was given (such as
// Options.Inventory) rather than on the arguments alone. The registry is
// shared by every run; per-run settings reach the answer only this way.
type RunInvokeFunc func(opts Options, args resource.PropertyMap) (resource.PropertyMap, error)

var (
	registryMu sync.RWMutex
	states     = map[string]StateFunc{}
	invokes    = map[string]RunInvokeFunc{}
)

// RegisterState sets the computed state for a resource type token. A token
// ending in "*" matches every type with that prefix.
func RegisterState(token string, f StateFunc) {
	registryMu.Lock()
	defer registryMu.Unlock()
	states[token] = f
}

// RegisterInvoke sets the canned answer for a function token.
func RegisterInvoke(token string, f InvokeFunc) {
	RegisterRunInvoke(token, func(_ Options, args resource.PropertyMap) (resource.PropertyMap, error) {
		return f(args)
	})
}

// RegisterRunInvoke sets the canned answer for a function token, computed
// from the run's Options and the call's arguments.
func RegisterRunInvoke(token string, f RunInvokeFunc) {
	registryMu.Lock()
	defer registryMu.Unlock()
	invokes[token] = f
}

func stateFuncFor(token string) StateFunc {
	registryMu.RLock()
	defer registryMu.RUnlock()
	if f, ok := states[token]; ok {
		return f
	}
	best := ""
	for k := range states {
		if strings.HasSuffix(k, "*") && strings.HasPrefix(token, strings.TrimSuffix(k, "*")) && len(k) > len(best) {
			best = k
		}
	}
	if best != "" {
		return states[best]
	}
	return nil
}

func invokeFuncFor(token string) RunInvokeFunc {
	registryMu.RLock()
	defer registryMu.RUnlock()
	return invokes[token]
}

// Props builds a property map from plain Go values.
func Props(m map[string]any) resource.PropertyMap {
	return resource.NewPropertyMapFromMap(m)
}
