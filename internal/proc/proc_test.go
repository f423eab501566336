package proc_test

import (
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/hawebtier/hawebtier/internal/proc"
)

func TestAlive(t *testing.T) {
	t.Parallel()
	if !proc.Alive(os.Getpid()) {
		t.Error("this process is not alive")
	}
	if proc.Alive(0) || proc.Alive(-1) {
		t.Error("pid 0 or -1 alive")
	}
	// A child that exited and has not been reaped is a zombie: not alive.
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid
	for i := 0; i < 200; i++ {
		if !proc.Alive(pid) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if proc.Alive(pid) {
		t.Errorf("exited child %d still alive", pid)
	}
	_ = cmd.Wait()
	if proc.Alive(pid) {
		t.Errorf("reaped child %d alive", pid)
	}
}
