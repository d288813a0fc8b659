package slack

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// spacing is the time between two benchmarked requests. At the default,
// 100 requests a second, the adapter remembers some 30,000 signatures (five
// minutes' worth): a load far beyond a real installation's, where the
// replay guard's map no longer fits the caches. -spacing=1s is a busy
// council's rate.
var spacing = flag.Duration("spacing", 10*time.Millisecond, "time between two benchmarked requests")

// signedStream hands out signed slash command requests that Slack could
// have sent: each has its own trigger_id (so none is a replay of another),
// and they are *spacing apart, with the clock following them. It signs
// them in batches with the benchmark timer stopped, so that the
// benchmarks measure the server's work, not the client's.
type signedStream struct {
	text    string
	now     time.Time // what the adapter's clock says
	next    int
	bodies  []string
	headers []http.Header
	times   []time.Time
}

func newSignedStream(text string) *signedStream {
	return &signedStream{text: text, now: time.Now()}
}

func (s *signedStream) clock() time.Time { return s.now }

// request returns the i-th request, signing the next batch first when
// needed.
func (s *signedStream) request(b *testing.B) *http.Request {
	if s.next == len(s.bodies) {
		b.StopTimer()
		s.bodies, s.headers, s.times, s.next = s.bodies[:0], s.headers[:0], s.times[:0], 0
		at := s.now
		for range 1024 {
			at = at.Add(*spacing)
			body := url.Values{
				"token": {"x"}, "team_id": {"T1"}, "channel_id": {"C1"}, "user_id": {"U1"}, "user_name": {"piet"},
				"command": {"/waarde"}, "text": {s.text}, "response_url": {""},
				"trigger_id": {fmt.Sprintf("%d.47445629121.803a0bc887a14d10d2c447fce8b6703c", at.UnixNano())},
			}.Encode()
			s.bodies = append(s.bodies, body)
			s.headers = append(s.headers, sign(testSecret, at, body))
			s.times = append(s.times, at)
		}
		b.StartTimer()
	}
	i := s.next
	s.next++
	s.now = s.times[i]
	req := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(s.bodies[i]))
	for k, v := range s.headers[i] {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", form)
	return req
}

// BenchmarkSignedSlashCommand is one signed /waarde privacy through the
// HTTP handler: read the body, verify the signature, parse the form, answer
// from the knowledge base, render Block Kit and encode the JSON response.
func BenchmarkSignedSlashCommand(b *testing.B) {
	s := newSignedStream("privacy")
	a := New(Config{Mode: "http", BotToken: "xoxb-test", SigningSecret: testSecret}, newBenchBot(), discardLog(),
		WithClock(s.clock))
	h := a.Handler()
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, s.request(b))
		if rec.Code != http.StatusOK || rec.Body.Len() < 100 {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

// BenchmarkSignatureOnly is the floor for the signed endpoints: a bare
// handler that reads the body, verifies the signature, parses the form and
// writes a constant JSON, nothing else.
func BenchmarkSignatureOnly(b *testing.B) {
	s := newSignedStream("privacy")
	v := verifier{secret: []byte(testSecret), now: s.clock}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
			return
		}
		if _, _, err := v.verify(r.Header, body); err != nil {
			http.Error(w, "invalid signature", http.StatusUnauthorized)
			return
		}
		if _, err := url.ParseQuery(string(body)); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		writeJSON(w, response{ResponseType: "ephemeral", Text: "ok"})
	})
	benchSigned(b, s, h)
}

// BenchmarkSignedConstant is the adapter's own path for every signed
// request (read, verify, parse the form once; and what else signed does)
// in front of a handler that writes the same constant JSON as
// BenchmarkSignatureOnly. The two differ by what signed adds.
func BenchmarkSignedConstant(b *testing.B) {
	s := newSignedStream("privacy")
	a := New(Config{Mode: "http", BotToken: "xoxb-test", SigningSecret: testSecret}, newBenchBot(), discardLog(),
		WithClock(s.clock))
	h := a.signed(func(w http.ResponseWriter, r *http.Request, _ []byte) {
		writeJSON(w, response{ResponseType: "ephemeral", Text: "ok"})
	})
	benchSigned(b, s, h)
}

func benchSigned(b *testing.B, s *signedStream, h http.Handler) {
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, s.request(b))
		if rec.Code != http.StatusOK || rec.Body.Len() == 0 {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}
