package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot"
)

// energie is the casus of seed 003: income data for the energy allowance.
const energie = "Mag de gemeente inkomensgegevens gebruiken om de energietoeslag automatisch toe te kennen?"

func TestParticipationCountsTheChannelsPeopleOnceAMinute(t *testing.T) {
	f := newFixture(t, bot.Config{})
	r := f.withRoster(map[string][]string{"c1": {"anna", "bob", "carla", "dirk", "eva"}})
	v := f.mustPoll("anna", "c1", "/casus "+energie+" | bestaanszekerheid, privacy, autonomie")
	if v.Participation == nil || *v.Participation != (bot.Participation{Voters: 0, Members: 5}) {
		t.Fatalf("participation of a new poll: %+v", v.Participation)
	}
	if p := v.Parts(); p.Participation != "0 van 5 kanaalleden hebben gestemd." || !strings.Contains(p.Markdown(), "0 stemmers. 0 van 5 kanaalleden hebben gestemd.") {
		t.Errorf("parts: %q\n%s", p.Participation, p.Markdown())
	}
	f.do("bob", "c1", "/stem "+v.ID+" privacy")
	m := f.bot.PollMessage(context.Background(), v.ID)
	if p := m.Poll.Parts(); p.Participation != "1 van 5 kanaalleden heeft gestemd." {
		t.Errorf("after a vote: %q", p.Participation)
	}
	for range 5 {
		f.bot.PollMessage(context.Background(), v.ID)
	}
	if counts, _ := r.calls(); counts != 1 {
		t.Errorf("the platform was asked %d times within a minute, want once", counts)
	}
	f.clock.Add(61 * time.Second)
	f.bot.PollMessage(context.Background(), v.ID)
	if counts, _ := r.calls(); counts != 2 {
		t.Errorf("after a minute the platform was asked %d times in all, want 2", counts)
	}
	closed := f.do("anna", "c1", "/sluit "+v.ID)
	if p := closed.Poll.Parts().Result; p.Participation != "1 van 5 kanaalleden heeft gestemd." || !strings.Contains(closed.Text, "1 stemmer. 1 van 5 kanaalleden heeft gestemd.") {
		t.Errorf("the result: %q\n%s", p.Participation, closed.Text)
	}
}

func TestParticipationIsLeftOutWhenThePlatformCannotTell(t *testing.T) {
	f := newFixture(t, bot.Config{})
	v := f.mustPoll("anna", "c1", "/stelling Je moet als gemeente meer samenwerken met andere gemeenten")
	if v.Participation != nil || v.Parts().Participation != "" {
		t.Errorf("without a roster: %+v %q", v.Participation, v.Parts().Participation)
	}
	r := f.withRoster(map[string][]string{"c1": {"anna"}})
	r.noCount = true
	if m := f.bot.PollMessage(context.Background(), v.ID); m.Poll.Participation != nil || strings.Contains(m.Text, "kanaalleden") {
		t.Errorf("a platform that does not tell: %s", m.Text)
	}
	// More voters than members (people voted and left): not said.
	r.noCount = false
	f.clock.Add(time.Minute)
	f.do("bob", "c1", "/stem "+v.ID+" eens")
	f.do("carla", "c1", "/stem "+v.ID+" oneens")
	if m := f.bot.PollMessage(context.Background(), v.ID); m.Poll.Participation != nil {
		t.Errorf("2 voters of 1 member: %+v", m.Poll.Participation)
	}
}

