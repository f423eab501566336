package cloudinit_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hawebtier/hawebtier/components/cloudinit"
	"github.com/hawebtier/hawebtier/components/cloudinit/cloudinittest"
)

const testKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGv3Nq0mB7fX1q2mWf1Kq0b6wQk2eYh0x1u7cZpXo9Yw ops@example"

func full() cloudinit.UserData {
	return cloudinit.UserData{
		Hostname: "lb-1",
		FQDN:     "lb-1.example.internal",
		Packages: []string{"haproxy", "keepalived", "haproxy"},
		Files: []cloudinit.File{
			{Path: "/etc/haproxy/haproxy.cfg", Content: "global\n  log /dev/log local0\n", Permissions: "0644", Owner: "root:root"},
			{Path: "/etc/keepalived/check.sh", Content: "#!/bin/sh\nexec curl -fsS http://127.0.0.1:8404/healthz\n", Permissions: "0755", Owner: "root:root"},
		},
		Sysctl: map[string]string{"net.ipv4.ip_nonlocal_bind": "1"},
		RunCmd: [][]string{
			{"systemctl", "enable", "--now", "haproxy"},
			{"sh", "-c", "echo 'a, b' [x] {y}: z # not a comment", "1", "yes", "null", "", "0644", "- x"},
		},
		Users: []cloudinit.User{
			{Name: "keepalived_script", System: true},
			{Name: "hawebtier", Sudo: "ALL=(ALL) NOPASSWD:ALL", Shell: "/bin/bash", Groups: []string{"adm"}, SSHAuthorizedKeys: []string{testKey}},
		},
	}
}

func TestRenderPassesSchema(t *testing.T) {
	t.Parallel()
	tests := map[string]cloudinit.UserData{
		"minimal":       {Hostname: "web-1"},
		"no hostname":   {Packages: []string{"apache2"}},
		"root keys":     {Hostname: "lb-1", RootSSHAuthorizedKeys: []string{testKey}},
		"full":          full(),
		"files only":    {Hostname: "app-1", Files: []cloudinit.File{{Path: "/etc/x", Content: "", Permissions: "0600", Owner: "tomcat:tomcat"}}},
		"sysctl only":   {Hostname: "lb-2", Sysctl: map[string]string{"net.ipv4.ip_nonlocal_bind": "1", "net.core.somaxconn": "4096"}},
		"quotes in yml": {Hostname: "web-2", Files: []cloudinit.File{{Path: "/etc/y", Content: "a: 'b'\n\"c\": d # e\n  - f\n\ttab\n", Permissions: "0644", Owner: "root:root"}}},
	}
	for name, u := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			doc, err := cloudinit.Render(u)
			if err != nil {
				t.Fatal(err)
			}
			cloudinittest.RequireValid(t, doc)
		})
	}
}

// The schema check must be able to fail: broken variants of a valid
// document are rejected by the real program.
func TestSchemaRejectsBrokenUserData(t *testing.T) {
	t.Parallel()
	doc, err := cloudinit.Render(full())
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct{ old, new string }{
		"no header":         {"#cloud-config\n", ""},
		"runcmd not a list": {"runcmd:", "runcmd: 5\nx_runcmd:"},
		"bad yaml":          {"packages:", "packages: [unclosed\n"},
		"bad defer type":    {"defer: true", "defer: maybe"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if !strings.Contains(doc, tc.old) {
				t.Fatalf("document has no %q", tc.old)
			}
			broken := strings.Replace(doc, tc.old, tc.new, 1)
			if res := cloudinittest.Schema(t, broken); res.ExitCode == 0 {
				t.Errorf("cloud-init schema accepted a broken document:\n%s", broken)
			}
		})
	}
}

func TestRenderErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		mutate func(*cloudinit.UserData)
		want   []string // every one must appear in the error
	}{
		"bad hostname":  {func(u *cloudinit.UserData) { u.Hostname = "Web_1" }, []string{`hostname: expected a lowercase DNS label`}},
		"fqdn mismatch": {func(u *cloudinit.UserData) { u.FQDN = "lb-2.example.internal" }, []string{`fqdn: "lb-2.example.internal" does not start with the hostname "lb-1"`}},
		"bad package":   {func(u *cloudinit.UserData) { u.Packages = append(u.Packages, "rm -rf /") }, []string{`packages[3]: expected a Debian package name`}},
		"file problems": {func(u *cloudinit.UserData) {
			u.Files = append(u.Files, cloudinit.File{Path: "etc/x", Permissions: "644", Owner: "root"})
		}, []string{"files[2].path: expected an absolute file path", "files[2].permissions: expected four octal digits", "files[2].owner: expected user:group"}},
		"duplicate path": {func(u *cloudinit.UserData) { u.Files = append(u.Files, u.Files[0]) }, []string{"files[2].path: /etc/haproxy/haproxy.cfg is also files[0]"}},
		"sysctl file clash": {func(u *cloudinit.UserData) {
			u.Files = append(u.Files, cloudinit.File{Path: cloudinit.SysctlPath, Permissions: "0644", Owner: "root:root"})
		}, []string{"sysctl.path: /etc/sysctl.d/60-hawebtier.conf is also files[2]"}},
		"bad sysctl":            {func(u *cloudinit.UserData) { u.Sysctl["bogus"] = "1\n2" }, []string{"sysctl[bogus]: expected a dotted sysctl key", "sysctl[bogus]: expected a one-line value"}},
		"empty command":         {func(u *cloudinit.UserData) { u.RunCmd = append(u.RunCmd, nil) }, []string{"runcmd[2]: expected a command"}},
		"not a pub key":         {func(u *cloudinit.UserData) { u.Users[1].SSHAuthorizedKeys = []string{"AAAA"} }, []string{"users[1].ssh_authorized_keys[0]: expected one OpenSSH public key line"}},
		"private key":           {func(u *cloudinit.UserData) { u.Files[0].Content = "-----BEGIN OPENSSH PRIVATE KEY-----\n" }, []string{"files[0].content: holds a private key"}},
		"secret in file":        {func(u *cloudinit.UserData) { u.Files[1].Content = "secret=HAWEBTIER-AJP-SECRET-NOT-YET-DELIVERED" }, []string{"files[1].content: holds the secret placeholder"}},
		"secret in cmd":         {func(u *cloudinit.UserData) { u.RunCmd[0] = []string{"echo", cloudinit.SecretPlaceholder} }, []string{"runcmd[0]: holds the secret placeholder"}},
		"duplicate user":        {func(u *cloudinit.UserData) { u.Users = append(u.Users, u.Users[0]) }, []string{`users[2].name: duplicate user "keepalived_script"`}},
		"binary content":        {func(u *cloudinit.UserData) { u.Files[0].Content = "\xff\xfe" }, []string{"files[0].content: /etc/haproxy/haproxy.cfg is not UTF-8 text"}},
		"all at once":           {func(u *cloudinit.UserData) { u.Hostname = "Bad_Name"; u.Packages = []string{""} }, []string{"hostname: expected", "fqdn: ", "packages[0]: expected"}},
		"root key not public":   {func(u *cloudinit.UserData) { u.RootSSHAuthorizedKeys = []string{"-----BEGIN OPENSSH PRIVATE KEY-----"} }, []string{"root_ssh_authorized_keys[0]: holds a private key", "root_ssh_authorized_keys[0]: expected one OpenSSH public key line"}},
		"fqdn without hostname": {func(u *cloudinit.UserData) { u.Hostname = "" }, []string{"fqdn: set without hostname"}},
		"bad group names":       {func(u *cloudinit.UserData) { u.Users[1].Groups = []string{"Wheel"} }, []string{"users[1].groups[0]: expected a group name"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			u := full()
			tc.mutate(&u)
			_, err := cloudinit.Render(u)
			if err == nil {
				t.Fatal("Render accepted invalid user-data")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not contain %q:\n%v", w, err)
				}
			}
		})
	}
}

