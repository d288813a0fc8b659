package slack

import (
	"net/http"
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
		{"four minutes later", docSecret, at.Add(4 * time.Minute), header(docTimestamp, docSignature), docBody, nil},
		{"tampered body", docSecret, at, header(docTimestamp, docSignature), docBody + "&text=x", errSignature},
		{"wrong secret", "another-secret", at, header(docTimestamp, docSignature), docBody, errSignature},
		{"stale timestamp", docSecret, at.Add(5*time.Minute + time.Second), header(docTimestamp, docSignature), docBody, errStale},
		{"from the future", docSecret, at.Add(-6 * time.Minute), header(docTimestamp, docSignature), docBody, errStale},
		{"unsigned", docSecret, at, header("", ""), docBody, errUnsigned},
		{"no v0 prefix", docSecret, at, header(docTimestamp, docSignature[3:]), docBody, errSignature},
		{"not hex", docSecret, at, header(docTimestamp, "v0=zz"), docBody, errSignature},
		{"bad timestamp", docSecret, at, header("yesterday", docSignature), docBody, errStale},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := newVerifier([]byte(tc.secret), func() time.Time { return tc.now })
			if _, _, got := v.verify(tc.header, []byte(tc.body)); got != tc.want {
				t.Errorf("verify = %v, want %v", got, tc.want)
			}
		})
	}
}
