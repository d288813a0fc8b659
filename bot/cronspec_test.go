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

func mustSpec(t testing.TB, spec string, loc *time.Location) cronSpec {
	t.Helper()
	cs, err := parseSpec(spec, loc, time.Date(2026, 1, 1, 0, 0, 0, 0, loc))
	if err != nil {
		t.Fatalf("parseSpec(%q): %v", spec, err)
	}
	return cs
}

// TestNextAcrossDaylightSavingTime checks the runs around the last Sundays
// of March and October 2026 in Europe/Amsterdam.
func TestNextAcrossDaylightSavingTime(t *testing.T) {
	ams := mustZone(t, "Europe/Amsterdam")
	at := func(y int, m time.Month, d, h, min int, offset int) time.Time {
		return time.Date(y, m, d, h, min, 0, 0, time.FixedZone("", offset*3600))
	}
	tests := []struct {
		name  string
		spec  string
		after time.Time
		want  []time.Time
	}{
		{
			name:  "weekly 09:00 stays 09:00 local when summer time starts",
			spec:  "0 9 * * 1",
			after: at(2026, 3, 20, 12, 0, 1),
			want:  []time.Time{at(2026, 3, 23, 9, 0, 1), at(2026, 3, 30, 9, 0, 2), at(2026, 4, 6, 9, 0, 2)},
		},
		{
			name:  "weekly 09:00 stays 09:00 local when summer time ends",
			spec:  "0 9 * * 1",
			after: at(2026, 10, 16, 12, 0, 2),
			want:  []time.Time{at(2026, 10, 19, 9, 0, 2), at(2026, 10, 26, 9, 0, 1), at(2026, 11, 2, 9, 0, 1)},
		},
		{
			name:  "daily 02:30 runs once, at 03:00, on the spring-forward day",
			spec:  "30 2 * * *",
			after: at(2026, 3, 28, 12, 0, 1),
			want:  []time.Time{at(2026, 3, 29, 3, 0, 2), at(2026, 3, 30, 2, 30, 2)},
		},
		{
			name:  "daily 02:30 runs once, at the first 02:30, on the fall-back day",
			spec:  "30 2 * * *",
			after: at(2026, 10, 24, 12, 0, 2),
			want:  []time.Time{at(2026, 10, 25, 2, 30, 2), at(2026, 10, 26, 2, 30, 1)},
		},
		{
			name:  "every 2h counts elapsed time through the jump",
			spec:  "@every 2h",
			after: at(2026, 3, 29, 0, 0, 1),
			want:  []time.Time{at(2026, 3, 29, 2, 0, 1), at(2026, 3, 29, 4, 0, 1)},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := mustSpec(t, tc.spec, ams).upcoming(tc.after, len(tc.want))
			if len(got) != len(tc.want) {
				t.Fatalf("got %d runs %v, want %v", len(got), got, tc.want)
			}
			for i := range got {
				if !got[i].Equal(tc.want[i]) {
					t.Errorf("run %d = %s, want %s", i, got[i].In(ams), tc.want[i].In(ams))
				}
			}
		})
	}
}

func TestHourlyRunsAreDistinctAndIncreasingAroundDST(t *testing.T) {
	ams := mustZone(t, "Europe/Amsterdam")
	for _, day := range []time.Time{
		time.Date(2026, 3, 28, 20, 0, 0, 0, ams),
		time.Date(2026, 10, 24, 20, 0, 0, 0, ams),
	} {
		runs := mustSpec(t, "0 * * * *", ams).upcoming(day, 30)
		seen := map[string]bool{}
		for i, r := range runs {
			wall := r.In(ams).Format("2006-01-02 15:04")
			if seen[wall] {
				t.Errorf("wall time %s runs twice", wall)
			}
			seen[wall] = true
			if i > 0 && !r.After(runs[i-1]) {
				t.Errorf("run %s not after %s", r, runs[i-1])
			}
		}
	}
}

func TestParseCronRecoversFromCronTZPanic(t *testing.T) {
	// robfig/cron v3.0.1 panics on this input (issues #470, #554).
	_, err := parseCron("CRON_TZ=Europe/Amsterdam")
	if err == nil {
		t.Fatal("want an error for a zone with no spec")
	}
}

func TestParseSpecRefusals(t *testing.T) {
	ams := mustZone(t, "Europe/Amsterdam")
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, ams)
	tests := []struct {
		name, spec, key string
	}{
		{"seven is not Sunday", "0 9 * * 7", "spec.sunday"},
		{"hour out of range", "0 25 * * *", "spec.field.hour"},
		{"minute out of range", "60 9 * * 1", "spec.field.minute"},
		{"month name unknown", "0 9 * foo 1", "spec.field.month"},
		{"too few fields", "0 9 *", "spec.fields"},
		{"too many fields", "0 0 9 * * 1 2026", "spec.fields"},
		{"unknown descriptor", "@wekelijks", "spec.descriptor"},
		{"bad every", "@every soon", "spec.every"},
		{"every minute is too often", "* * * * *", "spec.often"},
		{"every 30 minutes is too often", "@every 30m", "spec.often"},
		{"two minutes in one hour is too often", "0,30 9 * * 1", "spec.often"},
		{"30 February never comes", "0 9 30 2 *", "spec.never"},
		{"zone prefix left inside the spec", "CRON_TZ=Europe/Amsterdam", "spec.fields"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseSpec(tc.spec, ams, now)
			var se *specError
			if !errors.As(err, &se) {
				t.Fatalf("parseSpec(%q) = %v, want a specError", tc.spec, err)
			}
			if se.Key != tc.key {
				t.Errorf("key = %s, want %s", se.Key, tc.key)
			}
			if _, ok := dutch[se.Key]; !ok {
				t.Errorf("no Dutch message for %s", se.Key)
			}
		})
	}
}

func TestParseSpecAccepts(t *testing.T) {
	ams := mustZone(t, "Europe/Amsterdam")
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, ams)
	for _, spec := range []string{"", "0 9 * * 1", "0 0 9 * * 1", "@weekly", "@daily", "@every 24h", "30 16 * * fri", "0 9 1,15 * *", "  0   9 * *   1 "} {
		if _, err := parseSpec(spec, ams, now); err != nil {
			t.Errorf("parseSpec(%q): %v", spec, err)
		}
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
		for _, s := range []DebateState{PrepPosted, PrepFailed, PrepMissed, PrepCancelled} {
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
			l, ok := loadZone(zone)
			if !ok {
				return
			}
			loc = l
		}
		cs, err := parseSpec(spec, loc, now)
		if err != nil {
			return
		}
		if strings.TrimSpace(cs.text) == "" {
			t.Errorf("accepted an empty spec for %q", s)
		}
		if next := cs.next(now); next.IsZero() || !next.After(now) {
			t.Errorf("accepted spec %q has no next run after now: %v", cs.text, next)
		}
	})
}

// TestEveryLiteralCatalogKeyExists reads the bot's source for msg.T and
// refuse calls and refusal and spec errors with a literal key, so that a typo shows as a failing test
// rather than as a key in a chat message.
func TestEveryLiteralCatalogKeyExists(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(?:msg\.T\(|refuse\(|specError\{Key: |, key: )"([a-z_.]+[a-z_])"`)
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