// TestTargetLimits: each target counts its own way. AWS takes 16384 raw
// bytes; a vSphere guestinfo value is counted base64-encoded against
// three quarters of 64 KiB, so a document AWS refuses fits on vSphere.
func TestTargetLimits(t *testing.T) {
	t.Parallel()
	u := cloudinit.UserData{Hostname: "web-9"}
	body := func(n int) string {
		u.Files = []cloudinit.File{{Path: "/f", Content: strings.Repeat("x", n), Permissions: "0644", Owner: "root:root"}}
		doc, err := cloudinit.Render(u)
		if err != nil {
			t.Fatal(err)
		}
		return doc
	}
	overhead := len(body(100)) - 100
	vsphereRaw := cloudinit.VSphereGuestinfo.Allowed() / 4 * 3 // the largest document whose base64 fits
	tests := map[string]struct {
		limit   cloudinit.Limit
		size    int // document bytes
		wantErr string
	}{
		"AWS: exactly 16384 fits":                      {limit: cloudinit.AWSUserData, size: 16384},
		"AWS: one byte more is refused":                {limit: cloudinit.AWSUserData, size: 16385, wantErr: "web-9 user-data is 16385 bytes, over the 16384 allowed of the 16384-byte AWS EC2 user data limit"},
		"vSphere: what AWS refuses fits":               {limit: cloudinit.VSphereGuestinfo, size: 16385},
		"vSphere: the largest encoded value that fits": {limit: cloudinit.VSphereGuestinfo, size: vsphereRaw},
		"vSphere: three bytes more is refused": {limit: cloudinit.VSphereGuestinfo, size: vsphereRaw + 3,
			wantErr: "web-9 user-data is 49156 bytes base64-encoded, over the 49152 allowed of the 65536-byte vSphere guestinfo value limit"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			doc := body(tc.size - overhead)
			if len(doc) != tc.size {
				t.Fatalf("built %d bytes, want %d", len(doc), tc.size)
			}
			err := tc.limit.Check("web-9 user-data", doc)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("want an error containing %q, got %v", tc.wantErr, err)
			}
		})
	}
	if got := cloudinit.VSphereGuestinfo.Size("abcd"); got != len(cloudinit.Encode("abcd")) {
		t.Errorf("vSphere counts %d for a 4-byte document, its value is %d bytes", got, len(cloudinit.Encode("abcd")))
	}
}

func TestParseRoundTrip(t *testing.T) {
	t.Parallel()
	u := full()
	u.RootSSHAuthorizedKeys = []string{testKey}
	doc, err := cloudinit.Render(u)
	if err != nil {
		t.Fatal(err)
	}
	got, err := cloudinittest.Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	want := u
	want.Packages = []string{"haproxy", "keepalived"}
	want.Files = append(want.Files, cloudinit.File{Path: cloudinit.SysctlPath, Content: "# Written by cloud-init (hawebtier).\nnet.ipv4.ip_nonlocal_bind = 1\n", Permissions: "0644", Owner: "root:root"})
	want.Sysctl = nil
	want.RunCmd = append([][]string{{"sysctl", "-p", cloudinit.SysctlPath}}, want.RunCmd...)
	want.Users[0].Shell = "/usr/sbin/nologin"
	want.RootSSHAuthorizedKeys = []string{testKey}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Parse(Render(u)) (-want +got):\n%s", d)
	}
	if _, err := cloudinittest.Parse("packages: []\n"); err == nil {
		t.Error("Parse accepted a document without the #cloud-config header")
	}
}

func TestEncode(t *testing.T) {
	t.Parallel()
	doc, err := cloudinit.Render(full())
	if err != nil {
		t.Fatal(err)
	}
	dec, err := base64.StdEncoding.DecodeString(cloudinit.Encode(doc))
	if err != nil || string(dec) != doc {
		t.Fatalf("Encode does not round-trip through base64: %v", err)
	}
}

func TestCheckCommand(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"/tmp/user-data":    "cloud-init schema --config-file /tmp/user-data",
		"/tmp/my user-data": "cloud-init schema --config-file '/tmp/my user-data'",
		"/tmp/it's":         `cloud-init schema --config-file '/tmp/it'\''s'`,
	}
	for in, want := range tests {
		if got := cloudinit.CheckCommand(in); got != want {
			t.Errorf("CheckCommand(%q) = %q, want %q", in, got, want)
		}
	}
}

// cloud-init reads YAML 1.1: every command argument must come back as
// the same string, not as a boolean, number or date.
func TestRunCmdSurvivesYAML11(t *testing.T) {
	t.Parallel()
	args := []string{"echo", "yes", "no", "on", "OFF", "y", "n", "~", "null", "", "=", "1", "0644", "1:30", "1_000", "0x1f", "0b101",
		"2024-01-02", ".inf", "1e3", "-1", "+1", "10.20.30.1", "a, b", "[x]", "{y}: z", "# c", "- x", "it's", `say "hi"`, "--now", "-p", "tab\there"}
	doc, err := cloudinit.Render(cloudinit.UserData{Hostname: "yes", RunCmd: [][]string{args}})
	if err != nil {
		t.Fatal(err)
	}
	got := cloudinittest.Load(t, doc)
	want := []any{}
	for _, a := range args {
		want = append(want, a)
	}
	if d := cmp.Diff([]any{want}, got["runcmd"]); d != "" {
		t.Errorf("runcmd as cloud-init reads it (-want +got):\n%s\n%s", d, doc)
	}
	if got["hostname"] != "yes" {
		t.Errorf("hostname read as %#v", got["hostname"])
	}
	cloudinittest.RequireValid(t, doc)
}
