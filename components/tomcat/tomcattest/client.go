package tomcattest

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// GetFrom sends GET url from the local address from, a new connection per
// call, with extra request headers, and returns the status, body and
// response headers. The status endpoint's allow list (and httpd's
// server-status) is about the client's address: this is how a test or the
// lab asks as the monitoring node, or as a stranger.
func GetFrom(from, url string, header http.Header) (int, string, http.Header, error) {
	d := &net.Dialer{Timeout: 5 * time.Second, LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		DisableKeepAlives: true,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return d.DialContext(ctx, network, addr)
		},
	}}
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return 0, "", nil, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", nil, fmt.Errorf("GET %s from %s: %w", url, from, err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, "", nil, fmt.Errorf("GET %s from %s: %w", url, from, err)
	}
	return resp.StatusCode, string(body), resp.Header, nil
}
