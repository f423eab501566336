package cloudinit

import (
	"encoding/base64"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// MaxUserDataBytes is the largest user-data AWS accepts, counted before
// base64 encoding (AWSUserData). Render does not apply it: each target
// has its own limit (Limit), checked by the caller that knows the target.
const MaxUserDataBytes = 16384

// Header starts every cloud-config document; cloud-init ignores user-data
// without it.
const Header = "#cloud-config\n"

// SysctlPath is where UserData.Sysctl is written.
const SysctlPath = "/etc/sysctl.d/60-hawebtier.conf"

// SecretMarker is in every placeholder that stands in for a secret when a
// file is rendered without it (httpd.SecretPlaceholder and
// tomcat.SecretPlaceholder are "HAWEBTIER-AJP-SECRET-NOT-YET-DELIVERED").
// Render refuses any user-data that contains it: a file rendered with a
// placeholder carries a secret in its real form, so it must reach the node
// another way (the day-2 SSH component pushes the real file), and shipping
// the placeholder would give every node the same publicly known "secret".
const SecretMarker = "SECRET-NOT-YET-DELIVERED"

// SecretPlaceholder is a placeholder for renderers that have none of their
// own. It holds SecretMarker and only [A-Z-], so secret validators accept it.
const SecretPlaceholder = "HAWEBTIER-SECRET-NOT-YET-DELIVERED"

// File is one file written on the node.
type File struct {
	Path        string // absolute
	Content     string // UTF-8 text
	Permissions string // octal, four digits: "0644"
	Owner       string // "user:group"
}

// User is an account cloud-init creates. The image's default user is kept.
type User struct {
	Name   string
	Gecos  string
	System bool // a system account (no home directory unless the package makes one)
	// Shell defaults to /usr/sbin/nologin for system users and to the
	// distribution default otherwise.
	Shell  string
	Groups []string
	// Sudo is a sudoers rule such as "ALL=(ALL) NOPASSWD:ALL"; empty: none.
	Sudo string
	// SSHAuthorizedKeys are public keys ("ssh-ed25519 AAAA... comment").
	SSHAuthorizedKeys []string
}

// UserData is what a node does on first boot, in the order cloud-init runs
// it: users, packages, then files (deferred until the packages that create
// their owners and directories are installed), sysctl, then RunCmd.
type UserData struct {
	// Hostname is the short host name, e.g. web-1. Empty leaves the name to
	// the platform (the instances of an AWS Auto Scaling Group share one
	// user-data).
	Hostname string
	FQDN     string // optional; needs Hostname, and its first label must be Hostname
	Packages []string
	Files    []File
	// Sysctl settings are written to SysctlPath and applied before RunCmd.
	Sysctl map[string]string
	RunCmd [][]string
	Users  []User
	// RootSSHAuthorizedKeys lets root log in with these public keys
	// (cloud-init's disable_root: false; it also gives them to the image's
	// default user). For a day-2 path that must write files as root.
	RootSSHAuthorizedKeys []string
}

// cloudConfig is the YAML document, in the order a reader expects.
type cloudConfig struct {
	Hostname       string      `yaml:"hostname,omitempty"`
	FQDN           string      `yaml:"fqdn,omitempty"`
	ManageEtcHosts bool        `yaml:"manage_etc_hosts,omitempty"`
	DisableRoot    *bool       `yaml:"disable_root,omitempty"`
	SSHKeys        []string    `yaml:"ssh_authorized_keys,omitempty"`
	Users          []any       `yaml:"users,omitempty"`
	Packages       []string    `yaml:"packages,omitempty"`
	WriteFiles     []writeFile `yaml:"write_files,omitempty"`
	RunCmd         []command   `yaml:"runcmd,omitempty"`
}

// command is written on one line, [systemctl, restart, haproxy]: easier to
// read than a nested block list, and smaller.
type command []string

func (c command) MarshalYAML() (any, error) {
	n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, a := range c {
		// The !!str tag makes the encoder quote "1", "yes", "a, b" and the like.
		n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: a})
	}
	return n, nil
}

type writeFile struct {
	Path        string `yaml:"path"`
	Owner       string `yaml:"owner"`
	Permissions string `yaml:"permissions"`
	// Defer writes the file in cloud-init's final stage, after packages
	// are installed: the users that own files (tomcat, prometheus) and
	// the package directories exist by then, and dpkg never finds our
	// file in place of a conffile it is about to install.
	Defer   bool   `yaml:"defer"`
	Content string `yaml:"content"`
}

type yamlUser struct {
	Name              string   `yaml:"name"`
	Gecos             string   `yaml:"gecos,omitempty"`
	System            bool     `yaml:"system,omitempty"`
	Shell             string   `yaml:"shell,omitempty"`
	Groups            string   `yaml:"groups,omitempty"`
	Sudo              string   `yaml:"sudo,omitempty"`
	LockPasswd        bool     `yaml:"lock_passwd"`
	SSHAuthorizedKeys []string `yaml:"ssh_authorized_keys,omitempty"`
}

