// Command slackload sends signed Slack slash commands at a fixed rate and
// reports latency percentiles. It is open-loop: each request has a planned
// send time and its latency counts from that moment, so a slow server is
// not hidden by the load generator waiting for it (no coordinated
// omission). Only for the loopback address of a server you run yourself.
//
//	go run ./e2e/slackload -url http://127.0.0.1:8080/slack/commands -secret S -rate 2000 -for 20s
package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

func main() {
	target := flag.String("url", "http://127.0.0.1:8080/slack/commands", "the slash command endpoint (loopback only)")
	secret := flag.String("secret", "", "the signing secret")
	rate := flag.Int("rate", 2000, "requests per second")
	dur := flag.Duration("for", 20*time.Second, "how long to send")
	text := flag.String("text", "privacy", "the command's text")
	command := flag.String("command", "/waarde", "the slash command")
	flag.Parse()
	u, err := url.Parse(*target)
	if err != nil || (u.Hostname() != "127.0.0.1" && u.Hostname() != "localhost" && u.Hostname() != "::1") {
		fmt.Fprintln(os.Stderr, "slackload: -url must be a loopback address")
		os.Exit(2)
	}
	form := url.Values{"team_id": {"T1"}, "channel_id": {"C1"}, "user_id": {"U1"}, "user_name": {"load"},
		"command": {*command}, "text": {*text}}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 512, MaxConnsPerHost: 512}, Timeout: 10 * time.Second}

	n := int(dur.Seconds() * float64(*rate))
	lat := make([]time.Duration, n)
	failed := make([]bool, n)
	interval := time.Second / time.Duration(*rate)
	start := time.Now().Add(100 * time.Millisecond)
	var wg sync.WaitGroup
	for i := range n {
		planned := start.Add(time.Duration(i) * interval)
		time.Sleep(time.Until(planned))
		// Every command Slack sends has its own trigger_id; the bot answers
		// a request it has seen before with an empty 200 and does nothing.
		form.Set("trigger_id", fmt.Sprintf("%d.%d.slackload", start.Unix(), i))
		body := form.Encode()
		wg.Go(func() {
			ts := strconv.FormatInt(time.Now().Unix(), 10)
			mac := hmac.New(sha256.New, []byte(*secret))
			mac.Write([]byte("v0:" + ts + ":" + body))
			req, _ := http.NewRequest(http.MethodPost, *target, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Slack-Request-Timestamp", ts)
			req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
			resp, err := client.Do(req)
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			lat[i] = time.Since(planned)
			failed[i] = err != nil || resp.StatusCode != http.StatusOK
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	errs := 0
	for _, f := range failed {
		if f {
			errs++
		}
	}
	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[min(n-1, int(p*float64(n)))] }
	fmt.Printf("%d requests in %v (%.0f/s), %d failed\np50 %v  p90 %v  p99 %v  p99.9 %v  max %v\n",
		n, elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds(), errs,
		pct(0.50).Round(time.Microsecond), pct(0.90).Round(time.Microsecond), pct(0.99).Round(time.Microsecond),
		pct(0.999).Round(time.Microsecond), lat[n-1].Round(time.Microsecond))
}
