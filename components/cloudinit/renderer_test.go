package cloudinit

import (
	"testing"
)

// The splice is the whole document's encoding, byte for byte, for
// contents the encoder writes in each of its styles: literal blocks with
// empty lines and indented lines, no final newline, trailing spaces and tabs (double-quoted), YAML 1.1 words
// (quoted), and documents with and without each part around write_files.
func TestRendererSplicesTheWholeDocument(t *testing.T) {
	file := func(path, content string) File {
		return File{Path: path, Content: content, Permissions: "0644", Owner: "root:root"}
	}
	tricky := []File{
		file("/etc/a", "line 1\n\n\n  indented\n\tTabbed\n"),
		file("/etc/b2", "no final newline"),
		file("/etc/c", "trailing spaces   \nand a tab\t\n"),
		file("/etc/d", "yes"),
		file("/etc/e", ""),
		file("/etc/f", "- not a list\n# not a comment\nkey: value\n\"quoted\" 'single'\n"),
		file("/etc/g", "unicode: é ü ✓\n\n"),
		{Path: "/etc/i", Content: "0644\n", Permissions: "0600", Owner: "tomcat:tomcat"},
	}
	cases := []struct {
		name string
		u    UserData
	}{
		{"files only", UserData{Files: tricky}},
		{"files and runcmd", UserData{Files: tricky[:3], RunCmd: [][]string{{"true"}, {"sh", "-c", "yes, no"}}}},
		{"head and files", UserData{Hostname: "web-1", FQDN: "web-1.example.internal", Packages: []string{"apache2"}, Files: tricky}},
		{"everything", UserData{
			Hostname: "lb-1", Packages: []string{"haproxy"}, Files: tricky,
			Sysctl: map[string]string{"net.ipv4.ip_nonlocal_bind": "1"},
			RunCmd: [][]string{{"systemctl", "restart", "haproxy"}},
			Users:  []User{{Name: "ops", Groups: []string{"adm"}, Sudo: "ALL=(ALL) NOPASSWD:ALL"}},
		}},
		{"no files", UserData{Hostname: "app-1", RunCmd: [][]string{{"true"}}}},
		{"runcmd only", UserData{RunCmd: [][]string{{"true"}}}},
		{"empty", UserData{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cc, err := build(c.u)
			if err != nil {
				t.Fatal(err)
			}
			whole, err := marshal(cc)
			if err != nil {
				t.Fatal(err)
			}
			var r Renderer
			for round := range 2 { // the second round takes every file from the cache
				spliced, err := r.marshal(cc)
				if err != nil {
					t.Fatal(err)
				}
				if spliced != whole {
					t.Fatalf("round %d: spliced document differs from the whole one\nspliced:\n%s\nwhole:\n%s", round, spliced, whole)
				}
			}
		})
	}
}

// A file encoded for one document is reused for the next only when it is
// the same entry: another owner, mode or content is encoded anew.
func TestRendererKeysEntriesByEveryField(t *testing.T) {
	var r Renderer
	base := File{Path: "/etc/x", Content: "a\n", Permissions: "0644", Owner: "root:root"}
	variants := []File{base, base, {Path: "/etc/x", Content: "b\n", Permissions: "0644", Owner: "root:root"},
		{Path: "/etc/x", Content: "a\n", Permissions: "0600", Owner: "root:root"},
		{Path: "/etc/x", Content: "a\n", Permissions: "0644", Owner: "www-data:www-data"},
		{Path: "/etc/y", Content: "a\n", Permissions: "0644", Owner: "root:root"}}
	for i, f := range variants {
		u := UserData{Hostname: "web-1", Files: []File{f}}
		got, err := r.Render(u)
		if err != nil {
			t.Fatal(err)
		}
		want, err := Render(u)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("variant %d: the renderer's document is not Render's\ngot:\n%s\nwant:\n%s", i, got, want)
		}
	}
	if len(r.parts) != 5 {
		t.Errorf("encoded %d distinct entries, want 5", len(r.parts))
	}
}
