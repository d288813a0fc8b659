package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot"
)

// The "stap – evalueren – volgende stap" of seed 004: a council weighs the
// energy allowance casus (seed 003) before and after a debate.
func TestARepeatShowsHowViewsMovedAcrossARestart(t *testing.T) {
	f := newFixture(t, bot.Config{})
	first := f.mustPoll("anna", "c1", "/casus max=2 "+energie+" | bestaanszekerheid, privacy, autonomie, leefbaarheid")
	// Before: 5 voters; privacy 2 (40%), bestaanszekerheid 4 (80%), autonomie 2 (40%), leefbaarheid 0.
	for u, choice := range map[string]string{"u1": "bestaanszekerheid, privacy", "u2": "bestaanszekerheid, privacy", "u3": "bestaanszekerheid, autonomie", "u4": "bestaanszekerheid", "u5": "autonomie"} {
		f.do(u, "c1", "/stem "+first.ID+" "+choice)
	}
	f.do("anna", "c1", "/sluit "+first.ID)

	r := f.do("bob", "c1", "/casus opnieuw "+first.ID+" duur=2d")
	if r.Status != bot.Answered || !r.NewPoll || r.Poll.Question != energie || len(r.Poll.Options) != 4 || r.Poll.Max != 2 || r.Poll.Repeats != first.ID {
		t.Fatalf("repeat: %s\n%+v", r.Text, r.Poll)
	}
	second := r.Poll
	if !strings.Contains(r.Text, "Herhaling van peiling `"+first.ID+"`") {
		t.Errorf("the new poll does not name the first:\n%s", r.Text)
	}
	f.restart()
	// After: 4 voters; privacy 3 (75%), bestaanszekerheid 2 (50%), leefbaarheid 2 (50%), autonomie 1 (25%).
	for u, choice := range map[string]string{"u1": "privacy, leefbaarheid", "u2": "privacy, bestaanszekerheid", "u3": "privacy, leefbaarheid", "u6": "bestaanszekerheid, autonomie"} {
		if v := f.do(u, "c1", "/stem "+second.ID+" "+choice); v.Status != bot.Answered {
			t.Fatal(v.Text)
		}
	}
	res := f.do("anna", "c1", "/uitslag "+second.ID)
	sh := res.Poll.Shift
	if sh == nil || sh.From != first.ID || sh.Voters != [2]int{5, 4} {
		t.Fatalf("shift %+v\n%s", sh, res.Text)
	}
	want := map[string][2]int{"privacy": {40, 75}, "bestaanszekerheid": {80, 50}, "leefbaarheid": {0, 50}, "autonomie": {40, 25}}
	for _, o := range sh.Options {
		if w := want[o.Key]; o.Before == nil || o.After == nil || *o.Before != w[0] || *o.After != w[1] {
			t.Errorf("%s: %v → %v, want %v", o.Key, o.Before, o.After, w)
		}
	}
	for _, line := range []string{
		"**Verschuiving sinds peiling `" + first.ID + "`** (5 → 4 stemmers)",
		"- **Privacy** 40% → 75%",
		"- **Bestaanszekerheid** 80% → 50%",
		"Per cluster (aandeel van alle gekozen waarden): Vrijheid 50% → 50%",
		"Herhaling van peiling `" + first.ID + "`",
	} {
		if !strings.Contains(res.Text, line) {
			t.Errorf("the result lacks %q:\n%s", line, res.Text)
		}
	}
	// The percentages are those the result shows.
	if !strings.Contains(res.Text, "- **Privacy** (Vrijheid): 3 stemmen (75%)") {
		t.Errorf("result:\n%s", res.Text)
	}
	if len(sh.Appeared)+len(sh.Disappeared) == 0 {
		t.Errorf("no tension moved: %+v", sh)
	}
	// /uitslag of the first poll mentions the repeat.
	if r := f.do("anna", "c1", "/uitslag "+first.ID); !strings.Contains(r.Text, "Herhaald in peiling `"+second.ID+"`") || r.Poll.RepeatedBy[0] != second.ID {
		t.Errorf("the first poll does not mention its repeat:\n%s", r.Text)
	}
}

