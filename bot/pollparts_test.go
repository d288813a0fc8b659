package bot_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/waardenbot/waardenbot/bot"
)

// TestPollMessagesAreJoinedFromTheirParts: what the bot answers with is
// its parts joined, so that an adapter that lays out the parts itself
// shows the same sentences.
func TestPollMessagesAreJoinedFromTheirParts(t *testing.T) {
	f := newFixture(t, bot.Config{})
	start := f.do("anna", "c1", "/casus max=2 duur=1d Camera's op het plein? | privacy, orde, toegankelijkheid")
	id := start.Poll.ID
	parts := start.Poll.Parts()
	if parts == nil || start.Text != parts.Markdown() {
		t.Fatalf("new poll: text and parts differ:\n%s\n%+v", start.Text, parts)
	}
	f.do("bob", "c1", "/stem "+id+" privacy, toegankelijkheid")
	open := f.bot.PollMessage(context.Background(), id)
	if p := open.Poll.Parts(); open.Text != p.Markdown() || p.Result == nil || p.Closed != "" {
		t.Errorf("open poll message: %q, result %v", open.Text, p.Result)
	}
	res := f.do("bob", "c1", "/uitslag "+id)
	if res.Text != res.Poll.Parts().Result.Markdown() {
		t.Errorf("/uitslag: text and parts differ")
	}
	closed := f.do("anna", "c1", "/sluit "+id)
	p := closed.Poll.Parts()
	if !strings.HasSuffix(closed.Text, "\n\n"+p.Result.Markdown()) || !strings.Contains(p.Result.Title, "(gesloten)") {
		t.Errorf("/sluit: text %q does not end in the result parts", closed.Text)
	}
	msg := f.bot.PollMessage(context.Background(), id)
	if p := msg.Poll.Parts(); msg.Text != p.Markdown()+"\n\n"+p.Result.Markdown() || p.Closed == "" || p.HowTo != "" {
		t.Errorf("closed poll message: %q", msg.Text)
	}
}

func TestPollPartsSayEachPieceOnce(t *testing.T) {
	f := newFixture(t, bot.Config{})
	v := f.mustPoll("anna", "c1", "/casus max=2 duur=1d Camera's op **het** plein? | privacy, toegankelijkheid")
	f.do("bob", "c1", "/stem "+v.ID+" privacy")
	p := f.bot.PollMessage(context.Background(), v.ID).Poll.Parts()
	want := bot.PollParts{
		Title:     "**Casus** · peiling `" + v.ID + "` van Naam anna",
		Question:  `Camera's op \*\*het\*\* plein?`,
		Prompt:    "**Welke waarden wegen voor jou het zwaarst?** Kies er hooguit 2.",
		Voters:    "1 stemmer.",
		HowTo:     "Stem met `/stem " + v.ID + " privacy, toegankelijkheid` (of met de nummers); `/stem " + v.ID + "` alleen trekt je stem in.",
		HowToOne:  "Stem met `/stem " + v.ID + " privacy` (of met de nummers); `/stem " + v.ID + "` alleen trekt je stem in.",
		Closes:    "Sluit vanzelf op 2026-11-24 12:00.",
		Close:     bot.CloseParts{Button: "Sluit de peiling", Title: "Peiling sluiten?", Text: "Na het sluiten kan niemand meer stemmen en verschijnt de uitslag.", Confirm: "Sluiten", Cancel: "Annuleren"},
		Options:   []bot.OptionParts{{Label: "Privacy", Cluster: "Vrijheid", Votes: "1 stem", Button: "Privacy · 1"}, {Label: "Toegankelijkheid", Cluster: "_niet op de Waardenkaart_", Votes: "0 stemmen", Button: "Toegankelijkheid · 0"}},
		Result:    p.Result,
		Anonymous: "",
	}
	if !partsEqual(*p, want) {
		t.Errorf("parts\n%+v\nwant\n%+v", *p, want)
	}
	r := p.Result
	if r.Title != "**Uitslag van peiling `"+v.ID+"`** (tussenstand)" || r.Heading != "Stemmen per optie:" ||
		!slices.Equal(r.Options, []string{"- **Privacy** (Vrijheid): 1 stem (100%)", "- **Toegankelijkheid** (niet op de Waardenkaart): 0 stemmen (0%)"}) ||
		r.Clusters != "Per cluster: Vrijheid 1" || r.Tensions != "" || r.NoTension == "" || len(r.Questions) == 0 || !strings.HasPrefix(r.Citation, "_Bron: ") {
		t.Errorf("result parts %+v", *r)
	}
}

