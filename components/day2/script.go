package day2

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/components/problem"
)

// File is one configuration file NewHost manages on the host.
type File struct {
	// Path is the absolute path of the installed file.
	Path string
	// Content is the file's bytes. A secret file passes a secret output;
	// it travels on stdin and stays secret end to end.
	Content pulumi.StringInput
	// Mode is the octal mode, e.g. "0644". Default "0644", "0600" when
	// Secret.
	Mode string
	// Owner is "user:group" or "user". Default "root:root".
	Owner string
	// Check validates the new content before it is installed, with
	// {path} standing for the temp copy, e.g. "haproxy -c -f {path}".
	// Empty: no check.
	Check string
	// Reload makes the service pick the file up gracefully, e.g.
	// "systemctl reload haproxy"; {path} stands for the installed path.
	// It must exit non-zero only when the service kept its old
	// configuration: the script then puts the old file back. Empty: none.
	Reload string
	// Secret marks content that must not be logged: the command's output
	// is not logged, its stdout/stderr are secret, the validator's output
	// is withheld, and the content hash is a secret.
	Secret bool
}

// Exit codes of the install script, besides 0 (installed or unchanged) and
// 1 (I/O failure: temp file, owner, mode, move).
const (
	ExitCheckFailed  = 2
	ExitReloadFailed = 3
)

var (
	safePath  = regexp.MustCompile(`^/[A-Za-z0-9_.@+/-]+$`)
	modeRE    = regexp.MustCompile(`^0?[0-7]{3,4}$`)
	ownerName = `[a-z_][a-z0-9_.-]*`
	ownerRE   = regexp.MustCompile(`^` + ownerName + `(:` + ownerName + `)?$`)
)

// withDefaults returns f with Mode and Owner filled in.
func (f File) withDefaults() File {
	if f.Mode == "" {
		f.Mode = "0644"
		if f.Secret {
			f.Mode = "0600"
		}
	}
	if f.Owner == "" {
		f.Owner = "root:root"
	}
	return f
}

