package bot_test

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot"
)

func TestCasusParsesSettingsAndValues(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		keys     []string
		onMap    []bool
		max      int
		anon     bool
		hidden   bool
		closesIn time.Duration // from the fixture's clock; 0: no deadline
		proposed bool
	}{
		{name: "defaults", text: "/casus Mag de gemeente dit? | privacy, gelijkheid",
			keys: []string{"privacy", "gelijkheid"}, onMap: []bool{true, true}, max: 3},
		{name: "smart quotes and double spaces", text: "/casus  anoniem   max=2  Mag  de “gemeente” dit?  |  “privacy” ,  ‘gelijkheid’ ",
			keys: []string{"privacy", "gelijkheid"}, onMap: []bool{true, true}, max: 2, anon: true},
		{name: "typo and synonym are forgiven", text: "/casus Tekst | privasy, keuze",
			keys: []string{"privacy", "keuzevrijheid"}, onMap: []bool{true, true}, max: 3},
		{name: "value not on the map is kept and marked", text: "/casus Tekst | gelijkheid, toegankelijkheid, digitale inclusie",
			keys: []string{"gelijkheid", "toegankelijkheid", "digitale-inclusie"}, onMap: []bool{true, false, false}, max: 3},
		{name: "duplicates are merged", text: "/casus Tekst | privacy, Privacy, privasy, gelijkheid, gelijkheid",
			keys: []string{"privacy", "gelijkheid"}, onMap: []bool{true, true}, max: 3},
		{name: "duur in minutes", text: "/casus verborgen duur=90m Tekst | privacy, gelijkheid",
			keys: []string{"privacy", "gelijkheid"}, onMap: []bool{true, true}, max: 3, hidden: true, closesIn: 90 * time.Minute},
		{name: "duur in days", text: "/casus duur=2d Tekst | privacy, gelijkheid",
			keys: []string{"privacy", "gelijkheid"}, onMap: []bool{true, true}, max: 3, closesIn: 48 * time.Hour},
		{name: "duur in hours and minutes", text: "/casus duur=1u30m Tekst | privacy, gelijkheid",
			keys: []string{"privacy", "gelijkheid"}, onMap: []bool{true, true}, max: 3, closesIn: 90 * time.Minute},
		{name: "tot with date and time in the bot's zone", text: "/casus tot=2026-11-24 17:00 Tekst | privacy, gelijkheid",
			keys: []string{"privacy", "gelijkheid"}, onMap: []bool{true, true}, max: 3, closesIn: 29 * time.Hour},
		{name: "without values the bot proposes them", text: "/casus Wil ik als gemeente AI inzetten om de eigen dienstverlening te verbeteren?",
			keys: []string{"menselijkheid", "doeltreffendheid", "gelijkheid", "betrokkenheid", "keuzevrijheid"}, onMap: []bool{true, true, true, true, true}, max: 3, proposed: true},
		{name: "stelling", text: "/stelling anoniem De gemeente mag inkomensgegevens hergebruiken.",
			keys: []string{"eens", "neutraal", "oneens"}, onMap: []bool{false, false, false}, max: 1, anon: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, bot.Config{})
			v := f.mustPoll("u1", "c1", tc.text)
			var keys []string
			var onMap []bool
			for _, o := range v.Options {
				keys = append(keys, o.Key)
				onMap = append(onMap, o.OnMap)
			}
			if !slices.Equal(keys, tc.keys) || !slices.Equal(onMap, tc.onMap) {
				t.Errorf("options %v on map %v, want %v %v", keys, onMap, tc.keys, tc.onMap)
			}
			if v.Max != tc.max || v.Anonymous != tc.anon || v.Hidden != tc.hidden || v.Proposed != tc.proposed {
				t.Errorf("max %d anon %v hidden %v proposed %v, want %d %v %v %v", v.Max, v.Anonymous, v.Hidden, v.Proposed, tc.max, tc.anon, tc.hidden, tc.proposed)
			}
			var want time.Time
			if tc.closesIn > 0 {
				want = f.clock.Now().Add(tc.closesIn)
			}
			if !v.ClosesAt.Equal(want) {
				t.Errorf("closes at %v, want %v", v.ClosesAt, want)
			}
			if !pollIDPattern.MatchString(v.ID) {
				t.Errorf("ID %q is not 4-6 unambiguous characters", v.ID)
			}
		})
	}
}

