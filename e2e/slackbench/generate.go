package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"

	"github.com/waardenbot/waardenbot/e2e/internal/loadgen"
)

// phaseResult is what the load generator measured in one phase: one
// closed or open loop against one server.
type phaseResult struct {
	Closed   *loadgen.ClosedResult `json:",omitempty"`
	Open     *loadgen.OpenResult   `json:",omitempty"`
	Usage    Usage                 // during the measured window
	UsageErr string                `json:",omitempty"`
	CPUs     string                // the CPUs the generator was allowed
	Procs    int                   // the generator's GOMAXPROCS
}

// Tally is the phase's count of answers.
func (p phaseResult) Tally() loadgen.Tally {
	if p.Closed != nil {
		return p.Closed.Tally
	}
	if p.Open != nil {
		return p.Open.Tally
	}
	return loadgen.Tally{}
}

// generate is the load generator's side of a phase. slackbench runs it in
// a process of its own, started with taskset on the load CPU and with
// GOMAXPROCS=1: it runs one closed or open loop, reads the CPU times of
// itself, of the server and of both CPUs as the measured window opens and
// closes, and writes a phaseResult as JSON to stdout.
func generate(args []string) error {
	fs := flag.NewFlagSet("_generate", flag.ContinueOnError)
	mode := fs.String("mode", "closed", "closed or open")
	var t loadgen.Target
	fs.StringVar(&t.Addr, "addr", "", "server address")
	fs.StringVar(&t.Path, "path", "/slack/commands", "endpoint")
	fs.StringVar(&t.Secret, "secret", "", "signing secret")
	fs.StringVar(&t.Command, "command", "/waarde", "slash command")
	fs.StringVar(&t.Text, "text", "privacy", "its text")
	fs.StringVar(&t.Expect, "expect", "Privacy", "text every correct answer contains")
	serverPID := fs.Int("server-pid", 0, "the server's process ID")
	serverCPU := fs.Int("server-cpu", 0, "the server's CPU")
	loadCPU := fs.Int("load-cpu", 1, "this generator's CPU")
	conns := fs.Int("conns", 200, "closed loop: connections")
	maxReqs := fs.Int("max-requests", 0, "closed loop: at most this many requests")
	rate := fs.Int("rate", 2000, "open loop: requests per second")
	dur := fs.Duration("for", 10*time.Second, "measured time")
	warmup := fs.Duration("warmup", time.Second, "warm-up before it")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	var marks []cpuSample
	mark := func() { marks = append(marks, sampleCPU(*serverPID, *serverCPU, *loadCPU)) }
	res := phaseResult{CPUs: allowedCPUs("self"), Procs: runtime.GOMAXPROCS(0)}
	var err error
	switch *mode {
	case "closed":
		var r loadgen.ClosedResult
		r, err = loadgen.RunClosed(ctx, t, loadgen.Closed{Conns: *conns, Warmup: *warmup, For: *dur, MaxRequests: *maxReqs, Mark: mark})
		res.Closed = &r
	case "open":
		var r loadgen.OpenResult
		r, err = loadgen.RunOpen(ctx, t, loadgen.Open{Rate: *rate, Warmup: *warmup, For: *dur, Mark: mark})
		res.Open = &r
	default:
		return fmt.Errorf("unknown mode %q", *mode)
	}
	if err != nil {
		return err
	}
	if len(marks) != 2 {
		return errors.New("the measured window did not open and close")
	}
	if res.Usage, err = usageBetween(marks[0], marks[1]); err != nil {
		res.UsageErr = err.Error()
	}
	return json.NewEncoder(os.Stdout).Encode(res)
}
