package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/e2e/internal/loadgen"
)

// Slack's documented example ("Verifying requests from Slack").
const (
	docSecret    = "8f742231b10e8888abcd99yyyzzz85a5"
	docTimestamp = "1531420618"
	docBody      = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
	docSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
)

func TestVerifySlackDocumentedExample(t *testing.T) {
	at := time.Unix(1531420618, 0)
	header := func(ts, sig string) http.Header {
		h := http.Header{}
		if ts != "" {
			h.Set("X-Slack-Request-Timestamp", ts)
		}
		if sig != "" {
			h.Set("X-Slack-Signature", sig)
		}
		return h
	}
	tests := []struct {
		name   string
		secret string
		now    time.Time
		header http.Header
		body   string
		want   error
	}{
		{"documented example", docSecret, at, header(docTimestamp, docSignature), docBody, nil},
		{"five minutes later", docSecret, at.Add(5 * time.Minute), header(docTimestamp, docSignature), docBody, nil},
		{"five minutes earlier", docSecret, at.Add(-5 * time.Minute), header(docTimestamp, docSignature), docBody, nil},
		{"tampered body", docSecret, at, header(docTimestamp, docSignature), docBody + "&text=x", errSignature},
		{"wrong secret", "another-secret", at, header(docTimestamp, docSignature), docBody, errSignature},
		{"stale", docSecret, at.Add(5*time.Minute + time.Second), header(docTimestamp, docSignature), docBody, errStale},
		{"from the future", docSecret, at.Add(-5*time.Minute - time.Second), header(docTimestamp, docSignature), docBody, errStale},
		{"unsigned", docSecret, at, header(docTimestamp, ""), docBody, errSignature},
		{"no timestamp", docSecret, at, header("", docSignature), docBody, errStale},
		{"upper-case hex", docSecret, at, header(docTimestamp, "v0=A2114D57B48EAC39B9AD189DD8316235A7B4A8D21A10BD27519666489C69B503"), docBody, errSignature},
		{"bad timestamp", docSecret, at, header("yesterday", docSignature), docBody, errStale},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := verify([]byte(tc.secret), tc.now, tc.header, []byte(tc.body)); got != tc.want {
				t.Errorf("verify = %v, want %v", got, tc.want)
			}
		})
	}
}

// send serves one request made by slackbench's load generator.
func send(t *testing.T, h http.Handler, raw []byte) *httptest.ResponseRecorder {
	t.Helper()
	req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(raw)))
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestARepeatIsAnsweredAgain holds the floor to doing no more than
// verifying: it does not remember signatures (waardenbot does).
func TestARepeatIsAnsweredAgain(t *testing.T) {
	tg := loadgen.Target{Addr: "127.0.0.1:9400", Path: "/slack/commands", Secret: "s3cr3t", Command: "/waarde", Text: "privacy"}
	now := time.Now()
	h := newHandler([]byte(tg.Secret), func() time.Time { return now }, 1500)
	raw := bytes.Clone(loadgen.NewCommand(tg, 0, 1).Next(now))
	for i := range 2 {
		rec := send(t, h, raw)
		if rec.Code != http.StatusOK || !bytes.Contains(rec.Body.Bytes(), []byte("Privacy")) {
			t.Fatalf("answer %d: status %d, body %.80q", i+1, rec.Code, rec.Body)
		}
	}
	tg.Secret = "another-secret"
	if rec := send(t, h, loadgen.NewCommand(tg, 0, 1).Next(now)); rec.Code != http.StatusUnauthorized {
		t.Errorf("signed with another secret: status %d, want 401", rec.Code)
	}
}

func TestConstantAnswerIsJSONOfTheGivenSize(t *testing.T) {
	for _, size := range []int{0, 100, 1500, 4000} {
		a := constantAnswer(size)
		var v struct {
			ResponseType string `json:"response_type"`
			Text         string `json:"text"`
		}
		if err := json.Unmarshal(a, &v); err != nil || v.ResponseType != "in_channel" || !bytes.Contains(a, []byte("*Privacy*")) {
			t.Errorf("size %d: %v %+v", size, err, v)
		}
		if size >= 100 && len(a) != size {
			t.Errorf("size %d: %d bytes", size, len(a))
		}
	}
}
