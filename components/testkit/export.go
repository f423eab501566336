package testkit

import (
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ExportOutputs exports every exported pulumi.Output field of component
// (a pointer to a component struct) as "<prefix><Field>". The run then
// ends with the error of any output that failed, which it would otherwise
// drop when nothing reads that output: a test of what a component does
// when a provider answers less than expected (Options.EchoInputs) sees
// every failure, not only those of the outputs it happened to use. It
// returns the names exported.
func ExportOutputs(ctx *pulumi.Context, prefix string, component any) []string {
	v := reflect.ValueOf(component)
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return nil
	}
	outputType := reflect.TypeFor[pulumi.Output]()
	var names []string
	for i := 0; i < v.NumField(); i++ {
		f := v.Type().Field(i)
		if !f.IsExported() || f.Anonymous || !f.Type.Implements(outputType) {
			continue
		}
		out, ok := v.Field(i).Interface().(pulumi.Output)
		// A zero OutputState (a field the component never set) would
		// block the run forever.
		if !ok || out == nil || v.Field(i).IsZero() {
			continue
		}
		ctx.Export(prefix+f.Name, out)
		names = append(names, prefix+f.Name)
	}
	return names
}
