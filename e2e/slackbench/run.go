package main

import (
	"bytes"
	"context"
	"debug/buildinfo"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// signingSecret is the servers' signing secret, with which the generator
// signs.
const signingSecret = "slackbench-signing-secret"

// subject is one server under measurement.
type subject struct {
	name    string
	path    string
	args    []string // "run" for waardenbot
	dataDir string
	about   string // what was built, from the binary's build information
	// unlimited: no -max-requests (the trivial server; the bare handler,
	// waardenbot and Bolt have the same limit, to be measured alike)
	unlimited bool
	bolt      bool          // Slack's Bolt for JavaScript (-bolt)
	closed    []phaseResult // by round
	open      []phaseResult
}

// bench is one run of slackbench.
type bench struct {
	o    options
	dir  string // temporary folder
	self string // this program, for its roles
}

func run(ctx context.Context, o options) error {
	if _, err := exec.LookPath("taskset"); err != nil {
		return errors.New("needs taskset (util-linux) to pin the servers and the load generator to their CPUs")
	}
	dir, err := os.MkdirTemp("", "slackbench-")
	if err != nil {
		return err
	}
	if o.keep {
		fmt.Fprintln(os.Stderr, "slackbench: files in", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	b := &bench{o: o, dir: dir, self: self}
	subjects, err := b.subjects()
	if err != nil {
		return err
	}

	load0 := loadAverage()
	var ceiling *phaseResult
	if o.ceiling {
		trivial := &subject{name: "trivial", path: self, args: []string{"_trivial", "-expect", o.expect}, unlimited: true}
		r, err := b.phase(ctx, trivial, "closed")
		if err != nil {
			return fmt.Errorf("generator ceiling: %w", err)
		}
		ceiling = &r
		b.progress("ceiling", trivial, r)
	}
	for round := range o.rounds {
		// The order rotates, so that no server always follows another.
		order := append(append([]*subject{}, subjects[round%len(subjects):]...), subjects[:round%len(subjects)]...)
		for _, mode := range []string{"closed", "open"} {
			for _, s := range order {
				r, err := b.phase(ctx, s, mode)
				if err != nil {
					return fmt.Errorf("round %d, %s loop, %s: %w", round+1, mode, s.name, err)
				}
				if mode == "closed" {
					s.closed = append(s.closed, r)
				} else {
					s.open = append(s.open, r)
				}
				b.progress(fmt.Sprintf("round %d/%d", round+1, o.rounds), s, r)
			}
		}
	}
	report(os.Stdout, o, subjects, ceiling, load0, loadAverage())
	return nil
}

// subjects builds what is needed and returns the servers: the bare
// handler first, then waardenbot or the -bin binaries, then Bolt if -bolt
// asks for it.
func (b *bench) subjects() ([]*subject, error) {
	var bolt *subject
	if b.o.bolt { // first, so that a missing node says so before anything is built
		var err error
		if bolt, err = b.bolt(); err != nil {
			return nil, err
		}
	}
	bare := &subject{name: "bare", path: filepath.Join(b.dir, "bare")}
	if err := b.build(bare.path, "./e2e/slackbench/bare"); err != nil {
		return nil, err
	}
	subjects := []*subject{bare}
	if b.o.bins == "" {
		p := filepath.Join(b.dir, "waardenbot")
		if err := b.build(p, "./cmd/waardenbot"); err != nil {
			return nil, err
		}
		subjects = append(subjects, &subject{name: "waardenbot", path: p})
	} else {
		names := map[string]bool{"bare": true, "bolt": b.o.bolt}
		for _, bin := range strings.Split(b.o.bins, ",") {
			p, err := filepath.Abs(bin)
			if err != nil {
				return nil, err
			}
			if _, err := os.Stat(p); err != nil {
				return nil, err
			}
			name := filepath.Base(bin)
			if names[name] {
				name = bin
			}
			names[name] = true
			subjects = append(subjects, &subject{name: name, path: p})
		}
	}
	for i, s := range subjects {
		s.about = buildSummary(s.path)
		if s != bare {
			s.args = []string{"run"}
			s.dataDir = filepath.Join(b.dir, fmt.Sprintf("data-%d", i))
		}
	}
	if bolt != nil {
		subjects = append(subjects, bolt)
	}
	return subjects, nil
}

// build runs go build in the module's root folder.
func (b *bench) build(out, pkg string) error {
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	args := append(append([]string{"build", "-o", out}, b.o.buildFlags...), pkg)
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go %s: %w", strings.Join(args, " "), err)
	}
	return nil
}

// moduleRoot is the folder of waardenbot's go.mod.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	gomod := strings.TrimSpace(string(out))
	if err != nil || gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("run slackbench inside the waardenbot module (go env GOMOD: %q, %v)", gomod, err)
	}
	return filepath.Dir(gomod), nil
}

