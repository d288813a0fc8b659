package slack

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// BenchmarkSignedSlashCommand is one signed /waarde privacy through the
// HTTP handler: read the body, verify the signature, parse the form, answer
// from the knowledge base, render Block Kit and encode the JSON response.
func BenchmarkSignedSlashCommand(b *testing.B) {
	now := time.Now()
	a := New(Config{Mode: "http", BotToken: "xoxb-test", SigningSecret: testSecret}, newBenchBot(), discardLog(),
		WithClock(func() time.Time { return now }))
	h := a.Handler()
	body := commandBody("/waarde", "privacy", "")
	header := sign(testSecret, now, body)
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(body))
		for k, v := range header {
			req.Header[k] = v
		}
		req.Header.Set("Content-Type", form)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}