func TestCasusRefusesBadInputNamingTheReason(t *testing.T) {
	many := "a1, b2, c3, d4, e5, f6, g7, h8, i9, j10, k11"
	tests := []struct {
		name, text, reason string
	}{
		{"max=0", "/casus max=0 Tekst | privacy, gelijkheid", "`max=0` kan niet: kies een getal van 1 tot en met 10"},
		{"max=99", "/casus max=99 Tekst | privacy, gelijkheid", "`max=99` kan niet"},
		{"max not a number", "/casus max=veel Tekst | privacy, gelijkheid", "`max=veel` kan niet"},
		{"negative duur", "/casus duur=-5m Tekst | privacy, gelijkheid", "`duur=-5m` kan niet: een peiling moet minstens een minuut open zijn"},
		{"unknown unit", "/casus duur=5x Tekst | privacy, gelijkheid", "`duur=5x` begrijp ik niet"},
		{"duur too long", "/casus duur=200d Tekst | privacy, gelijkheid", "hooguit 90 dagen"},
		{"unparsable date", "/casus tot=2026-13-45 10:00 Tekst | privacy, gelijkheid", "De datum ‘2026-13-45 10:00’ begrijp ik niet"},
		{"date in the past", "/casus tot=2026-11-01 10:00 Tekst | privacy, gelijkheid", "2026-11-01 10:00 is al voorbij"},
		{"duur and tot", "/casus duur=1d tot=2026-12-01 10:00 Tekst | privacy, gelijkheid", "niet allebei"},
		{"more than ten options", "/casus Tekst | " + many, "Dat zijn 11 waarden; een peiling heeft er hooguit 10"},
		{"one option", "/casus Tekst | privacy", "Ik las 1 waarde; een peiling heeft er minstens 2 nodig"},
		{"one option after merging", "/casus Tekst | privacy, Privacy", "Ik las 1 waarde;"},
		{"no text", "/casus | privacy, gelijkheid", "Typ na het commando de tekst"},
		{"3001 characters", "/casus " + strings.Repeat("é", 3001) + " | privacy, gelijkheid", "De tekst is 3001 tekens lang; ik neem er hooguit 3000."},
		{"20,000 characters", "/casus " + strings.Repeat("a", 20000) + " | privacy, gelijkheid", "De tekst is 20000 tekens lang; ik neem er hooguit 3000."},
		{"nothing at stake found", "/casus Blabla blabla.", "Noem ze zelf na een streep"},
		{"max in a stelling", "/stelling max=2 De gemeente moet dit doen.", "`max=` kan daar niet"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, bot.Config{})
			r := f.do("u1", "c1", tc.text)
			if r.Status != bot.Refused || !r.Ephemeral || r.Poll != nil {
				t.Fatalf("want an ephemeral refusal without poll, got status %d ephemeral %v: %s", r.Status, r.Ephemeral, r.Text)
			}
			if !strings.Contains(r.Text, tc.reason) {
				t.Errorf("reply %q does not say %q", r.Text, tc.reason)
			}
			if open := f.do("u1", "c1", "/peilingen"); !strings.Contains(open.Text, "geen open peilingen") {
				t.Errorf("a refused poll was stored: %s", open.Text)
			}
		})
	}
}

func TestCasusOf3000CharactersIsAccepted(t *testing.T) {
	f := newFixture(t, bot.Config{})
	f.mustPoll("u1", "c1", "/casus "+strings.Repeat("é", 3000)+" | privacy, gelijkheid")
}

func TestCasusNeutralisesMentionsAndEscapesMarkdown(t *testing.T) {
	f := newFixture(t, bot.Config{})
	r := f.do("u1", "c1", "/casus @channel <!here> kijk **hier** | privacy, @here")
	if r.Status != bot.Answered {
		t.Fatal(r.Text)
	}
	for _, s := range []string{r.Text, r.Poll.Question, r.Poll.Options[1].Label} {
		for _, m := range []string{"@channel", "@here", "<!here"} {
			if strings.Contains(s, m) {
				t.Errorf("%q contains the mention %s", s, m)
			}
		}
	}
	if strings.Contains(r.Text, "**hier**") || !strings.Contains(r.Text, `\*\*hier\*\*`) {
		t.Errorf("Markdown of the casus is not escaped: %s", r.Text)
	}
}

func TestCasusSaysItProposedTheValues(t *testing.T) {
	f := newFixture(t, bot.Config{})
	r := f.do("u1", "c1", "/casus Mag de gemeente camera's met gezichtsherkenning ophangen?")
	if r.Status != bot.Answered || !r.Poll.Proposed || !strings.Contains(r.Text, "stelde ik voor op basis van de tekst") {
		t.Fatalf("want proposed values with a note, got %d: %s", r.Status, r.Text)
	}
	if !slices.Contains(slices.Collect(maps.Keys(votes(r.Poll))), "privacy") {
		t.Errorf("privacy not proposed for cameras: %v", votes(r.Poll))
	}
}

func TestPollCommandsWithoutStoreSaySo(t *testing.T) {
	b := bot.New(kb, bot.Config{}, nil)
	for _, text := range []string{"/casus Tekst | privacy, gelijkheid", "/stelling Tekst", "/stem ab3k 1", "/sluit ab3k", "/uitslag ab3k", "/peilingen"} {
		r := b.HandleText(t.Context(), req("u1", "c1"), text)
		if r.Status != bot.Refused || !strings.Contains(r.Text, "Peilingen zijn niet beschikbaar") {
			t.Errorf("%s: %d %s", text, r.Status, r.Text)
		}
	}
}
