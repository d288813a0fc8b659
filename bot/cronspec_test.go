package bot

import (
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot/schedule"
	"github.com/waardenbot/waardenbot/knowledge"
)

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func mustSpec(t testing.TB, spec string, loc *time.Location) schedule.Spec {
	t.Helper()
	cs, err := schedule.ParseSpec(spec, loc, time.Date(2026, 1, 1, 0, 0, 0, 0, loc))
	if err != nil {
		t.Fatalf("ParseSpec(%q): %v", spec, err)
	}
	return cs
}

// TestSpecRefusalsHaveMessages: every reason package schedule gives for a
// refused spec is in both catalogs, and what the user typed comes back
// escaped.
func TestSpecRefusalsHaveMessages(t *testing.T) {
	b := testBot(t)
	ams := mustZone(t, "Europe/Amsterdam")
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, ams)
	for _, spec := range []string{"0 9 * * 7", "0 25 * * *", "60 9 * * 1", "0 9 * foo 1", "0 9 *", "0 0 9 * * 1 2026",
		"@wekelijks", "@every soon", "* * * * *", "0 9 30 2 *", "CRON_TZ=Europe/Amsterdam", "0 9 * * 1-*", "0 0 9 * * 1#2", "* * */0 * *"} {
		_, err := schedule.ParseSpec(spec, ams, now)
		var se *schedule.SpecError
		if !errors.As(err, &se) {
			t.Errorf("ParseSpec(%q) = %v, want a *SpecError", spec, err)
			continue
		}
		for name, c := range map[string]catalog{"dutch": dutch, "english": english} {
			if _, ok := c[se.Key]; !ok {
				t.Errorf("%s: no %s message for %s", spec, name, se.Key)
			}
		}
	}
	r := b.refuseSpec(&schedule.SpecError{Key: "spec.sunday", Args: []any{schedule.Echo{Text: "**7**", Max: 20}}})
	if !strings.Contains(r.Text, `\*\*7\*\*`) || r.Status != Refused {
		t.Errorf("refusal should echo the field escaped: %s", r.Text)
	}
}

func TestSplitSpecArgsReadsZoneFromTzOrCronTZ(t *testing.T) {
	tests := []struct {
		args, spec, zone string
		err              bool
	}{
		{"", "", "", false},
		{"0 9 * * 1", "0 9 * * 1", "", false},
		{"0 9 * * 1 tz=Europe/Brussels", "0 9 * * 1", "Europe/Brussels", false},
		{"CRON_TZ=Europe/Brussels 0 9 * * 1", "0 9 * * 1", "Europe/Brussels", false},
		{"CRON_TZ=", "", "=", false},
		{"TZ=Europe/Brussels 0 9 * * 1 tz=Europe/Amsterdam", "", "", true},
	}
	for _, tc := range tests {
		spec, zone, err := splitSpecArgs(tc.args)
		if (err != nil) != tc.err || spec != tc.spec || zone != tc.zone {
			t.Errorf("splitSpecArgs(%q) = %q, %q, %v; want %q, %q, err %v", tc.args, spec, zone, err, tc.spec, tc.zone, tc.err)
		}
	}
}

func testBot(t testing.TB) *Bot {
	t.Helper()
	return New(knowledge.MustLoad(), Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

func TestDescribeSaysTheSpecInDutchWords(t *testing.T) {
	b := testBot(t)
	ams := mustZone(t, "Europe/Amsterdam")
	tests := []struct{ spec, want string }{
		{"0 9 * * 1", "elke maandag om 09:00 (Europe/Amsterdam)"},
		{"30 16 * * 5", "elke vrijdag om 16:30 (Europe/Amsterdam)"},
		{"0 9 * * 1-5", "elke werkdag om 09:00 (Europe/Amsterdam)"},
		{"0 9 * * 1,4", "elke maandag en donderdag om 09:00 (Europe/Amsterdam)"},
		{"0 8,13 * * *", "elke dag om 08:00 en 13:00 (Europe/Amsterdam)"},
		{"0 9 1 * *", "op dag 1 van de maand om 09:00 (Europe/Amsterdam)"},
		{"0 9 * 1,7 1", "elke maandag in januari en juli om 09:00 (Europe/Amsterdam)"},
		{"30 0 9 * * 1", "elke maandag om 09:00:30 (Europe/Amsterdam)"},
		{"@weekly", "elke zondag om 00:00 (Europe/Amsterdam)"},
		{"@hourly", "elke dag, elk uur op minuut 0 (Europe/Amsterdam)"},
		{"@every 2h", "elke 2 uur (Europe/Amsterdam)"},
		{"0 9 1 * 1", "volgens het cron-schema `0 9 1 * 1` (Europe/Amsterdam)"},
	}
	for _, tc := range tests {
		if got := b.describe(mustSpec(t, tc.spec, ams)); got != tc.want {
			t.Errorf("describe(%q) = %q, want %q", tc.spec, got, tc.want)
		}
	}
}

func TestCatalogsHaveTheSameScheduleKeys(t *testing.T) {
	for k := range dutch {
		if _, ok := english[k]; !ok {
			t.Errorf("english lacks %s", k)
		}
	}
	for k := range english {
		if _, ok := dutch[k]; !ok {
			t.Errorf("dutch lacks %s", k)
		}
	}
	for _, k := range []string{"debat.state.", "debat.word."} {
		for _, s := range []schedule.DebateState{schedule.PrepPosted, schedule.PrepFailed, schedule.PrepMissed, schedule.PrepCancelled} {
			if _, ok := dutch[k+string(s)]; !ok {
				t.Errorf("dutch lacks %s%s", k, s)
			}
		}
	}
}

func FuzzParseSpec(f *testing.F) {
	for _, s := range []string{"0 9 * * 1", "CRON_TZ=Europe/Amsterdam", "TZ=", "@every 1h", "0 0 30 2 *", "*/0 * * * *", "@", "1-0 * * * *"} {
		f.Add(s)
	}
	ams := mustZone(f, "Europe/Amsterdam")
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, ams)
	f.Fuzz(func(t *testing.T, s string) {
		spec, zone, err := splitSpecArgs(CleanInput(s))
		if err != nil {
			return
		}
		loc := ams
		if zone != "" {
			l, ok := schedule.LoadZone(zone)
			if !ok {
				return
			}
			loc = l
		}
		cs, err := schedule.ParseSpec(spec, loc, now)
		if err != nil {
			return
		}
		if strings.TrimSpace(cs.Text()) == "" {
			t.Errorf("accepted an empty spec for %q", s)
		}
		if next := cs.Next(now); next.IsZero() || !next.After(now) {
			t.Errorf("accepted spec %q has no next run after now: %v", cs.Text(), next)
		}
	})
}

// TestEveryLiteralCatalogKeyExists reads the bot's source (and package
// schedule's) for msg.T and refuse calls and refusal and spec errors with a
// literal key, so that a typo shows as a failing test rather than as a key
// in a chat message.
func TestEveryLiteralCatalogKeyExists(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	more, err := filepath.Glob("schedule/*.go")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, more...)
	re := regexp.MustCompile(`(?:msg\.T\(|refuse\(|SpecError\{Key: |, key: )"([a-z_.]+[a-z_])"`)
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllSubmatch(src, -1) {
			n++
			key := string(m[1])
			for name, c := range map[string]catalog{"dutch": dutch, "english": english} {
				if _, ok := c[key]; !ok {
					t.Errorf("%s: key %q missing in %s", f, key, name)
				}
			}
		}
	}
	if n < 50 {
		t.Errorf("found only %d keys; is the pattern still right?", n)
	}
}
