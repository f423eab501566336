package day2

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/internal/mocktest"
)

const commandType = "command:remote:Command"

// Known values injected so the tests can search for them.
const (
	knownPrivateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nKNOWNPRIVATEKEYb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n"
	knownAJPSecret  = "Kn0wnAjpSecret-7f3a9c"
	publicConfig    = "global\n  maxconn 100\n"
)

func secretFileContent() string { return "AJP_SECRET=" + knownAJPSecret + "\n" }

func testFiles() []File {
	return []File{
		{
			Path:    "/etc/haproxy/haproxy.cfg",
			Content: pulumi.String(publicConfig),
			Check:   "haproxy -c -f {path}",
			Reload:  "systemctl reload haproxy",
		},
		{
			Path: "/etc/tomcat10/ajp.secret",
			// Plain on purpose: Secret alone must make it secret.
			Content: pulumi.String(secretFileContent()),
			Owner:   "root:tomcat",
			Mode:    "0640",
			Reload:  "systemctl restart tomcat10",
			Secret:  true,
		},
	}
}

func testArgs() *HostArgs {
	return &HostArgs{
		Host:                    pulumi.String("10.0.10.21"),
		User:                    pulumi.String("root"),
		PrivateKey:              pulumi.ToSecret(pulumi.String(knownPrivateKey)).(pulumi.StringOutput),
		Files:                   testFiles(),
		WaitForCloudInit:        true,
		CloudInitTimeoutSeconds: 300,
	}
}

func runHost(t *testing.T, args *HostArgs) *mocktest.Result {
	t.Helper()
	res, err := mocktest.Run(context.Background(), func(ctx *pulumi.Context) error {
		_, err := NewHost(ctx, "lb-1", args)
		return err
	}, mocktest.Options{})
	if err != nil {
		t.Fatalf("NewHost: %v", err)
	}
	return res
}

func TestNewHostRegistersCommands(t *testing.T) {
	t.Parallel()
	res := runHost(t, testArgs())

	comp := res.Find(TypeToken, "lb-1")
	if comp == nil {
		t.Fatalf("no %s registered", TypeToken)
	}
	var names []string
	for _, c := range res.Children(comp.URN) {
		names = append(names, c.Type+" "+c.Name)
	}
	want := []string{
		commandType + " lb-1-cloud-init",
		commandType + " lb-1-etc-haproxy-haproxy.cfg",
		commandType + " lb-1-etc-tomcat10-ajp.secret",
	}
	if d := cmp.Diff(want, names); d != "" {
		t.Errorf("children of the component (-want +got):\n%s", d)
	}

	wait := res.Find(commandType, "lb-1-cloud-init")
	if got, want := wait.String("create"), WaitForCloudInitScript(300); got != want {
		t.Errorf("cloud-init create = %q, want %q", got, want)
	}
	if !strings.Contains(wait.String("create"), "timeout 300 cloud-init status --wait") {
		t.Errorf("cloud-init wait has no timeout: %q", wait.String("create"))
	}

	files := testFiles()
	for i, name := range []string{"lb-1-etc-haproxy-haproxy.cfg", "lb-1-etc-tomcat10-ajp.secret"} {
		r := res.Find(commandType, name)
		script, err := InstallScript(files[i])
		if err != nil {
			t.Fatal(err)
		}
		if r.String("create") != script || r.String("update") != script {
			t.Errorf("%s: create/update are not InstallScript(files[%d])", name, i)
		}
		if r.Input("delete") != nil {
			t.Errorf("%s: delete = %v, want none (the last good file stays)", name, r.Input("delete"))
		}
		if !res.DependsOn(r, wait) {
			t.Errorf("%s does not depend on the cloud-init wait", name)
		}
		if r.Input("addPreviousOutputInEnv") != false {
			t.Errorf("%s: addPreviousOutputInEnv = %v, want false", name, r.Input("addPreviousOutputInEnv"))
		}
	}
	haproxy := res.Find(commandType, "lb-1-etc-haproxy-haproxy.cfg")
	secret := res.Find(commandType, "lb-1-etc-tomcat10-ajp.secret")
	if !res.DependsOn(secret, haproxy) {
		t.Error("files are not installed in order: files[1] does not depend on files[0]")
	}

	// Public file: readable trigger, content on stdin, output logged.
	if d := cmp.Diff([]any{ContentHash(publicConfig)}, haproxy.Input("triggers")); d != "" {
		t.Errorf("haproxy triggers (-want +got):\n%s", d)
	}
	if haproxy.String("stdin") != publicConfig {
		t.Errorf("haproxy stdin = %q, want the content", haproxy.String("stdin"))
	}
	if got := haproxy.String("logging"); got != "stdoutAndStderr" {
		t.Errorf("haproxy logging = %q", got)
	}
	if d := cmp.Diff([]string{"connection"}, haproxy.SecretPaths); d != "" {
		t.Errorf("haproxy secret paths (-want +got):\n%s", d)
	}

	// Secret file: content, hash and connection secret; nothing logged.
	if d := cmp.Diff([]string{"connection", "stdin", "triggers[0]"}, secret.SecretPaths); d != "" {
		t.Errorf("secret file secret paths (-want +got):\n%s", d)
	}
	if got := secret.String("logging"); got != "none" {
		t.Errorf("secret file logging = %q, want none", got)
	}
	for _, out := range []string{"stdout", "stderr"} {
		if !contains(secret.AdditionalSecrets, out) {
			t.Errorf("secret file: %s is not an additional secret output (%v)", out, secret.AdditionalSecrets)
		}
	}
	if !strings.Contains(secret.String("create"), "withheld") {
		t.Error("secret file script prints the check output")
	}
	conn, _ := wait.Input("connection").(map[string]any)
	if conn["host"] != "10.0.10.21" || conn["port"] != 22.0 || conn["user"] != "root" {
		t.Errorf("connection = host %v port %v user %v", conn["host"], conn["port"], conn["user"])
	}
}