var (
	labelRE     = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	packageRE   = regexp.MustCompile(`^[a-z0-9][a-z0-9+.-]+$`)
	permRE      = regexp.MustCompile(`^[0-7]{4}$`)
	ownerRE     = regexp.MustCompile(`^[a-z_][a-z0-9_-]*:[a-z_][a-z0-9_-]*$`)
	userRE      = regexp.MustCompile(`^[a-z_][a-z0-9_-]{0,31}$`)
	sysctlRE    = regexp.MustCompile(`^[a-z0-9_-]+(\.[a-z0-9_-]+)+$`)
	pubKeyRE    = regexp.MustCompile(`^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/]+={0,3}( \S.*)?$`)
	shellSafeRE = regexp.MustCompile(`^[A-Za-z0-9_./@%+=:,-]+$`)
	privateKey  = "PRIVATE KEY-----"
)

// Render validates u and returns its #cloud-config document. It returns
// every problem at once. It applies no size limit: the caller checks the
// document against its target's Limit.
func Render(u UserData) (string, error) {
	var r Renderer
	return r.Render(u)
}

// Renderer renders documents as Render does and keeps the YAML of every
// file it has written. The nodes of one role share most of their files,
// so a tier of N nodes encodes each distinct file once rather than N
// times (the encoder is most of the cost of planning a large tier), and
// the same for the users, packages and commands they share. The
// zero Renderer is ready to use; it is not safe for concurrent use.
type Renderer struct {
	parts map[any]string
}

// Render is Render, with the files r has encoded before taken as they
// were encoded then.
func (r *Renderer) Render(u UserData) (string, error) {
	cc, err := build(u)
	if err != nil {
		return "", err
	}
	body, err := r.marshal(cc)
	if err != nil {
		return "", fmt.Errorf("cloudinit: user-data for %s: %w", u.name(), err)
	}
	return Header + body, nil
}

