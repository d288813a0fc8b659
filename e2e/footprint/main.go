// Command footprint measures what `waardenbot run` costs as a process: the
// time from the start of the process until GET /healthz answers, and its
// resident memory a few seconds later (Rss, anonymous and file-backed, from
// /proc/PID/smaps_rollup). Linux only.
//
// It builds ./cmd/waardenbot (and, with -baseline, e2e/footprint/baseline, a
// program that only links the four platform packages), writes a
// configuration with Slack in HTTP mode, dummy tokens and an unreachable Web
// API (http://127.0.0.1:9/, so that no network is used), starts the bot once
// to create its data file, then starts each binary -n times, interleaved,
// and prints medians and ranges:
//
//	go run ./e2e/footprint                        # 9 runs of the bot
//	go run ./e2e/footprint -n 15 -baseline        # and the four packages alone
//	go run ./e2e/footprint -ask                   # memory after one answered /waarde
//	go run ./e2e/footprint -pages 30              # which packages the resident image holds
//	go run ./e2e/footprint -- -trimpath '-ldflags=-s -w'   # go build flags
//	CGO_ENABLED=0 go run ./e2e/footprint          # the environment reaches go build
//	go run ./e2e/footprint -bin ./a,./b           # compare binaries you built
//
// The machine's other work shows in the numbers, mostly in the times: run
// it more than once and compare medians and ranges, not single runs. The
// load average before and after is printed for that reason.
package main

import (
	"cmp"
	"debug/buildinfo"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// options are the command-line flags.
type options struct {
	n          int
	after      time.Duration
	baseline   bool
	bins       string
	ask        bool
	smaps      bool
	pages      int
	keep       bool
	buildFlags []string
}

func main() {
	var o options
	flag.IntVar(&o.n, "n", 9, "runs per binary")
	flag.DurationVar(&o.after, "after", 4*time.Second, "when to read the memory, counted from the process start")
	flag.BoolVar(&o.baseline, "baseline", false, "also measure e2e/footprint/baseline (the four platform packages alone)")
	flag.StringVar(&o.bins, "bin", "", "comma-separated binaries to measure instead of building ./cmd/waardenbot")
	flag.BoolVar(&o.ask, "ask", false, "send one signed slash command /waarde privacy once /healthz answers, and time its answer")
	flag.BoolVar(&o.smaps, "smaps", false, "print the Rss of each mapping of the last run of each binary")
	flag.IntVar(&o.pages, "pages", 0, "print which sections and the `N` Go packages hold the most resident bytes of the binary's image (last run; reads /proc/PID/pagemap)")
	flag.BoolVar(&o.keep, "keep", false, "keep the temporary folder (binaries, config, data file)")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "Usage: go run ./e2e/footprint [flags] [-- go build flags]\n\nFlags:\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	o.buildFlags = flag.Args()
	if runtime.GOOS != "linux" {
		fmt.Fprintln(os.Stderr, "footprint: needs Linux (/proc)")
		os.Exit(2)
	}
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "footprint:", err)
		os.Exit(1)
	}
}

// subject is one binary under measurement.
type subject struct {
	name  string
	path  string
	size  int64
	build string // the build settings that change the binary
	runs  []sample
	maps  []mapping  // of the last run, with -smaps
	res   *residence // of the last run, with -pages
}

// sample is one start of a binary.
type sample struct {
	ready         time.Duration // start until /healthz answered 200
	answer        time.Duration // with -ask: the first slash command's round trip
	rss, anon, fb int64         // bytes; fb is file-backed (Rss − Anonymous)
}

// signingSecret signs the -ask request; the bot is configured with it.
const signingSecret = "footprint-signing-secret"

