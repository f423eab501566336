package proc

import (
	"bytes"
	"fmt"
	"os"
	"syscall"
)

// Alive reports whether pid is a running process: it exists and is not a
// zombie (a killed daemon whose parent has not reaped it yet still answers
// signal 0).
func Alive(pid int) bool {
	if pid <= 0 || syscall.Kill(pid, 0) != nil {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// The state follows the ")" that ends the command name.
	i := bytes.LastIndexByte(stat, ')')
	return i < 0 || i+2 >= len(stat) || stat[i+2] != 'Z'
}