// buildSummary says what a Go binary was built from: its main package,
// commit and build settings that change the code.
func buildSummary(path string) string {
	bi, err := buildinfo.ReadFile(path)
	if err != nil {
		return "not a Go binary?"
	}
	parts := []string{bi.GoVersion, bi.Path}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			parts = append(parts, "at "+s.Value[:min(len(s.Value), 12)])
		case "vcs.modified":
			if s.Value == "true" {
				parts = append(parts, "(modified)")
			}
		case "CGO_ENABLED", "-ldflags", "-trimpath", "-tags", "-gcflags", "-pgo":
			parts = append(parts, s.Key+"="+s.Value)
		}
	}
	return strings.Join(parts, " ")
}

// phase starts s, runs one loop against it and stops it.
func (b *bench) phase(ctx context.Context, s *subject, mode string) (phaseResult, error) {
	p, err := b.start(ctx, s)
	if err != nil {
		return phaseResult{}, err
	}
	maxReqs := b.o.maxReqs
	if s.unlimited {
		maxReqs = 0
	}
	r, err := b.generate(ctx, p, mode, maxReqs)
	if stopErr := p.stop(); err == nil && stopErr != nil {
		err = fmt.Errorf("%w; stderr:\n%s", stopErr, p.stderr.String())
	}
	return r, err
}

// generate runs the load generator for one loop against p, pinned to the
// load CPU, and returns what it measured.
func (b *bench) generate(ctx context.Context, p *process, mode string, maxReqs int) (phaseResult, error) {
	o := b.o
	args := []string{"-c", strconv.Itoa(o.loadCPU), b.self, "_generate",
		"-mode", mode, "-addr", p.addr, "-secret", signingSecret,
		"-command", o.command, "-text", o.text, "-expect", o.expect,
		"-server-pid", strconv.Itoa(p.cmd.Process.Pid),
		"-server-cpu", strconv.Itoa(o.serverCPU), "-load-cpu", strconv.Itoa(o.loadCPU),
		"-conns", strconv.Itoa(o.conns), "-max-requests", strconv.Itoa(maxReqs), "-rate", strconv.Itoa(o.rate),
		"-for", o.dur.String(), "-warmup", o.warmup.String()}
	cmd := exec.CommandContext(ctx, "taskset", args...)
	cmd.Env = append(os.Environ(), "GOMAXPROCS=1")
	cmd.Stderr = os.Stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.Output()
	if err != nil {
		return phaseResult{}, fmt.Errorf("load generator: %w", err)
	}
	var r phaseResult
	if err := json.Unmarshal(out, &r); err != nil {
		return r, fmt.Errorf("load generator's result: %w", err)
	}
	if r.CPUs != strconv.Itoa(o.loadCPU) || r.Procs != 1 {
		return r, fmt.Errorf("load generator ran on CPUs %s with GOMAXPROCS=%d, not on CPU %d with 1", r.CPUs, r.Procs, o.loadCPU)
	}
	select {
	case <-p.done:
		return r, fmt.Errorf("server exited during the loop (%v); stderr:\n%s", p.waitErr, p.stderr.String())
	default:
	}
	return r, nil
}