func run(o options) error {
	dir, err := os.MkdirTemp("", "footprint-")
	if err != nil {
		return err
	}
	if o.keep {
		fmt.Fprintln(os.Stderr, "footprint: files in", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	var subjects []*subject
	if o.bins != "" {
		for _, b := range strings.Split(o.bins, ",") {
			p, err := filepath.Abs(b)
			if err != nil {
				return err
			}
			subjects = append(subjects, &subject{name: filepath.Base(b), path: p})
		}
	} else {
		p := filepath.Join(dir, "waardenbot")
		if err := build(p, "./cmd/waardenbot", o.buildFlags); err != nil {
			return err
		}
		subjects = append(subjects, &subject{name: "waardenbot", path: p})
	}
	if o.baseline {
		p := filepath.Join(dir, "baseline")
		if err := build(p, "./e2e/footprint/baseline", o.buildFlags); err != nil {
			return err
		}
		subjects = append(subjects, &subject{name: "baseline", path: p})
	}
	for _, s := range subjects {
		fi, err := os.Stat(s.path)
		if err != nil {
			return err
		}
		s.size = fi.Size()
		s.build = buildSettings(s.path)
	}

	port, err := freePort()
	if err != nil {
		return err
	}
	p := &process{addr: "127.0.0.1:" + strconv.Itoa(port), dataDir: filepath.Join(dir, "data"), config: filepath.Join(dir, "waardenbot.toml")}
	err = os.WriteFile(p.config, fmt.Appendf(nil, `data_dir = %q

[slack]
enabled = true
mode = "http"
bot_token = "xoxb-footprint"
signing_secret = %q
listen = %q
api_url = "http://127.0.0.1:9/"
`, p.dataDir, signingSecret, p.addr), 0o600)
	if err != nil {
		return err
	}

	// The first start creates the data file; it is not measured.
	if _, err := p.start(subjects[0].path, false, 0, nil); err != nil {
		return fmt.Errorf("first start: %w", err)
	}
	load0 := loadAverage()
	for i := range o.n {
		for _, s := range subjects {
			last := i == o.n-1
			smp, err := p.start(s.path, o.ask, o.after, func(pid int) error {
				var err error
				if last && o.smaps {
					s.maps, err = readMaps(pid)
				}
				if last && o.pages > 0 && err == nil {
					s.res, err = resident(pid, s.path)
				}
				return err
			})
			if err != nil {
				return fmt.Errorf("%s, run %d: %w", s.name, i+1, err)
			}
			s.runs = append(s.runs, smp)
		}
	}
	report(os.Stdout, o, subjects, load0, loadAverage())
	return nil
}

func report(w io.Writer, o options, subjects []*subject, load0, load1 string) {
	fmt.Fprintf(w, "%s, %d CPUs; %d runs each, interleaved; memory read %v after the start\n", runtime.Version(), runtime.NumCPU(), o.n, o.after)
	fmt.Fprintf(w, "load average before: %s; after: %s\n", load0, load1)
	for _, s := range subjects {
		fmt.Fprintf(w, "%s: %s, built with %s\n", s.name, mb(s.size), s.build)
	}
	fmt.Fprintf(w, "\nmedian [min–max]  ready (ms)           ")
	if o.ask {
		fmt.Fprintf(w, "first answer (ms)    ")
	}
	fmt.Fprintf(w, "Rss (MB)             anonymous (MB)       file-backed (MB)\n")
	ms := func(d time.Duration) float64 { return float64(d) / 1e6 }
	for _, s := range subjects {
		line := fmt.Sprintf("%-18s %-20s ", s.name, stat(s.runs, func(x sample) float64 { return ms(x.ready) }))
		if o.ask {
			line += fmt.Sprintf("%-20s ", stat(s.runs, func(x sample) float64 { return ms(x.answer) }))
		}
		line += fmt.Sprintf("%-20s %-20s %s",
			stat(s.runs, func(x sample) float64 { return float64(x.rss) / 1e6 }),
			stat(s.runs, func(x sample) float64 { return float64(x.anon) / 1e6 }),
			stat(s.runs, func(x sample) float64 { return float64(x.fb) / 1e6 }))
		fmt.Fprintln(w, line)
	}
	for _, s := range subjects {
		if s.maps == nil {
			continue
		}
		fmt.Fprintf(w, "\nRss per mapping, %s (last run):\n%9s %9s %9s  perms name\n", s.name, "size", "Rss", "anonymous")
		for _, m := range s.maps {
			if m.rss > 0 {
				fmt.Fprintf(w, "%9s %9s %9s  %s %s\n", kb(m.size), kb(m.rss), kb(m.anon), m.perms, m.name)
			}
		}
	}
	for _, s := range subjects {
		if s.res == nil {
			continue
		}
		fmt.Fprintf(w, "\nResident image of %s (last run): %s\n  by section:", s.name, mb(s.res.total))
		for _, x := range s.res.sections {
			if x.bytes >= 1024 {
				fmt.Fprintf(w, " %s %s,", x.name, kb(x.bytes))
			}
		}
		fmt.Fprintf(w, "\n  by package (the %d largest):\n", o.pages)
		for _, x := range s.res.packages[:min(o.pages, len(s.res.packages))] {
			fmt.Fprintf(w, "  %8s  %s\n", kb(x.bytes), x.name)
		}
	}
	if len(subjects) > 1 && subjects[0].res != nil && subjects[len(subjects)-1].res != nil {
		a, b := subjects[0], subjects[len(subjects)-1]
		fmt.Fprintf(w, "\nResident image, %s minus %s, by package (the %d largest differences):\n", a.name, b.name, o.pages)
		for _, x := range difference(a.res.packages, b.res.packages)[:o.pages] {
			fmt.Fprintf(w, "  %+8.0f kB  %s\n", float64(x.bytes)/1024, x.name)
		}
	}
}

// buildSettings names the build settings of a Go binary that change its
// code: CGO_ENABLED, -ldflags, -trimpath, -tags.
func buildSettings(path string) string {
	bi, err := buildinfo.ReadFile(path)
	if err != nil {
		return "unknown settings"
	}
	var out []string
	for _, s := range bi.Settings {
		switch s.Key {
		case "CGO_ENABLED", "-ldflags", "-trimpath", "-tags":
			out = append(out, s.Key+"="+s.Value)
		}
	}
	return bi.GoVersion + " " + strings.Join(out, " ")
}

func build(out, pkg string, flags []string) error {
	args := append(append([]string{"build", "-o", out}, flags...), pkg)
	cmd := exec.Command("go", args...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go %s: %w", strings.Join(args, " "), err)
	}
	return nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
}

func mb(b int64) string { return fmt.Sprintf("%.1f MB", float64(b)/1e6) }
func kb(b int64) string { return fmt.Sprintf("%d kB", b/1024) }

// stat formats the median and the range of f over the samples.
func stat(s []sample, f func(sample) float64) string {
	v := make([]float64, len(s))
	for i, x := range s {
		v[i] = f(x)
	}
	slices.SortFunc(v, cmp.Compare)
	return fmt.Sprintf("%.1f [%.1f–%.1f]", median(v), v[0], v[len(v)-1])
}

func median(sorted []float64) float64 {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}