// build validates u and returns the document's structure.
func build(u UserData) (cloudConfig, error) {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", field, fmt.Sprintf(format, args...)))
	}
	secretFree := func(field, s string) {
		if strings.Contains(s, SecretMarker) {
			bad(field, "holds the secret placeholder: this file carries a secret and must reach the node over SSH or from a secret store, never in user-data")
		}
		if strings.Contains(s, privateKey) {
			bad(field, "holds a private key; user-data is readable by anyone who can read the VM or launch template")
		}
	}

	if u.Hostname != "" && !labelRE.MatchString(u.Hostname) {
		bad("hostname", "expected a lowercase DNS label (letters, digits, hyphens, at most 63), got %q", u.Hostname)
	}
	if u.FQDN != "" {
		if u.Hostname == "" {
			bad("fqdn", "set without hostname")
		} else if !validFQDN(u.FQDN) {
			bad("fqdn", "expected a lowercase DNS name, got %q", u.FQDN)
		} else if first, _, _ := strings.Cut(u.FQDN, "."); first != u.Hostname {
			bad("fqdn", "%q does not start with the hostname %q", u.FQDN, u.Hostname)
		}
	}

	cc := cloudConfig{Hostname: u.Hostname, FQDN: u.FQDN, ManageEtcHosts: u.Hostname != ""}
	checkKeys := func(field string, keys []string) {
		for j, k := range keys {
			kf := fmt.Sprintf("%s[%d]", field, j)
			secretFree(kf, k)
			if !pubKeyRE.MatchString(k) {
				bad(kf, "expected one OpenSSH public key line (type base64 [comment])")
			}
		}
	}
	if len(u.RootSSHAuthorizedKeys) > 0 {
		checkKeys("root_ssh_authorized_keys", u.RootSSHAuthorizedKeys)
		no := false
		cc.DisableRoot, cc.SSHKeys = &no, u.RootSSHAuthorizedKeys
	}

	seenPkg := map[string]bool{}
	for i, p := range u.Packages {
		if !packageRE.MatchString(p) {
			bad(fmt.Sprintf("packages[%d]", i), "expected a Debian package name, got %q", p)
			continue
		}
		if !seenPkg[p] { // roles may ask for the same package twice
			seenPkg[p] = true
			cc.Packages = append(cc.Packages, p)
		}
	}

	files := append([]File(nil), u.Files...)
	if len(u.Sysctl) > 0 {
		keys := make([]string, 0, len(u.Sysctl))
		for k := range u.Sysctl {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b strings.Builder
		b.WriteString("# Written by cloud-init (hawebtier).\n")
		for _, k := range keys {
			v := u.Sysctl[k]
			if !sysctlRE.MatchString(k) {
				bad("sysctl["+k+"]", "expected a dotted sysctl key such as net.ipv4.ip_nonlocal_bind")
			}
			if v == "" || strings.ContainsAny(v, "\r\n") {
				bad("sysctl["+k+"]", "expected a one-line value, got %q", v)
			}
			fmt.Fprintf(&b, "%s = %s\n", k, v)
		}
		files = append(files, File{Path: SysctlPath, Content: b.String(), Permissions: "0644", Owner: "root:root"})
	}

	seenPath := map[string]int{}
	for i, f := range files {
		field := fmt.Sprintf("files[%d]", i)
		if f.Path == SysctlPath && i >= len(u.Files) {
			field = "sysctl"
		}
		if !strings.HasPrefix(f.Path, "/") || strings.Contains(f.Path, "/../") || strings.HasSuffix(f.Path, "/") || strings.ContainsAny(f.Path, " \t\r\n") {
			bad(field+".path", "expected an absolute file path without spaces, got %q", f.Path)
		}
		if j, dup := seenPath[f.Path]; dup {
			bad(field+".path", "%s is also files[%d]", f.Path, j)
		}
		seenPath[f.Path] = i
		if !permRE.MatchString(f.Permissions) {
			bad(field+".permissions", "expected four octal digits such as 0644, got %q", f.Permissions)
		}
		if !ownerRE.MatchString(f.Owner) {
			bad(field+".owner", "expected user:group, got %q", f.Owner)
		}
		if !utf8.ValidString(f.Content) {
			bad(field+".content", "%s is not UTF-8 text", f.Path)
		}
		secretFree(field+".content", f.Content)
		cc.WriteFiles = append(cc.WriteFiles, writeFile{Path: f.Path, Owner: f.Owner, Permissions: f.Permissions, Defer: true, Content: f.Content})
	}

	if len(u.Sysctl) > 0 {
		cc.RunCmd = append(cc.RunCmd, command{"sysctl", "-p", SysctlPath})
	}
	for i, c := range u.RunCmd {
		field := fmt.Sprintf("runcmd[%d]", i)
		if len(c) == 0 || c[0] == "" {
			bad(field, "expected a command and its arguments, got %q", c)
			continue
		}
		secretFree(field, strings.Join(c, " "))
		cc.RunCmd = append(cc.RunCmd, command(c))
	}

	if len(u.Users) > 0 {
		cc.Users = append(cc.Users, "default") // keep the image's default user
	}
	seenUser := map[string]bool{}
	for i, usr := range u.Users {
		field := fmt.Sprintf("users[%d]", i)
		if !userRE.MatchString(usr.Name) {
			bad(field+".name", "expected a lowercase user name, got %q", usr.Name)
		}
		if seenUser[usr.Name] {
			bad(field+".name", "duplicate user %q", usr.Name)
		}
		seenUser[usr.Name] = true
		for j, g := range usr.Groups {
			if !userRE.MatchString(g) {
				bad(fmt.Sprintf("%s.groups[%d]", field, j), "expected a group name, got %q", g)
			}
		}
		if strings.ContainsAny(usr.Sudo, "\r\n") {
			bad(field+".sudo", "expected one sudoers rule on one line")
		}
		checkKeys(field+".ssh_authorized_keys", usr.SSHAuthorizedKeys)
		shell := usr.Shell
		if shell == "" && usr.System {
			shell = "/usr/sbin/nologin"
		}
		cc.Users = append(cc.Users, yamlUser{
			Name: usr.Name, Gecos: usr.Gecos, System: usr.System, Shell: shell,
			Groups: strings.Join(usr.Groups, ","), Sudo: usr.Sudo, LockPasswd: true,
			SSHAuthorizedKeys: usr.SSHAuthorizedKeys,
		})
	}

	if len(errs) > 0 {
		return cloudConfig{}, fmt.Errorf("cloudinit: user-data for %s: %w", u.name(), errors.Join(errs...))
	}
	return cc, nil
}

