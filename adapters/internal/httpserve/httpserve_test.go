package httpserve_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/adapters/internal/httpserve"
)

// cutOffWithin is how long a test waits for the server to close a
// connection whose timeout is a fraction of a second: generous, so that a
// loaded machine does not fail the test, and far below what a connection
// without that timeout would stay open.
const cutOffWithin = 10 * time.Second

// serve runs httpserve.Serve with lim on a free local port until the test
// ends and returns its address.
func serve(t *testing.T, h http.Handler, lim httpserve.Limits) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- httpserve.Serve(ctx, ln, h, httpserve.WithLimits(lim)) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return ln.Addr().String()
}

// readBody answers "ok" when it could read the whole body, as the adapters'
// handlers do before they look at a request.
func readBody(w http.ResponseWriter, r *http.Request) {
	if _, err := io.ReadAll(r.Body); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	w.Write([]byte("ok"))
}

// dial opens a connection and sends head, the start of a request.
func dial(t *testing.T, addr, head string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := io.WriteString(c, head); err != nil {
		t.Fatal(err)
	}
	return c
}

// closedByServer reads c until the server closes it, or fails the test if
// that does not happen within cutOffWithin.
func closedByServer(c net.Conn) error {
	c.SetReadDeadline(time.Now().Add(cutOffWithin))
	_, err := io.Copy(io.Discard, c)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return fmt.Errorf("still open after %v", cutOffWithin)
	}
	return nil // EOF or a reset: closed
}

// receive takes n signals from ch, or fails the test after cutOffWithin.
func receive(t *testing.T, ch <-chan struct{}, n int, what string) {
	t.Helper()
	timeout := time.After(cutOffWithin)
	for i := range n {
		select {
		case <-ch:
		case <-timeout:
			t.Fatalf("%s: %d of %d after %v", what, i, n, cutOffWithin)
		}
	}
}

func TestSlowBodiesAreCutOffWhileOtherRequestsAreAnswered(t *testing.T) {
	const slow, normal = 200, 50
	entered := make(chan struct{}, slow)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /slow", func(w http.ResponseWriter, r *http.Request) {
		entered <- struct{}{}
		readBody(w, r)
	})
	mux.HandleFunc("POST /normal", readBody)
	addr := serve(t, mux, httpserve.Limits{Read: time.Second})

	// 200 clients announce a large body and trickle it, a byte every 50
	// ms from one writer.
	conns := make([]net.Conn, slow)
	for i := range conns {
		conns[i] = dial(t, addr, "POST /slow HTTP/1.1\r\nHost: bot\r\nContent-Length: 1048576\r\n\r\n")
	}
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			for _, c := range conns {
				c.Write([]byte("x")) // fails once the server has closed it
			}
		}
	}()
	closed := make([]error, slow)
	var wg sync.WaitGroup
	for i, c := range conns {
		wg.Go(func() { closed[i] = closedByServer(c) })
	}
	receive(t, entered, slow, "slow requests in the handler")

	// Meanwhile normal requests are answered.
	client := &http.Client{Timeout: cutOffWithin}
	errs := make(chan error, normal)
	var nwg sync.WaitGroup
	for i := range normal {
		nwg.Go(func() {
			resp, err := client.Post("http://"+addr+"/normal", "text/plain", strings.NewReader(fmt.Sprintf("request %d", i)))
			if err != nil {
				errs <- err
				return
			}
			defer resp.Body.Close()
			if b, _ := io.ReadAll(resp.Body); resp.StatusCode != http.StatusOK || string(b) != "ok" {
				errs <- fmt.Errorf("normal request %d: %s %q", i, resp.Status, b)
			}
		})
	}
	nwg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	wg.Wait()
	open := 0
	for _, err := range closed {
		if err != nil {
			open++
		}
	}
	if open > 0 {
		t.Errorf("%d of %d slow clients still open after %v", open, slow, cutOffWithin)
	}
}

func TestWorkLongerThanTheReadTimeoutIsNotCutOff(t *testing.T) {
	const read = 100 * time.Millisecond
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.ReadAll(r.Body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		// A slow command: Mattermost waits 30 s for an answer that its
		// handler may take 25 s to find.
		select {
		case <-r.Context().Done():
			http.Error(w, "request context cancelled", http.StatusInternalServerError)
		case <-time.After(5 * read):
			w.Write([]byte("done"))
		}
	})
	addr := serve(t, h, httpserve.Limits{Read: read, Write: 20 * read})
	tests := []struct {
		name, method string
		body         io.Reader
	}{
		{"with a body", http.MethodPost, strings.NewReader("token=x&command=/casus")},
		{"without a body", http.MethodGet, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, "http://"+addr+"/", tc.body)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := (&http.Client{Timeout: cutOffWithin}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if b, _ := io.ReadAll(resp.Body); resp.StatusCode != http.StatusOK || string(b) != "done" {
				t.Errorf("got %s %q, want 200 done", resp.Status, b)
			}
		})
	}
}

func TestHalfSentAndIdleConnectionsAreClosed(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/", readBody)
	addr := serve(t, mux, httpserve.Limits{Read: 100 * time.Millisecond, Idle: 100 * time.Millisecond})
	tests := []struct {
		name, head string
		answered   bool
	}{
		{"headers never finished", "POST / HTTP/1.1\r\nHost: bot\r\nContent-Le", false},
		{"body never finished", "POST / HTTP/1.1\r\nHost: bot\r\nContent-Length: 10\r\n\r\nabc", false},
		{"idle after a request", "GET / HTTP/1.1\r\nHost: bot\r\n\r\n", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := dial(t, addr, tc.head)
			if tc.answered {
				buf := make([]byte, 64)
				c.SetReadDeadline(time.Now().Add(cutOffWithin))
				if n, err := c.Read(buf); err != nil || !strings.HasPrefix(string(buf[:n]), "HTTP/1.1 200") {
					t.Fatalf("no answer: %q %v", buf[:n], err)
				}
			}
			if err := closedByServer(c); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestNewConnectionsWaitWhileTheLimitIsReached(t *testing.T) {
	var slowDone, doneBefore atomic.Int32
	entered := make(chan struct{}, 2)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /slow", func(w http.ResponseWriter, r *http.Request) {
		entered <- struct{}{}
		defer slowDone.Add(1)
		readBody(w, r)
	})
	mux.HandleFunc("GET /normal", func(w http.ResponseWriter, r *http.Request) {
		doneBefore.Store(slowDone.Load())
		w.Write([]byte("ok"))
	})
	addr := serve(t, mux, httpserve.Limits{Read: 300 * time.Millisecond, Conns: 2})
	for range 2 {
		dial(t, addr, "POST /slow HTTP/1.1\r\nHost: bot\r\nContent-Length: 10\r\n\r\n")
	}
	receive(t, entered, 2, "slow requests in the handler")
	resp, err := (&http.Client{Timeout: cutOffWithin}).Get("http://" + addr + "/normal")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("normal request: %s", resp.Status)
	}
	// The third connection was taken only when a slow one had been cut
	// off and closed.
	if n := doneBefore.Load(); n == 0 {
		t.Errorf("a third connection was served while two slow ones held the limit of two")
	}
}
