package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/internal/testkit"
)

func runCLI(t *testing.T, stdin string, environ []string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := runMain(context.Background(), args, strings.NewReader(stdin), &out, &errb, environ)
	return code, out.String(), errb.String()
}

func TestAskWithDBKeepsSchedulesBetweenCalls(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	debate := time.Now().AddDate(0, 0, 30).Format("2006-01-02")
	steps := []struct {
		cmd  string
		code int
		want string
	}{
		{"/reflectie status", exitOK, "uit"},
		{"/reflectie aan 30 16 * * 5", exitOK, "elke vrijdag om 16:30 (Europe/Amsterdam)"},
		{"/reflectie status", exitOK, "aan"},
		{"/reflectie aan 0 9 * * 7", exitRefused, "zondag is 0"},
		{"/debat " + debate + " 19:30 Camera's in de binnenstad", exitOK, "gepland"},
		{"/debat lijst", exitOK, "Camera's in de binnenstad"},
		{"/debat annuleer 1", exitOK, "geannuleerd"},
		{"/debat lijst", exitOK, "geen komende debatten"},
		{"/reflectie uit", exitOK, "uit"},
		{"/reflectie status", exitOK, "uit"},
	}
	for _, s := range steps {
		code, out, errOut := runCLI(t, "", nil, "ask", "--db", db, s.cmd)
		if code != s.code || !strings.Contains(out, s.want) {
			t.Errorf("ask %q: exit %d (want %d), output %q lacks %q; stderr %s", s.cmd, code, s.code, out, s.want, errOut)
		}
	}
}

func TestAskLookupNeverOpensTheDB(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	if code, _, errOut := runCLI(t, "", nil, "ask", "--db", db, "/waarde privacy"); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("/waarde created or touched the data file: %v", err)
	}
}

func TestScheduleGraceIsValidated(t *testing.T) {
	tests := []struct {
		grace string
		ok    bool
	}{
		{"12h", true},
		{"0s", true},
		{"168h", true},
		{"169h", false},
		{"-1h", false},
		{"soon", false},
	}
	for _, tc := range tests {
		code, _, errOut := runCLI(t, "", []string{"WAARDENBOT_SCHEDULE_GRACE=" + tc.grace}, "ask", "/help")
		if tc.ok && code != exitOK {
			t.Errorf("grace %q refused: %s", tc.grace, errOut)
		}
		if !tc.ok && (code != exitUsage || !strings.Contains(errOut, "schedule.grace")) {
			t.Errorf("grace %q: exit %d, stderr %q; want a config error naming schedule.grace", tc.grace, code, errOut)
		}
	}
}

func TestKeepClosedIsValidated(t *testing.T) {
	tests := []struct {
		keep string
		ok   bool
	}{
		{"365d", true},
		{"720h", true},
		{"0", true},
		{"1d", true},
		{"23h", false},
		{"-5d", false},
		{"jaar", false},
	}
	for _, tc := range tests {
		code, _, errOut := runCLI(t, "", []string{"WAARDENBOT_POLLS_KEEP_CLOSED=" + tc.keep}, "ask", "/help")
		if tc.ok && code != exitOK {
			t.Errorf("keep_closed %q refused: %s", tc.keep, errOut)
		}
		if !tc.ok && (code != exitUsage || !strings.Contains(errOut, "polls.keep_closed")) {
			t.Errorf("keep_closed %q: exit %d, stderr %q; want a config error naming polls.keep_closed", tc.keep, code, errOut)
		}
	}
}

func TestConsoleRunsSchedulerAndStopsAtEndOfInput(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	code, out, errOut := runCLI(t, "/reflectie aan\n/reflectie nu\n/reflectie status\n", nil, "console", "--db", db)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"staat aan", "Welke opvatting herken je in onze fractie?", "1 van de 30"} {
		if !strings.Contains(out, want) {
			t.Errorf("console output lacks %q:\n%s", want, out)
		}
	}
	// The state is in the file for the next start.
	if _, out, _ := runCLI(t, "", nil, "ask", "--db", db, "/reflectie status"); !strings.Contains(out, "1 van de 30") {
		t.Errorf("state not kept after the console stopped:\n%s", out)
	}
}

// firstRead is a console's input that records what stdout and stderr held
// when the console first read from it (when a terminal would first show
// the prompt), then ends.
type firstRead struct {
	out  *testkit.Buffer
	seen chan string
}

func (f *firstRead) Read([]byte) (int, error) {
	select {
	case f.seen <- f.out.String():
	default:
	}
	return 0, io.EOF
}

func TestConsoleLogsStartUpBeforeItReadsALine(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	if code, _, errOut := runCLI(t, "", nil, "ask", "--db", db, "/reflectie aan"); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var out testkit.Buffer // stdout and stderr in the order they were written, as on a terminal
	in := &firstRead{out: &out, seen: make(chan string, 1)}
	if code := runMain(context.Background(), []string{"console", "--db", db}, in, &out, &out, nil); code != exitOK {
		t.Fatalf("exit %d: %s", code, out.String())
	}
	if before := <-in.seen; !strings.Contains(before, `msg="schedules restored" schedules=1`) {
		t.Errorf("the console read its first line before start-up had logged; before the first read:\n%s\nall:\n%s", before, out.String())
	}
}
