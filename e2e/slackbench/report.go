package main

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/waardenbot/waardenbot/e2e/internal/loadgen"
)

// report prints the tables: throughput of the closed loops and p99 of the
// open loops per round, each server against the bare handler (the first
// subject) and, with -bolt, each waardenbot as a multiple of Bolt, the
// open loops' percentiles, the CPUs' use, and the answers.
func report(w io.Writer, o options, subjects []*subject, ceiling *phaseResult, load0, load1 string) {
	bare := subjects[0]
	var bolt *subject
	for _, s := range subjects {
		if s.bolt {
			bolt = s
		}
	}
	// againstBolt: a waardenbot, which issue 18 compares with Bolt
	againstBolt := func(s *subject) bool { return bolt != nil && s != bare && s != bolt }
	fmt.Fprintf(w, "\nslackbench: %s %s/%s, %d CPUs; servers on CPU %d with GOMAXPROCS=1, load generator on CPU %d\n",
		runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), o.serverCPU, o.loadCPU)
	fmt.Fprintf(w, "load average before: %s; after: %s\n", load0, load1)
	for _, s := range subjects {
		fmt.Fprintf(w, "%s: %s\n", s.name, s.about)
	}
	if ceiling != nil {
		c := ceiling.Closed
		fmt.Fprintf(w, "\nLoad generator's ceiling, against a trivial server (raw TCP, canned answer), %d connections for %v: %s answers/s\n",
			o.conns, o.dur, thousands(c.PerSecond()))
		fmt.Fprintf(w, "  %s\n", ceiling.Usage)
		switch u := ceiling.Usage; {
		case u.Generator >= 0.9 && u.Server >= 0.9:
			fmt.Fprintf(w, "  both CPUs were busy: the generator's ceiling is about this\n")
		case u.Generator >= 0.9:
			fmt.Fprintf(w, "  the generator was the limit\n")
		case u.Server >= 0.9:
			fmt.Fprintf(w, "  the trivial server was the limit: the generator can do more than this\n")
		default:
			fmt.Fprintf(w, "  neither was at its CPU's limit: the machine's other work was\n")
		}
	}

	var rounds []string
	for i := range o.rounds {
		rounds = append(rounds, "round "+strconv.Itoa(i+1))
	}
	fmt.Fprintf(w, "\nClosed loop: %d connections for %v (after %v of warm-up), correct answers per second\n", o.conns, o.dur, o.warmup)
	t := table{append(append([]string{""}, rounds...), "median")}
	for _, s := range subjects {
		v := perRound(s.closed, func(r phaseResult) float64 { return r.Closed.PerSecond() })
		t = append(t, append(append([]string{s.name}, each(v, thousands)...), thousands(median(v))))
		if s != bare {
			pct := ratios(s.closed, bare.closed, func(r phaseResult) float64 { return r.Closed.PerSecond() })
			t = append(t, append(append([]string{"  % of bare"}, each(pct, percent)...), percent(median(pct))))
		}
		if againstBolt(s) {
			x := ratios(s.closed, bolt.closed, func(r phaseResult) float64 { return r.Closed.PerSecond() })
			t = append(t, append(append([]string{"  × bolt"}, each(x, times)...), times(median(x))))
		}
	}
	t.print(w)
	if bolt != nil {
		fmt.Fprintf(w, "× bolt: answers per second as a multiple of Bolt's in the same round (issue 18 asks for at least 4×)\n")
	}
	limited := table{}
	for _, s := range subjects {
		if slices.ContainsFunc(s.closed, func(r phaseResult) bool { return r.Closed.Limited }) {
			win := perRound(s.closed, func(r phaseResult) float64 { return r.Closed.Window.Seconds() })
			limited = append(limited, append([]string{s.name}, each(win, func(x float64) string { return fmt.Sprintf("%.1f s", x) })...))
		}
	}
	if len(limited) > 0 {
		fmt.Fprintf(w, "Measured time where a loop ended at -max-requests (%s requests):\n", thousands(float64(o.maxReqs)))
		limited.print(w)
	}
	fmt.Fprintf(w, "CPU in the closed loops, %% of one CPU: server / generator / other work on the server's CPU (steal included)\n")
	t = table{append(append([]string{""}, rounds...), "")}
	for _, s := range subjects {
		row := []string{s.name}
		for _, r := range s.closed {
			u := r.Usage
			row = append(row, fmt.Sprintf("%.0f/%.0f/%.0f", 100*u.Server, 100*u.Generator, 100*(u.Others()+u.ServerSteal)))
		}
		t = append(t, append(row, ""))
	}
	t.print(w)
	fmt.Fprintf(w, "Server CPU per correct answer in the closed loops, µs: what other work on its CPU changes least\n")
	t = table{append(append([]string{""}, rounds...), "median")}
	cost := func(r phaseResult) float64 { return 1e6 * r.Usage.Server / r.Closed.PerSecond() }
	for _, s := range subjects {
		v := perRound(s.closed, cost)
		t = append(t, append(append([]string{s.name}, each(v, tenths)...), tenths(median(v))))
		if s != bare {
			// bare's cost over this one's: answers per CPU second as % of bare's
			pct := ratios(bare.closed, s.closed, cost)
			t = append(t, append(append([]string{"  % of bare"}, each(pct, percent)...), percent(median(pct))))
		}
		if againstBolt(s) {
			// answers per CPU second as a multiple of Bolt's
			x := ratios(bolt.closed, s.closed, cost)
			t = append(t, append(append([]string{"  × bolt"}, each(x, times)...), times(median(x))))
		}
	}
	t.print(w)

	fmt.Fprintf(w, "\nOpen loop: %s requests/s for %v (after %v of warm-up), p99 in ms from the planned send time\n", thousands(float64(o.rate)), o.dur, o.warmup)
	t = table{append(append([]string{""}, rounds...), "median")}
	p99 := func(r phaseResult) float64 { return ms(r.Open.Latency.P99) }
	for _, s := range subjects {
		v := perRound(s.open, p99)
		t = append(t, append(append([]string{s.name}, each(v, millis)...), millis(median(v))))
		if s != bare {
			d := differences(s.open, bare.open, p99)
			t = append(t, append(append([]string{"  − bare"}, each(d, signedMillis)...), signedMillis(median(d))))
		}
	}
	t.print(w)
	fmt.Fprintf(w, "Open loop, medians over the rounds, ms; generator lag: how late the generator sent (part of the latency)\n")
	t = table{{"", "p50", "p90", "p99", "p99.9", "max", "lag p50", "lag p99", "other work"}}
	for _, s := range subjects {
		m := func(f func(loadgen.OpenResult) time.Duration) string {
			return millis(median(perRound(s.open, func(r phaseResult) float64 { return ms(f(*r.Open)) })))
		}
		others := median(perRound(s.open, func(r phaseResult) float64 { return r.Usage.Others() + r.Usage.ServerSteal }))
		t = append(t, []string{s.name,
			m(func(r loadgen.OpenResult) time.Duration { return r.Latency.P50 }),
			m(func(r loadgen.OpenResult) time.Duration { return r.Latency.P90 }),
			m(func(r loadgen.OpenResult) time.Duration { return r.Latency.P99 }),
			m(func(r loadgen.OpenResult) time.Duration { return r.Latency.P999 }),
			m(func(r loadgen.OpenResult) time.Duration { return r.Latency.Max }),
			m(func(r loadgen.OpenResult) time.Duration { return r.Lag.P50 }),
			m(func(r loadgen.OpenResult) time.Duration { return r.Lag.P99 }),
			percent(others)})
	}
	t.print(w)

	var others []float64
	for _, s := range subjects {
		for _, r := range append(append([]phaseResult{}, s.closed...), s.open...) {
			others = append(others, r.Usage.Others()+r.Usage.ServerSteal, r.Usage.LoadOthers()+r.Usage.LoadSteal)
		}
	}
	if m := median(others); m > 0.05 {
		fmt.Fprintf(w, "\nThe machine was busy: other work took %.0f%% of a CPU in the median loop (at most %.0f%%).\n"+
			"These numbers say as much about the machine as about the servers.\n", 100*m, 100*slices.Max(others))
	}

	fmt.Fprintf(w, "\nAnswers, all loops (warm-ups included): a correct one is a 200 whose body contains %q\n", o.expect)
	for _, s := range subjects {
		var all loadgen.Tally
		for _, r := range append(append([]phaseResult{}, s.closed...), s.open...) {
			all.Add(r.Tally())
		}
		line := fmt.Sprintf("%-12s %s correct", s.name, thousands(float64(all.OK)))
		if all.Wrong() == 0 {
			line += ", none wrong"
		} else {
			line += ", WRONG: " + wrongSummary(all)
		}
		fmt.Fprintln(w, line)
	}
}

