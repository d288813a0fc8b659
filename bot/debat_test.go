package bot

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/waardenbot/waardenbot/bot/schedule"
)

func TestParseDebatReadsDateTimeTopicAndPrepDays(t *testing.T) {
	b := testBot(t)
	ams := mustZone(t, "Europe/Amsterdam")
	tests := []struct {
		args    string
		at      time.Time
		hasTime bool
		topic   string
		days    int
	}{
		{"2026-12-10 19:30 Camera's in de binnenstad", time.Date(2026, 12, 10, 19, 30, 0, 0, ams), true, "Camera's in de binnenstad", 3},
		{"10-12-2026 Datalekken voorbereiding=5d", time.Date(2026, 12, 10, 0, 0, 0, 0, ams), false, "Datalekken", 5},
		{"2026-12-10 9.05 Algoritmen VOORBEREIDING=0", time.Date(2026, 12, 10, 9, 5, 0, 0, ams), true, "Algoritmen", 0},
		{"2026-12-10 voorbereiding=7dagen Slimme lantaarnpalen", time.Date(2026, 12, 10, 0, 0, 0, 0, ams), false, "Slimme lantaarnpalen", 7},
	}
	for _, tc := range tests {
		d, refusal := b.parseDebat(tc.args, ams)
		if refusal != nil {
			t.Errorf("parseDebat(%q) refused: %s", tc.args, refusal.Text)
			continue
		}
		if !d.At.Equal(tc.at) || d.HasTime != tc.hasTime || d.Topic != tc.topic || d.PrepDays != tc.days {
			t.Errorf("parseDebat(%q) = %+v", tc.args, d)
		}
	}
}

func TestParseDebatRefusesDaysThatDoNotExist(t *testing.T) {
	b := testBot(t)
	ams := mustZone(t, "Europe/Amsterdam")
	for _, args := range []string{"2026-02-30 Iets", "2026-02-29 Iets", "2026-13-01 Iets", "31-04-2026 Iets", "2026-12-10 24:00 Iets", "2026-12-10 19:60 Iets"} {
		if _, refusal := b.parseDebat(args, ams); refusal == nil || !strings.Contains(refusal.Text, "bestaat niet") {
			t.Errorf("parseDebat(%q) accepted or gave another reason", args)
		}
	}
}

func FuzzParseDebat(f *testing.F) {
	for _, s := range []string{"2026-12-10 19:30 Camera's", "2026-02-30 x", "10-12-2026 voorbereiding=999d x", "@channel", "0000-00-00 00:00 <!here>"} {
		f.Add(s)
	}
	b := testBot(f)
	ams := mustZone(f, "Europe/Amsterdam")
	f.Fuzz(func(t *testing.T, s string) {
		d, refusal := b.parseDebat(CleanInput(s), ams)
		if refusal != nil {
			return
		}
		if d.Topic == "" || utf8.RuneCountInString(d.Topic) > topicMax || d.PrepDays > schedule.MaxPrepDays {
			t.Errorf("accepted %q as %+v", s, d)
		}
		sc := schedule.Schedule{Topic: d.Topic, DebateAt: d.At, HasTime: d.HasTime}
		if card := b.prepCard(sc, ""); strings.Contains(card.Text, "@channel") || strings.Contains(card.Text, "<!") {
			t.Errorf("prep card for %q pings a channel", s)
		}
	})
}
