package lab

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"runtime"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"github.com/hawebtier/hawebtier/internal/netns"
)

// DialIn returns a DialContext that opens its connections from inside the
// network namespace of host, so the test process itself can be a client on
// the lab's segment without leaving the root namespace.
//
// Each dial runs in a fresh goroutine locked to its OS thread: the thread
// joins the namespace, creates the socket (a socket belongs to the
// namespace it was created in), connects, and returns to the process's own
// namespace before it is unlocked. If it cannot return, it stays locked and
// the runtime discards it with the goroutine. Slow dials never queue
// behind each other.
func DialIn(host *netns.Host) func(ctx context.Context, network, addr string) (net.Conn, error) {
	path := "/run/netns/" + host.Name
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		type result struct {
			conn net.Conn
			err  error
		}
		ch := make(chan result, 1)
		go func() {
			runtime.LockOSThread()
			c, back, err := dialFrom(ctx, path, network, addr)
			if back {
				runtime.UnlockOSThread()
			}
			ch <- result{c, err}
		}()
		r := <-ch
		return r.conn, r.err
	}
}

// home is the process's own network namespace (the main thread's, which
// dialFrom never changes for good).
var home = sync.OnceValues(func() (*os.File, error) { return os.Open("/proc/self/ns/net") })

// dialFrom dials from the namespace at path on the current (locked)
// thread and reports whether the thread is back in the home namespace.
func dialFrom(ctx context.Context, path, network, addr string) (net.Conn, bool, error) {
	self, err := home()
	if err != nil {
		return nil, true, fmt.Errorf("lab: own namespace: %w", err)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, true, fmt.Errorf("lab: namespace: %w", err)
	}
	defer f.Close()
	if err := unix.Setns(int(f.Fd()), unix.CLONE_NEWNET); err != nil {
		return nil, true, fmt.Errorf("lab: setns %s: %w", path, err)
	}
	var d net.Dialer
	c, err := d.DialContext(ctx, network, addr)
	back := unix.Setns(int(self.Fd()), unix.CLONE_NEWNET) == nil
	return c, back, err
}

// Client is an HTTP client in host's namespace: no keep-alive (every
// request is a new connection, as many independent users would make) and
// the given timeout for the whole request.
func Client(host *netns.Host, timeout time.Duration) *http.Client {
	return &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			DialContext:       DialIn(host),
			DisableKeepAlives: true,
			Proxy:             nil,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