// validate adds every problem with the file's plain fields to probs, each
// naming the field under prefix (e.g. "Files[0].").
func (f File) validate(prefix string, probs *problem.List) {
	bad := func(field, format string, a ...any) { probs.Add(prefix+field, format, a...) }
	switch {
	case f.Path == "":
		bad("Path", "required")
	case !safePath.MatchString(f.Path):
		bad("Path", "%q: expected an absolute path of letters, digits and _.@+-/", f.Path)
	case path.Clean(f.Path) != f.Path || f.Path == "/":
		bad("Path", "%q: expected a clean path to a file (no //, /./, /../ or trailing /)", f.Path)
	}
	if f.Mode != "" && !modeRE.MatchString(f.Mode) {
		bad("Mode", "%q: expected octal such as 0644", f.Mode)
	}
	if f.Owner != "" && !ownerRE.MatchString(f.Owner) {
		bad("Owner", "%q: expected user:group or user", f.Owner)
	}
	if f.Check != "" && !strings.Contains(f.Check, "{path}") {
		bad("Check", "%q: must name the temp copy as {path}, so the new content is checked before it is installed", f.Check)
	}
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// ContentHash is the trigger value of a file's content: "sha256:" and the
// hex digest. NewHost keeps it secret for secret files.
func ContentHash(content string) string {
	sum := sha256.Sum256([]byte(content))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// InstallScript returns the exact shell command NewHost registers for f
// (f.Content is not used: the content arrives on stdin). Run it with the
// content on stdin as the user that owns the configuration (root). A bad
// f is an error of problems (components/problem) of its fields, "File.Path",
// ...; a pure function, it names no instance.
func InstallScript(f File) (string, error) {
	probs := problem.List{Component: "day2"}
	if f.validate("File.", &probs); probs.Len() > 0 {
		return "", probs.Err()
	}
	f = f.withDefaults()
	mode, err := strconv.ParseUint(f.Mode, 8, 32)
	if err != nil {
		probs.Add("File.Mode", "%v", err)
		return "", probs.Err()
	}
	dir, base := path.Split(f.Path)
	dir = strings.TrimSuffix(dir, "/")
	if dir == "" {
		dir = "/"
	}
	statFormat, want := "%a %U:%G", fmt.Sprintf("%o %s", mode, f.Owner)
	if !strings.Contains(f.Owner, ":") {
		statFormat = "%a %U"
	}

	var b strings.Builder
	line := func(s string) { b.WriteString(s + "\n") }
	line("# hawebtier day2: install " + f.Path + " from stdin: check, atomic move, reload")
	line("umask 077")
	line("dst=" + shellQuote(f.Path))
	line(`if [ -d "$dst" ]; then echo "day2: $dst is a directory" >&2; exit 1; fi`)
	line("mkdir -p " + shellQuote(dir) + " || exit 1")
	line("tmp=$(mktemp " + shellQuote(path.Join(dir, "."+base+".day2.XXXXXX")) + ") || exit 1")
	line(`trap 'rm -f "$tmp" "$tmp.prev"' EXIT`)
	line(`if ! cat >"$tmp"; then echo "day2: $dst: cannot write the temp copy" >&2; exit 1; fi`)
	// Compare before anything else: unchanged content must not touch the
	// file (mtime) nor reload the service.
	line(`if [ -f "$dst" ] && cmp -s "$tmp" "$dst"; then`)
	line(`  if [ "$(stat -c ` + shellQuote(statFormat) + ` "$dst")" = ` + shellQuote(want) + ` ]; then`)
	line(`    echo "day2: $dst: unchanged"; exit 0`)
	line(`  fi`)
	line(`  chown ` + shellQuote(f.Owner) + ` "$dst" && chmod ` + shellQuote(f.Mode) + ` "$dst" || exit 1`)
	line(`  echo "day2: $dst: content unchanged, owner and mode set to ` + want + `"; exit 0`)
	line(`fi`)
	if f.Check != "" {
		line("out=$( {")
		line(strings.ReplaceAll(f.Check, "{path}", `"$tmp"`))
		line("} 2>&1 ); rc=$?")
		line(`if [ "$rc" -ne 0 ]; then`)
		line(`  echo "day2: $dst: check failed (exit $rc); the installed file and the running service are unchanged" >&2`)
		if f.Secret {
			line(`  echo "day2: the check output is withheld because the file is secret; run the check on the host to see it" >&2`)
		} else {
			line(`  printf '%s\n' "$out" >&2`)
		}
		line("  exit " + strconv.Itoa(ExitCheckFailed))
		line("fi")
	}
	line(`chown ` + shellQuote(f.Owner) + ` "$tmp" && chmod ` + shellQuote(f.Mode) + ` "$tmp" || exit 1`)
	line(`had=0`)
	line(`if [ -e "$dst" ]; then ln -f "$dst" "$tmp.prev" || exit 1; had=1; fi`)
	line(`if ! mv -f "$tmp" "$dst"; then echo "day2: $dst: cannot move the new file into place" >&2; exit 1; fi`)
	if f.Reload == "" {
		line(`echo "day2: $dst: installed"`)
		return b.String(), nil
	}
	line("out=$( {")
	line(strings.ReplaceAll(f.Reload, "{path}", `"$dst"`))
	line("} 2>&1 ); rc=$?")
	line(`if [ "$rc" -ne 0 ]; then`)
	line(`  if [ "$had" = 1 ]; then mv -f "$tmp.prev" "$dst"; else rm -f "$dst"; fi`)
	line(`  echo "day2: $dst: reload failed (exit $rc); the previous file is back in place" >&2`)
	if f.Secret {
		line(`  echo "day2: the reload output is withheld because the file is secret" >&2`)
	} else {
		line(`  printf '%s\n' "$out" >&2`)
	}
	line("  exit " + strconv.Itoa(ExitReloadFailed))
	line("fi")
	line(`echo "day2: $dst: installed and reloaded"`)
	return b.String(), nil
}

// WaitForCloudInitScript returns the command that waits, at most
// timeoutSeconds, for cloud-init to finish its first boot. A host without
// cloud-init has nothing to wait for. cloud-init 23.4+ exits 2 for
// "done with recoverable errors", which counts as finished.
func WaitForCloudInitScript(timeoutSeconds int) string {
	t := strconv.Itoa(timeoutSeconds)
	return `# hawebtier day2: wait for cloud-init to finish first boot
if ! command -v cloud-init >/dev/null 2>&1; then echo "day2: no cloud-init on this host"; exit 0; fi
timeout ` + t + ` cloud-init status --wait >/dev/null 2>&1; rc=$?
case "$rc" in
0|2) echo "day2: cloud-init finished"; exit 0 ;;
124) echo "day2: cloud-init did not finish within ` + t + `s:" >&2 ;;
*) echo "day2: cloud-init failed (exit $rc):" >&2 ;;
esac
cloud-init status --long >&2
exit 1
`
}