func TestARepeatedStatementShowsHowAgreementMoved(t *testing.T) {
	f := newFixture(t, bot.Config{})
	first := f.mustPoll("anna", "c1", "/stelling anoniem Je moet als gemeente meer samenwerken met andere gemeenten").ID
	for u, c := range map[string]string{"u1": "eens", "u2": "oneens", "u3": "oneens", "u4": "neutraal"} {
		f.do(u, "c1", "/stem "+first+" "+c)
	}
	second := f.mustPoll("bob", "c1", "/stelling opnieuw "+first+" anoniem").ID
	for u, c := range map[string]string{"u1": "eens", "u2": "eens", "u3": "neutraal", "u4": "eens"} {
		f.do(u, "c1", "/stem "+second+" "+c)
	}
	r := f.do("bob", "c1", "/sluit "+second)
	for _, line := range []string{"- **eens** 25% → 75%", "- **oneens** 50% → 0%", "- **neutraal** 25% → 25%"} {
		if !strings.Contains(r.Text, line) {
			t.Errorf("the result lacks %q:\n%s", line, r.Text)
		}
	}
	if strings.Contains(r.Text, "Per cluster") {
		t.Errorf("a statement has no clusters:\n%s", r.Text)
	}
}

func TestARepeatIsRefusedForAnotherChannelOrWithText(t *testing.T) {
	f := newFixture(t, bot.Config{})
	first := f.mustPoll("anna", "c1", "/casus "+energie+" | bestaanszekerheid, privacy").ID
	tests := []struct{ channel, text, says string }{
		{"c2", "/casus opnieuw " + first, "ander kanaal"},
		{"c1", "/casus opnieuw " + first + " Een andere casus", "neem ik de tekst"},
		{"c1", "/casus opnieuw", "Typ na `opnieuw`"},
		{"c1", "/casus opnieuw zzzz", "ken ik niet"},
		{"c1", "/casus opnieuw " + first + " herinnering=2u", "niet sturen"},
	}
	for _, tc := range tests {
		if r := f.do("bob", tc.channel, tc.text); r.Status != bot.Refused || !strings.Contains(r.Text, tc.says) {
			t.Errorf("%s in %s: %s", tc.text, tc.channel, r.Text)
		}
	}
	// Until the repeat has votes, its result says the shift shows later.
	second := f.mustPoll("bob", "c1", "/casus opnieuw "+first).ID
	f.do("u1", "c1", "/stem "+second+" privacy")
	if r := f.do("bob", "c1", "/uitslag "+second); !strings.Contains(r.Text, "zodra beide peilingen stemmen hebben") {
		t.Errorf("shift without votes before:\n%s", r.Text)
	}
}

func TestTheShiftOfAPrunedFirstPollIsLeftOut(t *testing.T) {
	f := newFixture(t, bot.Config{KeepClosed: 24 * time.Hour})
	first := f.mustPoll("anna", "c1", "/casus "+energie+" | bestaanszekerheid, privacy").ID
	f.do("u1", "c1", "/stem "+first+" privacy")
	f.do("anna", "c1", "/sluit "+first)
	second := f.mustPoll("anna", "c1", "/casus opnieuw "+first).ID
	f.do("u1", "c1", "/stem "+second+" privacy")
	f.clock.Add(48 * time.Hour)
	f.bot.PruneClosed(context.Background())
	r := f.do("anna", "c1", "/uitslag "+second)
	if r.Status != bot.Answered || r.Poll.Shift != nil || strings.Contains(r.Text, "Verschuiving") {
		t.Errorf("after the first poll was deleted:\n%s", r.Text)
	}
}