// progress prints one loop's result as it comes.
func (b *bench) progress(what string, s *subject, r phaseResult) {
	var line string
	switch {
	case r.Closed != nil:
		line = fmt.Sprintf("closed %-12s %9s answers/s, %.1f µs of server CPU each", s.name, thousands(r.Closed.PerSecond()), 1e6*r.Usage.Server/r.Closed.PerSecond())
		if r.Closed.Limited {
			line += fmt.Sprintf(" (in %.1f s: ended at %s requests)", r.Closed.Window.Seconds(), thousands(float64(r.Closed.Sent)))
		}
	case r.Open != nil:
		line = fmt.Sprintf("open   %-12s %s", s.name, r.Open.Latency)
	}
	t := r.Tally()
	fmt.Fprintf(os.Stderr, "%s: %s; %s correct, %s wrong\n    %s", what, line, thousands(float64(t.OK)), thousands(float64(t.Wrong())), r.Usage)
	if r.Open != nil {
		fmt.Fprintf(os.Stderr, "; generator lag p50 %.3f p99 %.3f ms", ms(r.Open.Lag.P50), ms(r.Open.Lag.P99))
	}
	fmt.Fprintln(os.Stderr)
	if t.Wrong() > 0 {
		fmt.Fprintf(os.Stderr, "    WRONG ANSWERS: %s\n", wrongSummary(t))
	}
}

// process is a running server.
type process struct {
	cmd    *exec.Cmd
	addr   string
	stderr *tail
	done   chan struct{} // closed when it has exited
	// waitErr is how it exited, set before done is closed.
	waitErr error
}

// start starts s pinned to the server CPU with GOMAXPROCS=1 and waits
// until GET /healthz answers 200. taskset pins every thread of the
// process: for node (Bolt) also libuv's and V8's helper threads, so that
// it has one core as a Go server with GOMAXPROCS=1 has.
func (b *bench) start(ctx context.Context, s *subject) (*process, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("taskset", append([]string{"-c", strconv.Itoa(b.o.serverCPU), s.path}, s.args...)...)
	cmd.Dir = b.dir // no waardenbot.toml here: the environment is the configuration
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "GOMAXPROCS=1",
		"WAARDENBOT_SLACK_ENABLED=true", "WAARDENBOT_SLACK_MODE=http",
		"WAARDENBOT_SLACK_LISTEN=" + addr,
		"WAARDENBOT_SLACK_SIGNING_SECRET=" + signingSecret,
		"WAARDENBOT_SLACK_BOT_TOKEN=xoxb-slackbench",
		"WAARDENBOT_SLACK_API_URL=http://127.0.0.1:9/", // nothing listens: no network
	}
	if s.dataDir != "" {
		cmd.Env = append(cmd.Env, "WAARDENBOT_DATA_DIR="+s.dataDir)
	}
	p := &process{cmd: cmd, addr: addr, stderr: &tail{max: 32 << 10}, done: make(chan struct{})}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", s.name, err)
	}
	go func() {
		p.waitErr = cmd.Wait()
		close(p.done)
	}()

	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: time.Second}
	deadline := time.Now().Add(10 * time.Second)
	for {
		select {
		case <-p.done:
			return nil, fmt.Errorf("%s exited before answering (%v); stderr:\n%s", s.name, p.waitErr, p.stderr.String())
		case <-ctx.Done():
			p.stop()
			return nil, ctx.Err()
		default:
		}
		if resp, err := client.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			p.stop()
			return nil, fmt.Errorf("%s: no answer from /healthz within 10 s; stderr:\n%s", s.name, p.stderr.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if cpus := allowedCPUs(strconv.Itoa(cmd.Process.Pid)); cpus != strconv.Itoa(b.o.serverCPU) {
		p.stop()
		return nil, fmt.Errorf("%s runs on CPUs %s, not on CPU %d", s.name, cpus, b.o.serverCPU)
	}
	return p, nil
}

// stop stops the server with SIGTERM, or kills it after 10 s.
func (p *process) stop() error {
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		var exit *exec.ExitError
		if errors.As(p.waitErr, &exit) && exit.Sys().(syscall.WaitStatus).Signaled() {
			return nil // the trivial server ends on SIGTERM
		}
		return p.waitErr
	case <-time.After(10 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
		return errors.New("did not stop within 10 s of SIGTERM")
	}
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// tail keeps the last max bytes written to it.
type tail struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tail) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, b...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = bytes.Clone(t.buf[over:])
	}
	return len(b), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}
