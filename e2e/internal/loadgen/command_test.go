package loadgen

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"
)

// Slack's documented example ("Verifying requests from Slack").
const (
	docSecret    = "8f742231b10e8888abcd99yyyzzz85a5"
	docTimestamp = "1531420618"
	docBody      = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
	docSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
)

func TestSignatureOfSlacksDocumentedExample(t *testing.T) {
	if got := Signature(docSecret, docTimestamp, []byte(docBody)); got != docSignature {
		t.Errorf("Signature = %s, want %s", got, docSignature)
	}
}

var testTarget = Target{Addr: "127.0.0.1:9400", Path: "/slack/commands", Secret: "s3cr3t", Command: "/waarde", Text: "privacy", Expect: "Privacy"}

// parse reads a request as a server would and returns it with its body.
func parse(t *testing.T, raw []byte) (*http.Request, []byte) {
	t.Helper()
	req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(raw)))
	if err != nil {
		t.Fatalf("request does not parse: %v\n%s", err, raw)
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		t.Fatalf("body: %v", err)
	}
	return req, body
}

func TestCommandRequestsAreSignedAndEachHasItsOwnTriggerID(t *testing.T) {
	c := NewCommand(testTarget, 7, 1764470000123456789)
	now := time.Unix(1764470000, 900e6)
	seen := map[string]bool{}
	for i := range 5 {
		at := now.Add(time.Duration(i) * 50 * time.Millisecond) // crosses a second
		raw := c.Next(at)
		req, body := parse(t, raw)
		if req.Method != http.MethodPost || req.URL.Path != "/slack/commands" || req.Host != testTarget.Addr {
			t.Fatalf("request %d: %s %s (Host %s)", i, req.Method, req.URL, req.Host)
		}
		if int64(len(body)) != req.ContentLength || len(raw) != bytes.Index(raw, []byte("\r\n\r\n"))+4+len(body) {
			t.Fatalf("request %d: Content-Length %d for a body of %d bytes", i, req.ContentLength, len(body))
		}
		ts := req.Header.Get("X-Slack-Request-Timestamp")
		if ts != strconv.FormatInt(at.Unix(), 10) {
			t.Errorf("request %d: timestamp %s, want %d", i, ts, at.Unix())
		}
		if got, want := req.Header.Get("X-Slack-Signature"), Signature(testTarget.Secret, ts, body); got != want {
			t.Errorf("request %d: signature %s, want %s", i, got, want)
		}
		if req.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
			t.Errorf("request %d: Content-Type %q", i, req.Header.Get("Content-Type"))
		}
		form, err := url.ParseQuery(string(body))
		if err != nil {
			t.Fatal(err)
		}
		trigger := form.Get("trigger_id")
		if want := fmt.Sprintf("1764470000123456789.0007.%010d", i+1); trigger != want {
			t.Errorf("request %d: trigger_id %q, want %q", i, trigger, want)
		}
		if seen[trigger] {
			t.Errorf("request %d repeats trigger_id %s", i, trigger)
		}
		seen[trigger] = true
		if form.Get("command") != "/waarde" || form.Get("text") != "privacy" {
			t.Errorf("request %d: command %q text %q", i, form.Get("command"), form.Get("text"))
		}
	}
}

func TestTriggerIDCounterCarries(t *testing.T) {
	c := NewCommand(testTarget, 0, 1)
	now := time.Unix(1764470000, 0)
	var raw []byte
	for range 1099 {
		raw = c.Next(now)
	}
	_, body := parse(t, raw)
	form, _ := url.ParseQuery(string(body))
	if got, want := form.Get("trigger_id"), "1.0000.0000001099"; got != want {
		t.Errorf("trigger_id %q, want %q", got, want)
	}
}

func TestNextDoesNotAllocate(t *testing.T) {
	c := NewCommand(testTarget, 0, 1)
	now := time.Now()
	if n := testing.AllocsPerRun(100, func() { c.Next(now) }); n != 0 {
		t.Errorf("Next allocates %.0f times", n)
	}
}

func TestTargetOnlyOnThisMachine(t *testing.T) {
	tests := []struct {
		name string
		addr string
		ok   bool
	}{
		{"IPv4 loopback", "127.0.0.1:8080", true},
		{"another IPv4 loopback", "127.0.0.2:8080", true},
		{"IPv6 loopback", "[::1]:8080", true},
		{"localhost", "localhost:8080", true},
		{"private address", "10.0.0.1:8080", false},
		{"public name", "example.com:80", false},
		{"no port", "127.0.0.1", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tg := testTarget
			tg.Addr = tc.addr
			if err := tg.check(); (err == nil) != tc.ok {
				t.Errorf("check(%s) = %v", tc.addr, err)
			}
		})
	}
}

func BenchmarkCommandNext(b *testing.B) {
	c := NewCommand(testTarget, 0, 1)
	b.ReportAllocs()
	for b.Loop() {
		c.Next(time.Now())
	}
}