func partsEqual(a, b bot.PollParts) bool {
	return a.Title == b.Title && a.Question == b.Question && a.Prompt == b.Prompt && slices.Equal(a.Options, b.Options) &&
		a.Proposed == b.Proposed && a.Voters == b.Voters && a.Hidden == b.Hidden && a.Closed == b.Closed &&
		a.HowTo == b.HowTo && a.HowToOne == b.HowToOne && a.Anonymous == b.Anonymous && a.Closes == b.Closes &&
		a.Close == b.Close && a.Result == b.Result
}

func TestHiddenPollPartsShowNoCounts(t *testing.T) {
	f := newFixture(t, bot.Config{Lang: "en"})
	v := f.mustPoll("anna", "c1", "/stelling anoniem verborgen Tekst")
	f.do("bob", "c1", "/stem "+v.ID+" eens")
	res := f.do("bob", "c1", "/uitslag "+v.ID)
	p := res.Poll.Parts()
	for _, o := range p.Options {
		if o.Votes != "" || o.Cluster != "" || strings.Contains(o.Button, "·") {
			t.Errorf("hidden option parts %+v", o)
		}
	}
	if p.Hidden == "" || p.Anonymous == "" || !strings.HasPrefix(p.Title, "**Statement**") || p.Result == nil || p.Result.Hidden == "" || p.Result.Options != nil {
		t.Errorf("hidden poll parts %+v, result %+v", *p, p.Result)
	}
	if res.Poll.Result != nil {
		t.Errorf("the view shows a result of a hidden poll")
	}
}

func TestVoteReplyHasThePollInParts(t *testing.T) {
	f := newFixture(t, bot.Config{})
	id := f.mustPoll("anna", "c1", "/stelling Tekst").ID
	r := f.do("bob", "c1", "/stem "+id+" ja")
	if p := r.Poll.Parts(); p == nil || p.Options[0].Button != "eens · 1" || p.Result != nil {
		t.Errorf("parts of a vote's reply: %+v", p)
	}
	var none *bot.PollView
	if none.Parts() != nil || (&bot.PollView{}).Parts() != nil {
		t.Errorf("a view that did not come from the bot has parts")
	}
}

// TestCloseClosesAsSluitDoes: the close button's Bot.Close answers as a
// typed /sluit does.
func TestCloseClosesAsSluitDoes(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		req    bot.Request
		closes bool
	}{
		{"creator", req("anna", "c1"), true},
		{"someone else", req("bob", "c1"), false},
		{"an admin according to the platform", withAdmin(req("bob", "c1"), true), true},
		{"another channel", req("anna", "c2"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			byButton, byCommand := newFixture(t, bot.Config{}), newFixture(t, bot.Config{})
			a := byButton.mustPoll("anna", "c1", "/stelling Tekst").ID
			b := byCommand.mustPoll("anna", "c1", "/stelling Tekst").ID
			clicked := byButton.bot.Close(ctx, tc.req, strings.ToUpper(a))
			typed := byCommand.bot.HandleText(ctx, tc.req, "/sluit "+b)
			if (clicked.Status == bot.Answered) != tc.closes || clicked.Status != typed.Status || clicked.Changed != typed.Changed ||
				strings.ReplaceAll(clicked.Text, a, "ID") != strings.ReplaceAll(typed.Text, b, "ID") || (clicked.Poll == nil) != (typed.Poll == nil) {
				t.Errorf("button: %d %q\ncommand: %d %q", clicked.Status, clicked.Text, typed.Status, typed.Text)
			}
		})
	}
	f := newFixture(t, bot.Config{})
	if r := f.bot.Close(ctx, req("anna", "c1"), ""); r.Status != bot.Refused || !strings.Contains(r.Text, "/sluit ab3k") {
		t.Errorf("close without a poll: %s", r.Text)
	}
}
