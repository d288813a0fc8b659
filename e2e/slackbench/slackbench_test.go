package main

import (
	"bytes"
	"context"
	"net"
	"os"
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
