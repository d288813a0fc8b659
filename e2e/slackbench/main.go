// Command slackbench measures waardenbot's answer to a signed Slack slash
// command over HTTP side by side with a bare Go handler, in the same run,
// with one command (issue 18). Linux only; it needs taskset and two CPUs.
//
//	go run ./e2e/slackbench                        # 5 rounds of both loops, about 4 minutes
//	go run ./e2e/slackbench -rounds 1 -d 3s        # a quick look
//	go run ./e2e/slackbench -bin ./before,./after  # two waardenbot binaries, and the bare handler
//	go run ./e2e/slackbench -bolt                  # and Slack's Bolt for JavaScript (issue 18: at least 4× Bolt)
//	CGO_ENABLED=0 go run ./e2e/slackbench -- -trimpath   # the environment and flags reach go build
//
// It builds ./cmd/waardenbot (unless -bin names binaries) and the bare
// handler, e2e/slackbench/bare: verify the signature, parse the form,
// write a constant JSON of the same size as waardenbot's answer. Every
// server runs on one CPU (taskset -c 0, GOMAXPROCS=1); waardenbot runs
// `waardenbot run` with Slack in HTTP mode, a dummy bot token, the Web API
// at an unreachable local address (so no network is used) and a data
// directory of its own in a temporary folder. The load generator runs in
// processes of its own on the other CPU (taskset -c 1, GOMAXPROCS=1) and
// sends /waarde privacy as Slack does: every command with its own
// trigger_id, so its own signature, and a fresh timestamp (package
// e2e/internal/loadgen). In each of -rounds rounds, the servers in turn
// (the order rotates from round to round):
//
//   - a closed loop: -c kept-alive connections, each sending its next
//     command as soon as the last is answered, for -warmup and then -d;
//     the rate of correct answers in the second part is the throughput;
//   - an open loop: -rate requests a second for -warmup and then -d, each
//     timed from its planned send time (no coordinated omission), with
//     p50, p90, p99, p99.9 and the maximum of the second part.
//
// With -bolt, Slack's Bolt for JavaScript is a third server (after the
// bare handler and waardenbot): e2e/slackbench/bolt/app.js, a Bolt app
// with Bolt's default HTTP receiver that verifies the signature, runs
// Bolt's middleware and acks /waarde with a constant answer of the bare
// handler's size, at the same endpoint, with the same environment and
// pinned the same way. Node runs JavaScript on one thread; taskset pins
// its other threads too (libuv's pool, V8's compiler and garbage
// collector helpers), so Bolt has one core as Go's GOMAXPROCS=1 servers
// have. The report then also gives each waardenbot's throughput as a
// multiple of Bolt's ("× bolt"), round by round and the median, which
// issue 18 asks to be at least 4. It needs Node.js 20 or later and npm:
// the first run installs the packages that bolt/package-lock.json pins
// (npm ci) into the user's cache folder, under
// waardenbot-e2e/bolt-<hash of the lock file>, and later runs use them
// without installing anything or using the network. Without -bolt
// slackbench needs neither node nor npm, and go test never does.
//
// Each loop gets a freshly started server: waardenbot remembers every
// signature for five minutes (its replay guard), and a closed loop fills
// that memory with hundreds of thousands of them, which a following loop
// would pay for. The guard holds about 262,144 signatures and answers 503
// beyond; so a closed loop ends after -max-requests (240,000, warm-up
// included), and its measured time with it, when that comes before -d:
// a server that answers more than 21,800 a second in the default 1 s +
// 10 s is measured for less than 10 s (the report says so). The same
// limit holds for every server.
//
// Every answer is checked: a correct one is a 200 whose body contains
// -expect ("Privacy", the value card's title). Wrong answers (an empty 200
// is how waardenbot answers a replay), other statuses and connection
// errors are counted and reported, and only correct answers count in the
// throughput.
//
// First (unless -ceiling=false) it measures the load generator's own
// ceiling: a closed loop against a trivial server on the server CPU (raw
// TCP, a canned answer, nothing checked). For every loop it reports how
// busy both CPUs were and with what: the server's and the generator's own
// share, and the machine's other work. The numbers are only as quiet as
// the machine: compare medians of interleaved rounds, and look at the
// other work before believing a difference. On a busy machine the server
// CPU per answer in the closed loop (its CPU time in the window over its
// correct answers) varies far less than the rate, which counts the time
// the server did not get; on a quiet one both say the same.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"
)