// wrongSummary says what went wrong, and what a 503 from waardenbot means.
func wrongSummary(t loadgen.Tally) string {
	var parts []string
	statuses := make([]int, 0, len(t.Status))
	for st := range t.Status {
		statuses = append(statuses, st)
	}
	slices.Sort(statuses)
	for _, st := range statuses {
		parts = append(parts, fmt.Sprintf("%s with status %d", thousands(float64(t.Status[st])), st))
	}
	if t.WrongBody > 0 {
		parts = append(parts, thousands(float64(t.WrongBody))+" 200s with an empty or wrong body (a replay?)")
	}
	if t.Errors > 0 {
		parts = append(parts, thousands(float64(t.Errors))+" connection errors")
	}
	s := strings.Join(parts, ", ") + "; first: " + t.Example
	if t.Status[503] > 0 {
		s += "\n    (waardenbot answers 503 when its replay guard is full, about 262,144 signatures in five minutes: use a shorter -d)"
	}
	return s
}

// perRound applies f to every round's result.
func perRound(rs []phaseResult, f func(phaseResult) float64) []float64 {
	v := make([]float64, len(rs))
	for i, r := range rs {
		v[i] = f(r)
	}
	return v
}

// ratios are f(a)/f(b) round by round.
func ratios(a, b []phaseResult, f func(phaseResult) float64) []float64 {
	v := make([]float64, len(a))
	for i := range a {
		v[i] = f(a[i]) / f(b[i])
	}
	return v
}

