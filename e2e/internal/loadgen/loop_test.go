package loadgen

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// slackServer answers signed commands as waardenbot does: a correct
// signature and a trigger_id not seen before get an answer naming the
// value, a repeat gets an empty 200, a bad signature a 401.
type slackServer struct {
	secret string
	mu     sync.Mutex
	seen   map[string]bool
}

func (s *slackServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	ts := r.Header.Get("X-Slack-Request-Timestamp")
	if r.Header.Get("X-Slack-Signature") != Signature(s.secret, ts, body) {
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return
	}
	form, _ := url.ParseQuery(string(body))
	s.mu.Lock()
	repeat := s.seen[form.Get("trigger_id")]
	s.seen[form.Get("trigger_id")] = true
	s.mu.Unlock()
	if repeat {
		return // an empty 200
	}
	w.Write([]byte(`{"response_type":"in_channel","text":"*Privacy*"}`))
}

func (s *slackServer) distinct() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.seen)
}

func startSlackServer(t *testing.T, secret string) (*slackServer, Target) {
	s := &slackServer{secret: secret, seen: map[string]bool{}}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	tg := testTarget
	tg.Addr = strings.TrimPrefix(srv.URL, "http://")
	tg.Secret = secret
	return s, tg
}

func TestClosedLoopSendsOnlyNewSignedCommands(t *testing.T) {
	s, tg := startSlackServer(t, "s3cr3t")
	marks := 0
	r, err := RunClosed(context.Background(), tg, Closed{Conns: 4, Warmup: 20 * time.Millisecond, For: 200 * time.Millisecond, Mark: func() { marks++ }})
	if err != nil {
		t.Fatal(err)
	}
	if r.Wrong() != 0 || r.OK == 0 || r.Counted == 0 || r.Counted > r.OK {
		t.Fatalf("result %+v", r)
	}
	if s.distinct() != r.OK {
		t.Errorf("%d correct answers for %d distinct trigger_ids", r.OK, s.distinct())
	}
	if r.Conns != 4 || marks != 2 {
		t.Errorf("%d connections, %d marks; want 4 and 2", r.Conns, marks)
	}
}

func TestOpenLoopSendsEveryPlannedRequestOnce(t *testing.T) {
	s, tg := startSlackServer(t, "s3cr3t")
	marks := 0
	r, err := RunOpen(context.Background(), tg, Open{Rate: 500, Warmup: 50 * time.Millisecond, For: 200 * time.Millisecond, Mark: func() { marks++ }})
	if err != nil {
		t.Fatal(err)
	}
	if r.Requests != 100 || r.OK != 125 || r.Wrong() != 0 || s.distinct() != 125 {
		t.Fatalf("%d measured requests, %d correct, %d wrong, %d distinct trigger_ids; want 100, 125, 0, 125 (%+v)",
			r.Requests, r.OK, r.Wrong(), s.distinct(), r.Tally)
	}
	if r.Latency.Max == 0 || r.Latency.P50 > r.Latency.Max || r.Lag.Max > r.Latency.Max || marks != 2 {
		t.Errorf("latency %v, lag %v, %d marks", r.Latency, r.Lag, marks)
	}
}

func TestWrongAnswersAreCountedNotMeasured(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		check   func(Tally) bool
	}{
		{"empty 200, as a replay is answered", func(w http.ResponseWriter, r *http.Request) {}, func(tl Tally) bool { return tl.WrongBody == tl.Answers }},
		{"200 without the expected text", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("{}")) }, func(tl Tally) bool { return tl.WrongBody == tl.Answers }},
		{"503, as a full replay guard answers", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "busy", 503) }, func(tl Tally) bool { return tl.Status[503] == tl.Answers }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.handler)
			defer srv.Close()
			tg := testTarget
			tg.Addr = strings.TrimPrefix(srv.URL, "http://")
			r, err := RunClosed(context.Background(), tg, Closed{Conns: 2, For: 50 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			if r.Answers == 0 || r.OK != 0 || r.Counted != 0 || r.Wrong() != r.Answers || !tc.check(r.Tally) || r.Example == "" {
				t.Errorf("tally %+v", r.Tally)
			}
		})
	}
}

func TestCancelStopsALoop(t *testing.T) {
	_, tg := startSlackServer(t, "s3cr3t")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := RunOpen(ctx, tg, Open{Rate: 10, For: time.Hour})
		done <- err
	}()
	cancel()
	select {
	case err := <-done:
		if err == nil {
			t.Error("RunOpen cancelled returned no error")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("RunOpen did not stop within 10 s of its context's end")
	}
}

func TestClosedLoopEndsAtMaxRequests(t *testing.T) {
	s, tg := startSlackServer(t, "s3cr3t")
	r, err := RunClosed(context.Background(), tg, Closed{Conns: 3, For: time.Minute, MaxRequests: 500})
	if err != nil {
		t.Fatal(err)
	}
	if r.Sent != 500 || s.distinct() != 500 || r.OK != 500 || !r.Limited || r.Window >= time.Minute || r.Counted > 500 {
		t.Errorf("sent %d, %d distinct, %d correct, %d counted in %v (limited %v); want 500 sent and answered, and a shorter window",
			r.Sent, s.distinct(), r.OK, r.Counted, r.Window, r.Limited)
	}
}
