package monitoring

import (
	"os"
	"path/filepath"
	"testing"
)

// labConfig is a valid config of the lab topology: 2 LBs, 2 web, 2 app.
func labConfig() Config {
	return Config{
		Environment: "lab",
		LBs:         []Target{{"lb1", "10.99.0.11"}, {"lb2", "10.99.0.12"}},
		Web:         []Target{{"web1", "10.99.0.21"}, {"web2", "10.99.0.22"}},
		App:         []Target{{"app1", "10.99.0.31"}, {"app2", "10.99.0.32"}},
		VIP:         "10.99.0.10",
		Monitor:     Target{"mon", "10.99.0.41"},
	}
}

// writeFiles writes f under a new temp dir, keys as relative paths, and
// returns the dir.
func writeFiles(t *testing.T, f Files) string {
	t.Helper()
	dir := t.TempDir()
	for k, v := range f {
		p := filepath.Join(dir, k)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(v), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func mustRender(t *testing.T, c Config) Files {
	t.Helper()
	f, err := Render(c)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return f
}
