package lab_test

import (
	"fmt"
	"slices"

	"github.com/hawebtier/hawebtier/components/roles"
	"github.com/hawebtier/hawebtier/internal/lab"
)

// The lab's topology is an ordinary roles.Topology: every node runs what
// roles.Files renders for it.
func ExampleTopology() {
	t := lab.Topology("", "")
	for _, role := range t.Roles() {
		for _, n := range t.Nodes(role) {
			fmt.Printf("%-7s %-4s %s\n", role, n.Name, n.Address)
		}
	}
	files, err := roles.Files(t, roles.LB, 0)
	if err != nil {
		panic(err)
	}
	var paths []string
	for _, f := range files {
		paths = append(paths, f.Path)
	}
	fmt.Println("lb1 runs", len(files), "files, e.g.", paths[slices.Index(paths, "/etc/haproxy/haproxy.cfg")])
	// Output:
	// lb      lb1  10.98.0.11
	// lb      lb2  10.98.0.12
	// web     web1 10.98.0.21
	// web     web2 10.98.0.22
	// app     app1 10.98.0.31
	// app     app2 10.98.0.32
	// monitor mon  10.98.0.40
	// lb1 runs 7 files, e.g. /etc/haproxy/haproxy.cfg
}
