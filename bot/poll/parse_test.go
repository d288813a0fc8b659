package poll

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestSettingsComeOffTheFrontOfTheText(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, amsterdam)
	tests := []struct {
		name, args, text string
		want             settings
	}{
		{"none", "Mag dit?", "Mag dit?", settings{}},
		{"anonymous and hidden in both languages", "anoniem HIDDEN Mag dit?", "Mag dit?", settings{anon: true, hidden: true, anonGiven: true, hiddenGiven: true}},
		{"switches with =ja and =nee", "verborgen=nee aanvullen=ja Mag dit?", "Mag dit?", settings{hiddenGiven: true, open: true, openGiven: true}},
		{"aanvullen", "aanvullen Mag dit?", "Mag dit?", settings{open: true, openGiven: true}},
		{"herinnering", "duur=2d herinnering=2u Mag dit?", "Mag dit?", settings{closesAt: now.Add(48 * time.Hour), remind: 2 * time.Hour, remindGiven: true}},
		{"max", "max=2 Mag dit?", "Mag dit?", settings{max: 2}},
		{"duur", "duur=1u30m Mag dit?", "Mag dit?", settings{closesAt: now.Add(90 * time.Minute)}},
		{"tot with a time as the next word", "tot=2026-11-24 17:00 Mag dit?", "Mag dit?", settings{closesAt: time.Date(2026, 11, 24, 17, 0, 0, 0, amsterdam)}},
		{"tot with a date alone ends that day", "tot=25-11-2026 Mag dit?", "Mag dit?", settings{closesAt: time.Date(2026, 11, 25, 23, 59, 0, 0, amsterdam)}},
		{"a setting word inside the text stays text", "Mag dit anoniem?", "Mag dit anoniem?", settings{}},
		{"settings only", "anoniem", "", settings{anon: true, anonGiven: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, text, err := parseSettings(tc.args, now, amsterdam)
			if err != nil || text != tc.text || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v %q %v, want %+v %q", got, text, err, tc.want, tc.text)
			}
		})
	}
}

func TestBadSettingsAreRefusedWithTheirReason(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, amsterdam)
	tests := []struct {
		name, args, key string
		args0           any // the first argument of the refusal, if any
	}{
		{"max=0", "max=0 x", "poll.bad_max", Echo{"0", 20}},
		{"max=99", "max=99 x", "poll.bad_max", Echo{"99", 20}},
		{"max not a number", "max=veel x", "poll.bad_max", Echo{"veel", 20}},
		{"negative duur", "duur=-5m x", "poll.duration_positive", Echo{"-5m", 20}},
		{"duur under a minute", "duur=0m x", "poll.duration_positive", Echo{"0m", 20}},
		{"unknown unit", "duur=5x x", "poll.bad_duration", Echo{"5x", 20}},
		{"junk around the units", "duur=5m! x", "poll.bad_duration", Echo{"5m!", 20}},
		{"duur too long", "duur=200d x", "poll.duration_long", Echo{"200d", 20}},
		{"unparsable date", "tot=2026-13-45 10:00 x", "poll.bad_date", Echo{"2026-13-45 10:00", 30}},
		{"date in the past", "tot=2026-11-01 10:00 x", "poll.date_past", time.Date(2026, 11, 1, 10, 0, 0, 0, amsterdam)},
		{"date too far", "tot=2027-06-01 x", "poll.duration_long", Echo{"2027-06-01", 30}},
		{"duur and tot", "duur=1d tot=2026-12-01 10:00 x", "poll.two_deadlines", nil},
		{"a switch with another value", "verborgen=misschien x", "poll.bad_switch", Echo{"verborgen=misschien", 30}},
		{"herinnering not a span", "herinnering=straks x", "poll.remind_bad", Echo{"straks", 20}},
		{"herinnering under a minute", "herinnering=0m x", "poll.remind_short", Echo{"0m", 20}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := parseSettings(tc.args, now, amsterdam)
			r := refusal(t, err)
			if r.Key != tc.key || !errors.Is(err, ErrBadInput) {
				t.Fatalf("refusal %s (%v), want %s wrapping ErrBadInput", r.Key, r.Err, tc.key)
			}
			if tc.args0 != nil && (len(r.Args) == 0 || !reflect.DeepEqual(r.Args[0], tc.args0)) {
				t.Errorf("arguments %v, want %v first", r.Args, tc.args0)
			}
		})
	}
}

func TestTextMustBeThereAndNotTooLong(t *testing.T) {
	tests := []struct {
		name, text, key string
	}{
		{"empty", "", "poll.empty"},
		{"spaces", "   ", "poll.empty"},
		{"3000 runes", strings.Repeat("é", 3000), ""},
		{"3001 runes", strings.Repeat("é", 3001), "poll.text_long"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := checkText(tc.text)
			if tc.key == "" {
				if err != nil {
					t.Errorf("refused: %v", err)
				}
				return
			}
			if r := refusal(t, err); r.Key != tc.key {
				t.Errorf("refusal %s, want %s", r.Key, tc.key)
			}
		})
	}
}

// TestDeadlineIsPlacedOnTheWallClock: tot= is read on the wall clock of the
// zone; a time in a gap closes at the jump.
func TestDeadlineIsPlacedOnTheWallClock(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, ny)
	for tot, want := range map[string]time.Time{
		"2026-03-08 02:30": time.Date(2026, 3, 8, 3, 0, 0, 0, ny), // in the spring-forward gap
		"8-3-2026":         time.Date(2026, 3, 8, 23, 59, 0, 0, ny),
		"2026-03-09 09.15": time.Date(2026, 3, 9, 9, 15, 0, 0, ny),
	} {
		if got, err := parseDeadline(tot, now, ny); err != nil || !got.Equal(want) {
			t.Errorf("%s: %s %v, want %s", tot, got, err, want)
		}
	}
}
