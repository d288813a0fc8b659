// Command several measures waardenbot running as several instances on one
// PostgreSQL database (BENCHMARKS.md): how long a takeover takes when the
// leader is killed, and the latency of a signed /stem over HTTP through
// two instances. It builds the binary, runs `waardenbot run` processes in
// Slack's HTTP mode against a fake Slack Web API, all on loopback, in a
// schema of their own that it drops afterwards.
//
//	go run ./e2e/several -dsn postgres://… -kills 10         # takeover after SIGKILL, ten times
//	go run ./e2e/several -dsn postgres://… -kills 5 -hang    # the leader hangs (SIGSTOP) instead
//	go run ./e2e/several -dsn postgres://… -rate 500 -for 20s  # /stem through two instances
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/waardenbot/waardenbot/bot/chat"
	"github.com/waardenbot/waardenbot/bot/poll"
	"github.com/waardenbot/waardenbot/bot/store/postgres"
	"github.com/waardenbot/waardenbot/e2e/internal/cluster"
	"github.com/waardenbot/waardenbot/e2e/internal/loadgen"
)

func main() {
	dsn := flag.String("dsn", os.Getenv("WAARDENBOT_TEST_POSTGRES_DSN"), "the database (a postgres:// URL on this machine)")
	kills := flag.Int("kills", 0, "kill the leader this many times and report each takeover")
	hang := flag.Bool("hang", false, "with -kills: stop the leader with SIGSTOP (a hung process) instead of SIGKILL")
	rate := flag.Int("rate", 0, "send signed /stem commands at this rate through two instances")
	dur := flag.Duration("for", 20*time.Second, "with -rate: how long")
	flag.Parse()
	if *dsn == "" || (*kills == 0 && *rate == 0) {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*dsn, *kills, *hang, *rate, *dur); err != nil {
		fmt.Fprintln(os.Stderr, "several:", err)
		os.Exit(1)
	}
}

func run(base string, kills int, hang bool, rate int, dur time.Duration) error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "waardenbot-several-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin, err := cluster.Build(dir)
	if err != nil {
		return err
	}
	dsn, drop, err := schema(ctx, base)
	if err != nil {
		return err
	}
	defer drop()
	slack := cluster.NewSlack()
	defer slack.Close()
	cfg := cluster.Config{Bin: bin, DSN: dsn, Dir: dir, Slack: slack, Env: []string{"WAARDENBOT_LOG_LEVEL=info"}}
	if kills > 0 {
		if err := failovers(cfg, kills, hang); err != nil {
			return err
		}
	}
	if rate > 0 {
		return latency(ctx, cfg, rate, dur)
	}
	return nil
}

// failovers kills the leader of three instances n times, each time
// starting a new instance in its place, and prints each takeover: from
// the signal until another instance logs that it leads.
func failovers(cfg cluster.Config, n int, hang bool) error {
	var instances []*cluster.Instance
	defer func() {
		for _, in := range instances {
			if !in.Exited() {
				in.Kill()
			}
		}
	}()
	for i := range 3 {
		in, err := cluster.Start(cfg, fmt.Sprint("i", i))
		if err != nil {
			return err
		}
		instances = append(instances, in)
	}
	how := map[bool]string{false: "SIGKILL", true: "SIGSTOP, then SIGKILL once replaced"}[hang]
	fmt.Printf("takeover after the leader gets %s (three instances):\n", how)
	var times []time.Duration
	for k := range n {
		lead, err := leader(instances, nil)
		if err != nil {
			return err
		}
		before := map[*cluster.Instance]int{}
		for _, in := range instances {
			before[in] = in.Leading()
		}
		time.Sleep(500 * time.Millisecond) // let it settle into its term
		at := time.Now()
		if hang {
			lead.Freeze()
		} else {
			lead.Kill()
		}
		next, err := leader(instances, before)
		if err != nil {
			return err
		}
		d := time.Since(at)
		times = append(times, d)
		fmt.Printf("  %2d: %s stopped, %s leads after %v\n", k+1, lead.Name, next.Name, d.Round(100*time.Microsecond))
		if hang {
			lead.Kill()
		}
		fresh, err := cluster.Start(cfg, fmt.Sprint("i", 3+k))
		if err != nil {
			return err
		}
		instances[slices.Index(instances, lead)] = fresh
	}
	slices.Sort(times)
	fmt.Printf("median %v, max %v over %d\n", times[len(times)/2].Round(100*time.Microsecond), times[len(times)-1].Round(100*time.Microsecond), len(times))
	return nil
}

// leader waits (up to 30 s) until one instance has begun a term since
// before (nil: any term) and returns it.
func leader(instances []*cluster.Instance, before map[*cluster.Instance]int) (*cluster.Instance, error) {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		for _, in := range instances {
			if !in.Exited() && in.Leading() > before[in] {
				return in, nil
			}
		}
		time.Sleep(time.Millisecond)
	}
	return nil, fmt.Errorf("nobody leads after 30 s")
}

// latency sends signed /stem commands at rate through two instances, as a
// load balancer would spread them, 128 voters each changing their vote.
func latency(ctx context.Context, cfg cluster.Config, rate int, dur time.Duration) error {
	st, err := postgres.Open(ctx, cfg.DSN, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	defer st.Close()
	p := poll.Poll{ID: "bnch", Kind: poll.Statement, Where: chat.Destination{Platform: "slack", Team: "T0SLACKBENCH", Channel: "C0SLACKBENCH"},
		Creator: "anna", Question: "Stelling", Max: 1, Created: time.Now(),
		Options: []poll.Option{{Key: "eens", Label: "eens"}, {Key: "oneens", Label: "oneens"}}}
	if err := st.CreatePoll(ctx, p); err != nil {
		return err
	}
	var addrs string
	for i := range 2 {
		in, err := cluster.Start(cfg, fmt.Sprint("s", i))
		if err != nil {
			return err
		}
		defer in.Stop()
		if i > 0 {
			addrs += ","
		}
		addrs += in.Addr
	}
	t := loadgen.Target{Addr: addrs, Path: "/slack/commands", Secret: cluster.Secret, Command: "/stem", Text: "bnch eens", Expect: "telt"}
	r, err := loadgen.RunOpen(ctx, t, loadgen.Open{Rate: rate, Warmup: 2 * time.Second, For: dur})
	if err != nil {
		return err
	}
	_, tally, _ := st.Poll(ctx, "bnch")
	fmt.Printf("signed /stem through two instances at %d/s: %d requests in %v, %d failed\n%v\ngenerator lag: p50 %.3f ms, p99 %.3f ms\nvoters in the poll: %d\n",
		rate, r.Requests, r.Elapsed.Round(time.Millisecond), r.Wrong(), r.Latency, float64(r.Lag.P50)/1e6, float64(r.Lag.P99)/1e6, tally.Voters)
	if r.Wrong() > 0 {
		fmt.Printf("first failure: %s\n", r.Example)
	}
	return nil
}

// schema makes a schema of its own in the database at base and returns
// the DSN that uses it, and how to drop it.
func schema(ctx context.Context, base string) (string, func(), error) {
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return "", nil, err
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "several_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+name); err != nil {
		conn.Close(ctx)
		return "", nil, err
	}
	u, err := url.Parse(base)
	if err != nil {
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String(), func() {
		conn.Exec(context.Background(), "DROP SCHEMA "+name+" CASCADE")
		conn.Close(context.Background())
	}, nil
}