func TestNewHostWithoutCloudInitWait(t *testing.T) {
	t.Parallel()
	args := testArgs()
	args.WaitForCloudInit = false
	res := runHost(t, args)
	if r := res.Find(commandType, "lb-1-cloud-init"); r != nil {
		t.Error("cloud-init wait registered without WaitForCloudInit")
	}
	first := res.Find(commandType, "lb-1-etc-haproxy-haproxy.cfg")
	if len(res.DirectDependencies(first)) != 0 {
		t.Errorf("first file depends on %v, want nothing", res.DirectDependencies(first))
	}
}

// TestSecretsNeverInPlainInputs injects known secrets (private key, secret
// file content) and searches every registered input that is not marked
// secret, including command strings, for them and for their digests.
func TestSecretsNeverInPlainInputs(t *testing.T) {
	t.Parallel()
	res := runHost(t, testArgs())
	needles := map[string]string{
		"private key":            "KNOWNPRIVATEKEY",
		"AJP secret":             knownAJPSecret,
		"secret content digest":  strings.TrimPrefix(ContentHash(secretFileContent()), "sha256:"),
		"private key (one line)": strings.TrimSpace(knownPrivateKey)[:40],
	}
	searched := 0
	for _, r := range res.Resources {
		for _, s := range plainStrings(resource.NewObjectProperty(r.Inputs)) {
			searched++
			for what, needle := range needles {
				if strings.Contains(s, needle) {
					t.Errorf("%s %s: %s in a plain input: %.80q", r.Type, r.Name, what, s)
				}
			}
		}
	}
	if searched < 10 {
		t.Fatalf("searched only %d plain strings: the walk is broken", searched)
	}
	// The walk must see through to plain values: the public content is found.
	found := false
	for _, r := range res.Resources {
		for _, s := range plainStrings(resource.NewObjectProperty(r.Inputs)) {
			found = found || s == publicConfig
		}
	}
	if !found {
		t.Error("public content not found among plain inputs: the search cannot be trusted")
	}
}

// plainStrings returns every string under v that is not inside a secret.
func plainStrings(v resource.PropertyValue) []string {
	switch {
	case v.IsSecret():
		return nil
	case v.IsOutput():
		o := v.OutputValue()
		if o.Secret || !o.Known {
			return nil
		}
		return plainStrings(o.Element)
	case v.IsString():
		return []string{v.StringValue()}
	case v.IsArray():
		var out []string
		for _, e := range v.ArrayValue() {
			out = append(out, plainStrings(e)...)
		}
		return out
	case v.IsObject():
		var out []string
		for k, e := range v.ObjectValue() {
			out = append(out, string(k))
			out = append(out, plainStrings(e)...)
		}
		return out
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

func TestNewHostRejectsBadArgs(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		mutate func(*HostArgs)
		want   []string
	}{
		"missing connection": {
			mutate: func(a *HostArgs) { a.Host, a.User, a.PrivateKey = nil, nil, nil },
			want:   []string{`day2 host "lb-1": Host: required`, `day2 host "lb-1": User: required`, `day2 host "lb-1": PrivateKey: required`},
		},
		"bad port and timeout": {
			mutate: func(a *HostArgs) { a.Port, a.CloudInitTimeoutSeconds = 70000, -1 },
			want:   []string{`day2 host "lb-1": Port:`, `day2 host "lb-1": CloudInitTimeoutSeconds:`},
		},
		"no files": {
			mutate: func(a *HostArgs) { a.Files = nil },
			want:   []string{`day2 host "lb-1": Files: at least one`},
		},
		"every bad file field at once": {
			mutate: func(a *HostArgs) {
				a.Files[0].Path = "etc/haproxy.cfg"
				a.Files[0].Mode = "644x"
				a.Files[0].Owner = "Root Root"
				a.Files[0].Check = "haproxy -c"
				a.Files[1].Path = "/etc/../etc/x"
				a.Files[1].Content = nil
			},
			want: []string{`day2 host "lb-1": Files[0].Path:`, `day2 host "lb-1": Files[0].Mode:`, `day2 host "lb-1": Files[0].Owner:`, `day2 host "lb-1": Files[0].Check:`, `day2 host "lb-1": Files[1].Path:`, `day2 host "lb-1": Files[1].Content: required`},
		},
		"duplicate path": {
			mutate: func(a *HostArgs) { a.Files[1].Path = a.Files[0].Path },
			want:   []string{`day2 host "lb-1": Files[1].Path: "/etc/haproxy/haproxy.cfg" is also Files[0]`},
		},
		"quote in path": {
			mutate: func(a *HostArgs) { a.Files[0].Path = "/etc/x'; rm -rf /" },
			want:   []string{`day2 host "lb-1": Files[0].Path:`},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			args := testArgs()
			tc.mutate(args)
			res, err := mocktest.Run(context.Background(), func(ctx *pulumi.Context) error {
				_, err := NewHost(ctx, "lb-1", args)
				return err
			}, mocktest.Options{})
			if err == nil {
				t.Fatal("NewHost accepted bad args")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
			for _, r := range res.Resources {
				if r.Type != "pulumi:pulumi:Stack" {
					t.Errorf("registered %s %s despite invalid args", r.Type, r.Name)
				}
			}
		})
	}
}
