package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/e2e/internal/loadgen"
)

func TestTrivialServerAnswersTheGeneratorCorrectly(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go serveTrivialOn(ln, trivialAnswer("Privacy"))
	tg := loadgen.Target{Addr: ln.Addr().String(), Path: "/slack/commands", Secret: "s", Command: "/waarde", Text: "privacy", Expect: "Privacy"}
	r, err := loadgen.RunClosed(context.Background(), tg, loadgen.Closed{Conns: 3, For: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if r.OK == 0 || r.Wrong() != 0 {
		t.Errorf("tally %+v", r.Tally)
	}
}

func TestThousands(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0"}, {999.4, "999"}, {999.5, "1,000"}, {41074, "41,074"}, {1234567, "1,234,567"}, {-1234, "-1,234"}, {-123, "-123"},
	}
	for _, tc := range tests {
		if got := thousands(tc.in); got != tc.want {
			t.Errorf("thousands(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMedian(t *testing.T) {
	tests := []struct {
		name string
		in   []float64
		want float64
	}{
		{"none", nil, 0}, {"one", []float64{3}, 3}, {"odd", []float64{5, 1, 3}, 3}, {"even", []float64{4, 1, 3, 2}, 2.5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := append([]float64{}, tc.in...)
			if got := median(in); got != tc.want {
				t.Errorf("median = %v, want %v", got, tc.want)
			}
			for i := range in {
				if in[i] != tc.in[i] {
					t.Fatalf("median reordered its input: %v", in)
				}
			}
		})
	}
}

func TestTableAlignsNumbersRight(t *testing.T) {
	var b bytes.Buffer
	table{{"", "round 1", "median"}, {"bare", "41,074", "41,074"}, {"  % of bare", "55%", "55%"}}.print(&b)
	want := "" +
		"             round 1  median\n" +
		"bare          41,074  41,074\n" +
		"  % of bare      55%     55%\n"
	if b.String() != want {
		t.Errorf("table:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestCPUTimesAreReadable(t *testing.T) {
	if _, err := os.Stat("/proc/stat"); err != nil {
		t.Skip("no /proc")
	}
	a := sampleCPU(os.Getpid(), 0, 0)
	if a.unavailable != nil {
		t.Fatal(a.unavailable)
	}
	if _, ok := a.cpus[0]; !ok {
		t.Errorf("no CPU 0 in /proc/stat: %v", a.cpus)
	}
	if cpus := allowedCPUs("self"); cpus == "unknown" || strings.TrimSpace(cpus) == "" {
		t.Errorf("allowed CPUs %q", cpus)
	}
	b := sampleCPU(os.Getpid(), 0, 0)
	if _, err := usageBetween(a, b); err != nil && b.at.After(a.at) {
		t.Error(err)
	}
}

// fakeSubject is a subject that answered rates[i] commands a second in
// round i's closed loop, with one CPU busy, and p99 ms in its open loop.
func fakeSubject(name string, p99 time.Duration, rates ...float64) *subject {
	s := &subject{name: name, about: "fake"}
	for _, rate := range rates {
		s.closed = append(s.closed, phaseResult{
			Closed: &loadgen.ClosedResult{Tally: loadgen.Tally{OK: int(10 * rate)}, Counted: int(10 * rate), Window: 10 * time.Second},
			Usage:  Usage{Server: 1, ServerCPU: 1, Generator: 1, LoadCPU: 1},
		})
		s.open = append(s.open, phaseResult{
			Open:  &loadgen.OpenResult{Latency: loadgen.Percentiles{P50: p99 / 4, P90: p99 / 2, P99: p99, P999: 2 * p99, Max: 3 * p99}},
			Usage: Usage{Server: 0.5, ServerCPU: 0.5, Generator: 0.5, LoadCPU: 0.5},
		})
	}
	return s
}

func TestReportGivesEachWaardenbotAsAMultipleOfBolt(t *testing.T) {
	bolt := func() *subject {
		s := fakeSubject("bolt", 4*time.Millisecond, 2000, 2000)
		s.bolt = true
		return s
	}
	tests := []struct {
		name     string
		subjects []*subject
		// timesBolt: the "× bolt" rows, in the closed loop's rate and
		// in its CPU per answer, for each waardenbot
		timesBolt []string
		boltRows  bool
	}{
		{
			name: "without bolt",
			subjects: []*subject{
				fakeSubject("bare", time.Millisecond, 20000, 22000),
				fakeSubject("waardenbot", 2*time.Millisecond, 14200, 15400),
			},
		},
		{
			name: "with bolt",
			subjects: []*subject{
				fakeSubject("bare", time.Millisecond, 20000, 22000),
				fakeSubject("waardenbot", 2*time.Millisecond, 14200, 15400),
				bolt(),
			},
			timesBolt: []string{"× bolt 7.1× 7.7× 7.4×", "× bolt 7.1× 7.7× 7.4×"},
			boltRows:  true,
		},
		{
			name: "two binaries and bolt",
			subjects: []*subject{
				fakeSubject("bare", time.Millisecond, 20000, 22000),
				fakeSubject("before", 2*time.Millisecond, 8000, 9000),
				fakeSubject("after", 2*time.Millisecond, 14200, 15400),
				bolt(),
			},
			timesBolt: []string{"× bolt 4.0× 4.5× 4.2×", "× bolt 7.1× 7.7× 7.4×", "× bolt 4.0× 4.5× 4.2×", "× bolt 7.1× 7.7× 7.4×"},
			boltRows:  true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			o := options{rounds: 2, conns: 200, dur: 10 * time.Second, warmup: time.Second, rate: 2000, maxReqs: 240000, expect: "Privacy", loadCPU: 1}
			report(&b, o, tc.subjects, nil, "0 0 0", "0 0 0")
			out := b.String()

			// The report's lines, each as its cells separated by one space.
			var lines []string
			for _, line := range strings.Split(out, "\n") {
				lines = append(lines, strings.Join(strings.Fields(line), " "))
			}
			var timesBolt []string
			for _, line := range lines {
				if strings.HasPrefix(line, "× bolt ") {
					timesBolt = append(timesBolt, line)
				}
			}
			if !slices.Equal(timesBolt, tc.timesBolt) {
				t.Errorf("× bolt rows:\n%s\nwant:\n%s\nreport:\n%s", strings.Join(timesBolt, "\n"), strings.Join(tc.timesBolt, "\n"), out)
			}
			// Bolt against the bare handler, like every server: its
			// throughput, its p99 in the open loop, its answers.
			all := strings.Join(lines, "\n")
			for _, want := range []string{
				"bolt 2,000 2,000 2,000\n% of bare 10% 9% 10%\n",
				"\nbolt 4.00 4.00 4.00\n− bare +3.00 +3.00 +3.00\n",
				"\nbolt 40,000 correct, none wrong\n",
			} {
				if got := strings.Contains(all, want); got != tc.boltRows {
					t.Errorf("report has %q: %v, want %v; report:\n%s", want, got, tc.boltRows, out)
				}
			}
		})
	}
}