func TestCorrectionBeforeTheFirstVoteChangesTextOptionsMaxDeadlineAndHidden(t *testing.T) {
	f := newFixture(t, bot.Config{})
	id := f.mustPoll("anna", "c1", "/casus duur=2d Mag de gemeente inkomensgegevens gebruiken? | privacy, autonomie").ID
	tests := []struct {
		args  string
		check func(v *bot.PollView) bool
		says  string
	}{
		{energie, func(v *bot.PollView) bool { return v.Question == energie && len(v.Options) == 2 }, "de tekst"},
		{"| bestaanszekerheid, privacy, autonomie, leefbaarheid", func(v *bot.PollView) bool {
			return v.Question == energie && len(v.Options) == 4 && v.Options[0].Key == "bestaanszekerheid"
		}, "de waarden"},
		{"max=1 verborgen", func(v *bot.PollView) bool { return v.Max == 1 && v.Hidden }, "het aantal keuzes en of de aantallen verborgen zijn"},
		{"verborgen=nee tot=2026-11-24 17:00", func(v *bot.PollView) bool {
			return !v.Hidden && v.ClosesAt.Equal(time.Date(2026, 11, 24, 17, 0, 0, 0, f.clock.Now().Location()))
		}, "of de aantallen verborgen zijn en de sluittijd"},
	}
	for _, tc := range tests {
		r := f.do("anna", "c1", "/wijzig "+id+" "+tc.args)
		if r.Status != bot.Answered || !r.Changed || !tc.check(r.Poll) || !strings.Contains(r.Text, tc.says) {
			t.Errorf("/wijzig %s: %d %s\n%+v", tc.args, r.Status, r.Text, r.Poll)
		}
	}
	// The new deadline holds: the poll closes then, not at the old one.
	f.clock.Add(30 * time.Hour)
	if n, _ := f.bot.CloseDue(context.Background(), &fakePoster{}); n != 1 {
		t.Errorf("closed %d polls at the moved deadline, want 1", n)
	}
}

func TestAfterTheFirstVoteOnlyTheDeadlineMovesAndValuesAreAdded(t *testing.T) {
	f := newFixture(t, bot.Config{})
	id := f.mustPoll("anna", "c1", "/casus duur=2d "+energie+" | bestaanszekerheid, privacy").ID
	f.do("bob", "c1", "/stem "+id+" privacy")
	for _, args := range []string{"Andere tekst", "max=1", "verborgen", "| privacy, leefbaarheid"} {
		r := f.do("anna", "c1", "/wijzig "+id+" "+args)
		if r.Status != bot.Refused || r.Poll == nil || len(r.Poll.Options) != 2 || r.Poll.Question != energie {
			t.Errorf("/wijzig %s after a vote: %d %s", args, r.Status, r.Text)
		}
	}
	r := f.do("anna", "c1", "/wijzig "+id+" duur=1u | bestaanszekerheid, privacy, leefbaarheid")
	if r.Status != bot.Answered || len(r.Poll.Options) != 3 || !r.Poll.Options[2].Added || r.Poll.Options[2].AddedBy != "Naam anna" {
		t.Fatalf("deadline and an added value: %s\n%+v", r.Text, r.Poll.Options)
	}
	if got := r.Poll.ClosesAt; !got.Equal(f.clock.Now().Add(time.Hour)) {
		t.Errorf("deadline %s, want an hour from now", got)
	}
	// The deadline may move later and earlier, but not into the past.
	if r := f.do("anna", "c1", "/wijzig "+id+" tot=2026-11-01 10:00"); r.Status != bot.Refused || !strings.Contains(r.Text, "al voorbij") {
		t.Errorf("deadline in the past: %s", r.Text)
	}
	if v := votes(f.do("bob", "c1", "/uitslag "+id).Poll); v["privacy"] != 1 {
		t.Errorf("the vote was lost: %v", v)
	}
}

func TestAnonymityNeverChanges(t *testing.T) {
	f := newFixture(t, bot.Config{})
	open := f.mustPoll("anna", "c1", "/casus duur=1d "+energie+" | bestaanszekerheid, privacy").ID
	anon := f.mustPoll("anna", "c1", "/stelling anoniem Camera's horen niet in de binnenstad").ID
	for _, id := range []string{open, anon} {
		before := f.do("anna", "c1", "/uitslag "+id).Poll
		for _, args := range []string{"anoniem", "anoniem=nee", "ANONIEM=ja duur=2d", "anonymous", "verborgen anoniem=misschien Nieuwe tekst"} {
			r := f.do("anna", "c1", "/wijzig "+id+" "+args)
			if r.Status != bot.Refused || !strings.Contains(r.Text, "verandert nooit") {
				t.Errorf("/wijzig %s %s: %d %s", id, args, r.Status, r.Text)
			}
		}
		after := f.do("anna", "c1", "/uitslag "+id).Poll
		if after.Anonymous != before.Anonymous || after.Question != before.Question || after.Hidden != before.Hidden || !after.ClosesAt.Equal(before.ClosesAt) {
			t.Errorf("poll %s changed: %+v → %+v", id, before, after)
		}
	}
	// A word inside the text is text, not a setting.
	if r := f.do("anna", "c1", "/wijzig "+open+" Mag de gemeente anoniem gegevens delen?"); r.Status != bot.Answered {
		t.Errorf("anoniem inside the text: %s", r.Text)
	}
}