// marshal is marshal(cc), encoded in parts and spliced: the node's names
// (hostname, fqdn), the rest of what comes before write_files, each
// write_files entry, and runcmd. Every part but the names is the same on
// most nodes of a role, so r encodes it once and keeps it. The document
// is the same, byte for byte: the parts follow cloudConfig's order, and
// an entry encoded alone is the entry of the whole document less the two
// spaces the mapping indents it by (TestRendererSplicesTheWholeDocument).
func (r *Renderer) marshal(cc cloudConfig) (string, error) {
	names := cloudConfig{Hostname: cc.Hostname, FQDN: cc.FQDN, ManageEtcHosts: cc.ManageEtcHosts}
	head := cc
	head.Hostname, head.FQDN, head.ManageEtcHosts, head.WriteFiles, head.RunCmd = "", "", false, nil, nil
	var b strings.Builder
	if !reflect.ValueOf(names).IsZero() {
		s, err := marshal(names)
		if err != nil {
			return "", err
		}
		b.WriteString(s)
	}
	if !reflect.ValueOf(head).IsZero() {
		s, err := r.part(headKey(fmt.Sprintf("%#v", head)), head, "")
		if err != nil {
			return "", err
		}
		b.WriteString(s)
	}
	if len(cc.WriteFiles) > 0 {
		b.WriteString("write_files:\n")
		for _, f := range cc.WriteFiles {
			s, err := r.part(f, []writeFile{f}, "  ")
			if err != nil {
				return "", err
			}
			b.WriteString(s)
		}
	}
	if len(cc.RunCmd) > 0 {
		tail := runCmdOnly{cc.RunCmd}
		s, err := r.part(runCmdKey(fmt.Sprintf("%q", cc.RunCmd)), tail, "")
		if err != nil {
			return "", err
		}
		b.WriteString(s)
	}
	if b.Len() == 0 {
		return marshal(cc) // what the encoder writes for an empty document
	}
	return b.String(), nil
}

// The keys of Renderer.parts: a writeFile is its own key.
type (
	headKey   string // the %#v of the head part
	runCmdKey string // the %q of the commands
)

type runCmdOnly struct {
	RunCmd []command `yaml:"runcmd"`
}

// part is v encoded, each line that is not empty indented by prefix, as
// r encoded it under key before or now.
func (r *Renderer) part(key, v any, prefix string) (string, error) {
	if s, ok := r.parts[key]; ok {
		return s, nil
	}
	s, err := marshal(v)
	if err != nil {
		return "", err
	}
	if prefix != "" {
		s = indentLines(s, prefix)
	}
	if r.parts == nil {
		r.parts = map[any]string{}
	}
	r.parts[key] = s
	return s, nil
}

// indentLines puts prefix before every line of s that is not empty: an
// empty line in a literal block stays empty, as the encoder writes it.
func indentLines(s, prefix string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/16)
	for line := range strings.SplitAfterSeq(s, "\n") {
		if line != "\n" && line != "" {
			b.WriteString(prefix)
		}
		b.WriteString(line)
	}
	return b.String()
}

func (u UserData) name() string {
	if u.Hostname == "" {
		return "a host without hostname"
	}
	return strconv.Quote(u.Hostname)
}

// Encode base64-encodes a document for guestinfo.userdata /
// guestinfo.metadata (with "<key>.encoding" = "base64") or a launch
// template's user_data.
func Encode(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// CheckCommand is the shell command that validates a user-data file with
// cloud-init's own schema.
func CheckCommand(path string) string {
	return "cloud-init schema --config-file " + shellQuote(path)
}

func shellQuote(s string) string {
	if s != "" && shellSafeRE.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// marshal writes YAML indented by two spaces (every line of every file is
// indented, and user-data counts against a 16 KB limit) and quotes every
// string that YAML 1.1 would read as something else.
func marshal(v any) (string, error) {
	var n yaml.Node
	if err := n.Encode(v); err != nil {
		return "", err
	}
	quoteYAML11(&n)
	var b strings.Builder
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&n); err != nil {
		return "", err
	}
	if err := enc.Close(); err != nil {
		return "", err
	}
	return b.String(), nil
}

// cloud-init reads user-data with PyYAML, which speaks YAML 1.1: there a
// plain yes, off, 0644, 1:30 or 2024-01-02 is not a string, although the
// YAML 1.2 encoder writes them plain.
var (
	yaml11Words   = map[string]bool{"": true, "~": true, "=": true, "y": true, "n": true, "yes": true, "no": true, "on": true, "off": true, "true": true, "false": true, "null": true}
	yaml11Numeric = regexp.MustCompile(`^[-+]?(\.?[0-9][-+.0-9:_eE]*|\.(inf|nan)|0[box][0-9a-f_]+)$|^[0-9]{4}-[0-9]`)
)

func quoteYAML11(n *yaml.Node) {
	if n.Kind == yaml.ScalarNode && n.Style&(yaml.LiteralStyle|yaml.FoldedStyle|yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) == 0 &&
		(n.Tag == "" || n.Tag == "!!str") && (yaml11Words[strings.ToLower(n.Value)] || yaml11Numeric.MatchString(strings.ToLower(n.Value))) {
		n.Style = yaml.DoubleQuotedStyle
	}
	for _, c := range n.Content {
		quoteYAML11(c)
	}
}

func validFQDN(s string) bool {
	if len(s) > 253 || !strings.Contains(s, ".") {
		return false
	}
	for _, l := range strings.Split(s, ".") {
		if !labelRE.MatchString(l) {
			return false
		}
	}
	return true
}