// options are the command-line flags.
type options struct {
	bins       string
	rounds     int
	conns      int
	maxReqs    int
	dur        time.Duration
	warmup     time.Duration
	rate       int
	ceiling    bool
	serverCPU  int
	loadCPU    int
	command    string
	text       string
	expect     string
	keep       bool
	bolt       bool
	buildFlags []string
}

func main() {
	if len(os.Args) > 1 && strings.HasPrefix(os.Args[1], "_") {
		os.Exit(role(os.Args[1], os.Args[2:]))
	}
	var o options
	flag.StringVar(&o.bins, "bin", "", "comma-separated waardenbot binaries to measure instead of building ./cmd/waardenbot")
	flag.IntVar(&o.rounds, "rounds", 5, "rounds; every round runs both loops against every server")
	flag.IntVar(&o.conns, "c", 200, "closed loop: kept-alive connections (waardenbot serves at most 256 at once)")
	flag.DurationVar(&o.dur, "d", 10*time.Second, "measured time of each loop")
	flag.IntVar(&o.maxReqs, "max-requests", 240000, "closed loop: end the loop, and its measured time, after this many requests (waardenbot's replay guard answers 503 beyond about 262,144 in five minutes); 0: no limit")
	flag.DurationVar(&o.warmup, "warmup", time.Second, "warm-up before each loop's measured time")
	flag.IntVar(&o.rate, "rate", 2000, "open loop: requests per second")
	flag.BoolVar(&o.ceiling, "ceiling", true, "first measure the load generator against a trivial server")
	flag.IntVar(&o.serverCPU, "server-cpu", 0, "the CPU the servers run on")
	flag.IntVar(&o.loadCPU, "load-cpu", 1, "the CPU the load generator runs on")
	flag.StringVar(&o.command, "command", "/waarde", "the slash command")
	flag.StringVar(&o.text, "text", "privacy", "its text")
	flag.StringVar(&o.expect, "expect", "Privacy", "text that every correct answer contains")
	flag.BoolVar(&o.bolt, "bolt", false, "also measure Slack's Bolt for JavaScript, e2e/slackbench/bolt (needs node and npm; installs its packages once)")
	flag.BoolVar(&o.keep, "keep", false, "keep the temporary folder (binaries, data directories)")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "Usage: go run ./e2e/slackbench [flags] [-- go build flags]\n\nFlags:\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	o.buildFlags = flag.Args()
	if runtime.GOOS != "linux" {
		fmt.Fprintln(os.Stderr, "slackbench: needs Linux (taskset, /proc)")
		os.Exit(2)
	}
	if o.rounds < 1 || o.conns < 1 || o.dur <= 0 || o.warmup < 0 || o.rate < 1 || o.maxReqs < 0 || o.serverCPU == o.loadCPU {
		fmt.Fprintln(os.Stderr, "slackbench: need -rounds, -c, -d and -rate above 0, and two different CPUs")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "slackbench:", err)
		os.Exit(1)
	}
}

// role runs one of the processes slackbench starts for itself: a load
// generator for one loop, or the trivial server.
func role(name string, args []string) int {
	var err error
	switch name {
	case "_generate":
		err = generate(args)
	case "_trivial":
		err = serveTrivial(args)
	default:
		err = fmt.Errorf("unknown role")
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "slackbench %s: %v\n", name, err)
		return 1
	}
	return 0
}