func TestOnlyTheCreatorOrAnAdminCorrectsAPoll(t *testing.T) {
	f := newFixture(t, bot.Config{Admins: []string{"root"}})
	id := f.mustPoll("anna", "c1", "/casus "+energie+" | bestaanszekerheid, privacy").ID
	if r := f.do("bob", "c1", "/wijzig "+id+" max=1"); r.Status != bot.Refused || !strings.Contains(r.Text, "alleen wijzigen wie hem begon") {
		t.Errorf("bob: %s", r.Text)
	}
	asked := false
	req := bot.Request{Platform: "console", Team: "T1", Channel: "c1", User: "kees", UserName: "kees",
		Admin: func(context.Context) bool { asked = true; return true }}
	if r := f.bot.HandleText(context.Background(), req, "/wijzig "+id+" max=1"); r.Status != bot.Answered || !asked {
		t.Errorf("a platform admin: asked %v, %s", asked, r.Text)
	}
	if r := f.do("root", "c1", "/wijzig "+id+" max=2"); r.Status != bot.Answered {
		t.Errorf("a configured admin: %s", r.Text)
	}
	if r := f.do("anna", "c2", "/wijzig "+id+" max=2"); r.Status != bot.Refused || !strings.Contains(r.Text, "ander kanaal") {
		t.Errorf("from another channel: %s", r.Text)
	}
	f.do("anna", "c1", "/sluit "+id)
	if r := f.do("anna", "c1", "/wijzig "+id+" max=1"); r.Status != bot.Refused || !strings.Contains(r.Text, "gesloten") {
		t.Errorf("a closed poll: %s", r.Text)
	}
	for _, args := range []string{"", id, id + " herinnering=2u", id + " aanvullen"} {
		if r := f.do("anna", "c1", "/wijzig "+args); r.Status != bot.Refused {
			t.Errorf("/wijzig %s: %s", args, r.Text)
		}
	}
}

func TestACorrectionRedrawsThePollsMessage(t *testing.T) {
	f := newFixture(t, bot.Config{})
	v := f.mustPoll("anna", "c1", "/casus "+energie+" | bestaanszekerheid, privacy")
	if err := f.bot.PollPosted(context.Background(), v.ID, "msg-1"); err != nil {
		t.Fatal(err)
	}
	r := f.do("anna", "c1", "/wijzig "+v.ID+" | bestaanszekerheid, privacy, leefbaarheid")
	m := &fakeMessages{}
	f.bot.AfterReply(context.Background(), r, m)
	if len(m.redrawn) != 1 || m.redrawn[0] != v.ID {
		t.Errorf("redrawn %v, want the poll", m.redrawn)
	}
	refused := f.do("bob", "c1", "/wijzig "+v.ID+" max=1")
	f.bot.AfterReply(context.Background(), refused, m)
	if len(m.redrawn) != 1 {
		t.Errorf("a refusal redrew the message")
	}
}

// fakeMessages is an adapter's PollMessages that records what it did.
type fakeMessages struct {
	posted  []string
	redrawn []string
}

func (m *fakeMessages) PostPoll(_ context.Context, r bot.Reply) (string, error) {
	m.posted = append(m.posted, r.Poll.ID)
	return "msg-" + r.Poll.ID, nil
}

func (m *fakeMessages) RedrawPoll(v *bot.PollView) { m.redrawn = append(m.redrawn, v.ID) }
