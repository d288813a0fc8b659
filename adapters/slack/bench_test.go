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
	reqs    []*http.Request // made by prepared
}

func newSignedStream(text string) *signedStream {
	return &signedStream{text: text, now: time.Now()}
}

func (s *signedStream) clock() time.Time { return s.now }

// request returns the next request, signing the next batch first when
// needed.
func (s *signedStream) request(b *testing.B) *http.Request {
	if s.next == len(s.bodies) {
		s.signBatch(b)
	}
	i := s.next
	s.next++
	s.now = s.times[i]
	return s.newRequest(i)
}

// signBatch signs the next 1,024 requests with the timer stopped.
func (s *signedStream) signBatch(b *testing.B) {
	b.StopTimer()
	defer b.StartTimer()
	s.fill()
}

// fill signs the next 1,024 requests.
func (s *signedStream) fill() {
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
}

// newRequest is the i-th request of the batch as net/http hands it to a
// handler.
func (s *signedStream) newRequest(i int) *http.Request {
	req := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(s.bodies[i]))
	for k, v := range s.headers[i] {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", form)
	return req
}

// prepared is request with the *http.Request itself made with the timer
// stopped too, so that a benchmark counts only what the handler does.
func (s *signedStream) prepared(b *testing.B) *http.Request {
	if s.next == len(s.bodies) {
		s.signBatch(b)
		b.StopTimer()
		s.reqs = s.reqs[:0]
		for i := range s.bodies {
			s.reqs = append(s.reqs, s.newRequest(i))
		}
		b.StartTimer()
	}
	i := s.next
	s.next++
	s.now = s.times[i]
	return s.reqs[i]
}

// quietWriter is an http.ResponseWriter that allocates nothing once it
// has written an answer: what net/http's own writer does is not the
// adapter's work.
type quietWriter struct {
	header http.Header
	code   int
	body   []byte
}

func newQuietWriter() *quietWriter { return &quietWriter{header: http.Header{}} }

func (w *quietWriter) Header() http.Header { return w.header }

func (w *quietWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
}

func (w *quietWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	w.body = append(w.body, p...)
	return len(p), nil
}

// reset makes the writer ready for the next request, keeping its memory.
func (w *quietWriter) reset() {
	clear(w.header)
	w.code, w.body = 0, w.body[:0]
}

// BenchmarkSignedLookup is what the adapter and the bot allocate and spend
// on one signed /waarde privacy answered from memory: every request has
// its own signature and is made, as net/http would hand it over, with the
// timer stopped, and the answer goes to a writer that allocates nothing.
func BenchmarkSignedLookup(b *testing.B) { benchSignedLookup(b, true) }

// BenchmarkSignedLookupUncached is BenchmarkSignedLookup with nothing
// kept between requests: what a question costs the first time it is
// asked (every answer is made, rendered and encoded), and what every
// lookup cost before the adapter kept answers.
func BenchmarkSignedLookupUncached(b *testing.B) { benchSignedLookup(b, false) }

func benchSignedLookup(b *testing.B, keep bool) {
	s := newSignedStream("privacy")
	a := New(Config{Mode: "http", BotToken: "xoxb-test", SigningSecret: testSecret}, newBenchBot(), discardLog(),
		WithClock(s.clock))
	if !keep {
		a.kept = nil // keeps nothing
	}
	h := a.Handler()
	w := newQuietWriter()
	b.ReportAllocs()
	for b.Loop() {
		w.reset()
		h.ServeHTTP(w, s.prepared(b))
		if w.code != http.StatusOK || len(w.body) < 100 {
			b.Fatalf("status %d: %s", w.code, w.body)
		}
	}
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
	v := newVerifier([]byte(testSecret), s.clock)
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
