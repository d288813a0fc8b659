// Command bare is the floor that e2e/slackbench measures waardenbot
// against: the least a Go server has to do to answer a Slack slash command
// over HTTP correctly, and nothing more. For POST /slack/commands it
//
//   - reads the body (at most 1 MB),
//   - verifies Slack's v0 signature exactly as Slack documents it
//     ("Verifying requests from Slack"): the timestamp within five minutes
//     of the clock, either way; "v0=" and the hex HMAC-SHA256, keyed with
//     the signing secret, of "v0:" + timestamp + ":" + body, compared with
//     X-Slack-Signature in constant time; 401 otherwise,
//   - parses the form (400 if it does not parse), and
//   - writes a constant JSON answer.
//
// It does not de-duplicate: a signed request that comes again within its
// five minutes is answered again, where waardenbot remembers every
// signature and answers a repeat with an empty 200. That is on purpose:
// this is the floor, and what the replay guard costs is part of what
// waardenbot is measured for. Do not add it here.
//
// The answer is a constant of the same size as waardenbot's answer to
// /waarde privacy (about 1,500 bytes: 1,504 on 2026-11-30; -size sets
// it), so that both send the same number of bytes and the difference is
// the work. It contains "Privacy", so that slackbench's check of every
// answer holds for it too. It is written as it is: no JSON encoding per
// request.
//
// Like waardenbot it serves GET /healthz and uses net/http with
// waardenbot's timeouts (read 5 s, write 35 s, idle 60 s); it does not
// bound the number of connections (waardenbot allows 256). It stops on
// SIGINT or SIGTERM.
//
//	go run ./e2e/slackbench/bare -listen 127.0.0.1:9400 -secret S
//
// The flags default to WAARDENBOT_SLACK_LISTEN and
// WAARDENBOT_SLACK_SIGNING_SECRET, so that slackbench starts it with the
// environment it starts waardenbot with.
package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	listen := flag.String("listen", os.Getenv("WAARDENBOT_SLACK_LISTEN"), "address to listen on (default $WAARDENBOT_SLACK_LISTEN)")
	secret := flag.String("secret", os.Getenv("WAARDENBOT_SLACK_SIGNING_SECRET"), "Slack signing secret (default $WAARDENBOT_SLACK_SIGNING_SECRET)")
	size := flag.Int("size", 1500, "size of the constant answer in bytes")
	flag.Parse()
	if *listen == "" || *secret == "" {
		fmt.Fprintln(os.Stderr, "bare: need -listen and -secret (or WAARDENBOT_SLACK_LISTEN and WAARDENBOT_SLACK_SIGNING_SECRET)")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	h := newHandler([]byte(*secret), time.Now, *size)
	if err := serve(ctx, *listen, h); err != nil {
		fmt.Fprintln(os.Stderr, "bare:", err)
		os.Exit(1)
	}
}

// serve serves h on addr until ctx is cancelled.
func serve(ctx context.Context, addr string, h http.Handler) error {
	srv := &http.Server{
		Addr:        addr,
		Handler:     h,
		ReadTimeout: 5 * time.Second, WriteTimeout: 35 * time.Second, IdleTimeout: 60 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(sctx)
	}
}

// maxBody is the largest body read, as in waardenbot's Slack adapter.
const maxBody = 1 << 20

// maxSkew is how far a request's timestamp may be from the clock.
const maxSkew = 5 * time.Minute

// Errors of verify.
var (
	errStale     = errors.New("timestamp missing or not within five minutes")
	errSignature = errors.New("signature does not match")
)

// verify checks Slack's v0 signature of a request as Slack documents it.
func verify(secret []byte, now time.Time, header http.Header, body []byte) error {
	ts := header.Get("X-Slack-Request-Timestamp")
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errStale
	}
	if d := now.Sub(time.Unix(secs, 0)); d > maxSkew || d < -maxSkew {
		return errStale
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte("v0:" + ts + ":"))
	mac.Write(body)
	want := "v0=" + hex.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(header.Get("X-Slack-Signature")), []byte(want)) {
		return errSignature
	}
	return nil
}

// newHandler serves GET /healthz and POST /slack/commands, answering
// every verified command with the same answer of about size bytes.
func newHandler(secret []byte, now func() time.Time, size int) http.Handler {
	answer := constantAnswer(size)
	length := strconv.Itoa(len(answer))
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("POST /slack/commands", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
			return
		}
		if err := verify(secret, now(), r.Header, body); err != nil {
			http.Error(w, "invalid signature", http.StatusUnauthorized)
			return
		}
		if _, err := url.ParseQuery(string(body)); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", length)
		w.Write(answer)
	})
	return mux
}

// constantAnswer is a slash command answer of size bytes (at least its
// shape's 60), mentioning Privacy.
func constantAnswer(size int) []byte {
	const head, tail = `{"response_type":"in_channel","text":"*Privacy* (constant)`, `"}`
	return []byte(head + strings.Repeat(".", max(0, size-len(head)-len(tail))) + tail)
}
