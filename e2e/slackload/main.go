// Command slackload sends signed Slack slash commands at a fixed rate and
// reports latency percentiles. It is open-loop: each request has a planned
// send time and its latency counts from that moment, so a slow server is
// not hidden by the load generator waiting for it (no coordinated
// omission). Every command has its own trigger_id and signature, as
// Slack's do (waardenbot answers a signature it has seen before with an
// empty 200, which counts as failed here). Only for the loopback address of
// a server you run yourself. e2e/slackbench runs it side by side with a
// bare handler; both use package e2e/internal/loadgen.
//
//	go run ./e2e/slackload -url http://127.0.0.1:8080/slack/commands -secret S -rate 2000 -for 20s
package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/waardenbot/waardenbot/e2e/internal/loadgen"
)

func main() {
	target := flag.String("url", "http://127.0.0.1:8080/slack/commands", "the slash command endpoint (loopback only)")
	secret := flag.String("secret", "", "the signing secret")
	rate := flag.Int("rate", 2000, "requests per second")
	dur := flag.Duration("for", 20*time.Second, "how long to send")
	warmup := flag.Duration("warmup", 0, "how long to send before that, not measured")
	text := flag.String("text", "privacy", "the command's text")
	command := flag.String("command", "/waarde", "the slash command")
	expect := flag.String("expect", "", "text that every correct answer contains (default: any non-empty 200)")
	flag.Parse()
	u, err := url.Parse(*target)
	if err != nil || u.Scheme != "http" {
		fmt.Fprintln(os.Stderr, "slackload: -url must be an http:// URL on a loopback address")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	t := loadgen.Target{Addr: u.Host, Path: u.Path, Secret: *secret, Command: *command, Text: *text, Expect: *expect}
	r, err := loadgen.RunOpen(ctx, t, loadgen.Open{Rate: *rate, Warmup: *warmup, For: *dur})
	if err != nil {
		fmt.Fprintln(os.Stderr, "slackload:", err)
		os.Exit(1)
	}
	fmt.Printf("%d requests in %v (%.0f/s), %d failed\n%v\ngenerator lag (how late it sent; part of the latency): p50 %.3f ms, p99 %.3f ms\n",
		r.Requests, r.Elapsed.Round(time.Millisecond), float64(r.Requests)/r.Elapsed.Seconds(), r.Wrong(),
		r.Latency, float64(r.Lag.P50)/1e6, float64(r.Lag.P99)/1e6)
	if r.Wrong() > 0 {
		fmt.Printf("first failure: %s\n", r.Example)
	}
}