// differences are f(a)−f(b) round by round.
func differences(a, b []phaseResult, f func(phaseResult) float64) []float64 {
	v := make([]float64, len(a))
	for i := range a {
		v[i] = f(a[i]) - f(b[i])
	}
	return v
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.SortFunc(s, cmp.Compare)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func each(v []float64, f func(float64) string) []string {
	out := make([]string, len(v))
	for i, x := range v {
		out[i] = f(x)
	}
	return out
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }

func millis(x float64) string       { return fmt.Sprintf("%.2f", x) }
func tenths(x float64) string       { return fmt.Sprintf("%.1f", x) }
func signedMillis(x float64) string { return fmt.Sprintf("%+.2f", x) }
func percent(x float64) string      { return fmt.Sprintf("%.0f%%", 100*x) }
func times(x float64) string        { return fmt.Sprintf("%.1f×", x) }

// thousands formats x rounded, with commas between thousands: 41,074.
func thousands(x float64) string {
	s := strconv.FormatInt(int64(math.Round(x)), 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// table is rows of cells, printed with the first column aligned left and
// the others right.
type table [][]string

func (t table) print(w io.Writer) {
	var width []int
	for _, row := range t {
		for i, c := range row {
			if i >= len(width) {
				width = append(width, 0)
			}
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	for _, row := range t {
		var b strings.Builder
		for i, c := range row {
			pad := strings.Repeat(" ", width[i]-len([]rune(c)))
			if i == 0 {
				b.WriteString(c + pad)
			} else {
				b.WriteString("  " + pad + c)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}
