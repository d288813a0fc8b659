package schedule

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func mustSpec(t testing.TB, spec string, loc *time.Location) Spec {
	t.Helper()
	cs, err := ParseSpec(spec, loc, time.Date(2026, 1, 1, 0, 0, 0, 0, loc))
	if err != nil {
		t.Fatalf("ParseSpec(%q): %v", spec, err)
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
			got := mustSpec(t, tc.spec, ams).Upcoming(tc.after, len(tc.want))
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
		runs := mustSpec(t, "0 * * * *", ams).Upcoming(day, 30)
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
			_, err := ParseSpec(tc.spec, ams, now)
			var se *SpecError
			if !errors.As(err, &se) {
				t.Fatalf("ParseSpec(%q) = %v, want a *SpecError", tc.spec, err)
			}
			if se.Key != tc.key {
				t.Errorf("key = %s, want %s", se.Key, tc.key)
			}
		})
	}
}

func TestParseSpecAccepts(t *testing.T) {
	ams := mustZone(t, "Europe/Amsterdam")
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, ams)
	for _, spec := range []string{"", "0 9 * * 1", "0 0 9 * * 1", "@weekly", "@daily", "@every 24h", "30 16 * * fri", "0 9 1,15 * *", "  0   9 * *   1 "} {
		if _, err := ParseSpec(spec, ams, now); err != nil {
			t.Errorf("ParseSpec(%q): %v", spec, err)
		}
	}
}

func TestSpecErrorsEchoWhatTheUserTyped(t *testing.T) {
	ams := mustZone(t, "Europe/Amsterdam")
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, ams)
	tests := []struct {
		spec string
		arg  any
	}{
		{"0 9 * * 7", Echo{"7", 20}},
		{"0 25 * * *", Echo{"25", 20}},
		{"@wekelijks", Echo{"@wekelijks", 30}},
		{"@every soon", Echo{"soon", 30}},
		{"0 9 *", 3},
	}
	for _, tc := range tests {
		_, err := ParseSpec(tc.spec, ams, now)
		var se *SpecError
		if !errors.As(err, &se) || len(se.Args) != 1 || se.Args[0] != tc.arg {
			t.Errorf("ParseSpec(%q) = %#v, want one argument %#v", tc.spec, err, tc.arg)
		}
	}
}

func TestLoadZoneRefusesZonesAChannelCannotShare(t *testing.T) {
	for _, name := range []string{"", "Local", "local", "=", "Mars/Olympus"} {
		if _, ok := LoadZone(name); ok {
			t.Errorf("LoadZone(%q) accepted", name)
		}
	}
	if loc, ok := LoadZone("Europe/Brussels"); !ok || loc.String() != "Europe/Brussels" {
		t.Errorf("LoadZone(Europe/Brussels) = %v, %v", loc, ok)
	}
}

func TestFieldsTakeTheSpecApart(t *testing.T) {
	ams := mustZone(t, "Europe/Amsterdam")
	tests := []struct {
		spec string
		want Fields
	}{
		{"0 9 * * 1", Fields{Second: []int{0}, Minute: []int{0}, Hour: []int{9}, Dow: []int{1}}},
		{"30 0 9 1,15 jan-feb *", Fields{Second: []int{30}, Minute: []int{0}, Hour: []int{9}, Dom: []int{1, 15}, Month: []int{1, 2}}},
		{"@hourly", Fields{Second: []int{0}, Minute: []int{0}}},
		{"@weekly", Fields{Second: []int{0}, Minute: []int{0}, Hour: []int{0}, Dow: []int{0}}},
		{"@every 2h", Fields{Every: 2 * time.Hour}},
	}
	for _, tc := range tests {
		got := mustSpec(t, tc.spec, ams).Fields()
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("Fields(%q) = %+v, want %+v", tc.spec, got, tc.want)
		}
	}
}
