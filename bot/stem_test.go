package bot_test

import (
	"context"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot"
)

const casus = "/casus max=2 Als je weet dat iemand recht heeft op een toeslag, ken je die dan automatisch toe? | gelijkheid, keuzevrijheid, toegankelijkheid, privacy"

func TestVoteAgainReplacesEarlierVote(t *testing.T) {
	f := newFixture(t, bot.Config{})
	id := f.mustPoll("anna", "c1", casus).ID
	f.do("bob", "c1", "/stem "+id+" gelijkheid, privacy")
	r := f.do("bob", "c1", "/stem "+id+" keuzevrijheid")
	want := map[string]int{"gelijkheid": 0, "keuzevrijheid": 1, "toegankelijkheid": 0, "privacy": 0}
	if r.Status != bot.Answered || !maps.Equal(votes(r.Poll), want) || r.Poll.Voters != 1 {
		t.Fatalf("got %d %v voters %d, want %v and 1 voter: %s", r.Status, votes(r.Poll), r.Poll.Voters, want, r.Text)
	}
}

func TestStemWithNothingAfterTheIDWithdrawsTheVote(t *testing.T) {
	f := newFixture(t, bot.Config{})
	id := f.mustPoll("anna", "c1", casus).ID
	f.do("bob", "c1", "/stem "+id+" 1 4")
	f.do("carla", "c1", "/stem "+id+" 1")
	r := f.do("bob", "c1", "/stem "+strings.ToUpper(id))
	if r.Status != bot.Answered || !strings.Contains(r.Text, "ingetrokken") {
		t.Fatal(r.Text)
	}
	if got := votes(r.Poll); got["gelijkheid"] != 1 || got["privacy"] != 0 || r.Poll.Voters != 1 {
		t.Errorf("after withdrawal: %v voters %d", got, r.Poll.Voters)
	}
}

func TestRefusedVoteKeepsEarlierVote(t *testing.T) {
	tests := []struct {
		name, vote, reason string
	}{
		{"more than max", "gelijkheid, privacy, keuzevrijheid", "Dat zijn 3 keuzes; in deze peiling mag je er hooguit 2 kiezen"},
		{"unknown option", "gelijkheid, vooruitgang", "‘vooruitgang’ staat niet in peiling"},
		{"number out of range", "7", "‘7’ staat niet in peiling"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, bot.Config{})
			id := f.mustPoll("anna", "c1", casus).ID
			f.do("bob", "c1", "/stem "+id+" privacy")
			r := f.do("bob", "c1", "/stem "+id+" "+tc.vote)
			if r.Status != bot.Refused || !r.Ephemeral || !strings.Contains(r.Text, tc.reason) {
				t.Fatalf("want a refusal saying %q, got %d: %s", tc.reason, r.Status, r.Text)
			}
			if !strings.Contains(r.Text, "Je eerdere stem blijft staan: **Privacy**") {
				t.Errorf("refusal does not say the earlier vote stays: %s", r.Text)
			}
			res := f.do("anna", "c1", "/uitslag "+id)
			if got := votes(res.Poll); got["privacy"] != 1 || res.Poll.Voters != 1 || got["gelijkheid"] != 0 {
				t.Errorf("earlier vote changed: %v", got)
			}
		})
	}
}

func TestVoteFromAnotherChannelIsRefused(t *testing.T) {
	f := newFixture(t, bot.Config{})
	id := f.mustPoll("anna", "c1", casus).ID
	for _, text := range []string{"/stem " + id + " privacy", "/uitslag " + id, "/sluit " + id} {
		r := f.do("anna", "c2", text)
		if r.Status != bot.Refused || !strings.Contains(r.Text, "hoort bij een ander kanaal") || r.Poll != nil {
			t.Errorf("%s from another channel: %d %s", text, r.Status, r.Text)
		}
	}
	if r := f.do("anna", "c1", "/uitslag "+id); r.Poll.Voters != 0 || r.Poll.Closed {
		t.Errorf("poll changed from another channel: voters %d closed %v", r.Poll.Voters, r.Poll.Closed)
	}
}

func TestVoteInClosedPollIsRefused(t *testing.T) {
	f := newFixture(t, bot.Config{})
	byHand := f.mustPoll("anna", "c1", casus).ID
	byDeadline := f.mustPoll("anna", "c1", "/stelling duur=1u Tekst").ID
	f.do("bob", "c1", "/stem "+byHand+" privacy")
	if r := f.do("anna", "c1", "/sluit "+byHand); r.Status != bot.Answered || !r.Poll.Closed {
		t.Fatalf("close: %s", r.Text)
	}
	f.clock.Add(time.Hour) // the deadline loop has not run: the deadline alone closes it
	for _, id := range []string{byHand, byDeadline} {
		r := f.do("bob", "c1", "/stem "+id+" 1")
		if r.Status != bot.Refused || !strings.Contains(r.Text, "is gesloten; stemmen kan niet meer") {
			t.Errorf("vote in closed poll %s: %d %s", id, r.Status, r.Text)
		}
	}
	if r := f.do("bob", "c1", "/uitslag "+byHand); votes(r.Poll)["privacy"] != 1 {
		t.Errorf("vote before closing lost: %v", votes(r.Poll))
	}
}

func TestOnlyCreatorOrAdminClosesAPoll(t *testing.T) {
	tests := []struct {
		name   string
		cfg    bot.Config
		req    bot.Request
		closes bool
	}{
		{"creator", bot.Config{}, req("anna", "c1"), true},
		{"someone else", bot.Config{}, req("bob", "c1"), false},
		{"admin by user ID in config", bot.Config{Admins: []string{"bob"}}, req("bob", "c1"), true},
		{"admin by name in config", bot.Config{Admins: []string{"Naam bob"}}, req("bob", "c1"), true},
		{"admin according to the platform", bot.Config{}, withAdmin(req("bob", "c1"), true), true},
		{"no admin according to the platform", bot.Config{}, withAdmin(req("bob", "c1"), false), false},
	}
	for _, anon := range []string{"", "anoniem "} {
		for _, tc := range tests {
			t.Run(anon+tc.name, func(t *testing.T) {
				f := newFixture(t, tc.cfg)
				id := f.mustPoll("anna", "c1", "/stelling "+anon+"Tekst").ID
				r := f.bot.HandleText(context.Background(), tc.req, "/sluit "+id)
				if tc.closes != (r.Status == bot.Answered) {
					t.Fatalf("closes %v, want %v: %s", r.Status == bot.Answered, tc.closes, r.Text)
				}
				if !tc.closes && !strings.Contains(r.Text, "kan alleen sluiten wie hem begon, of een beheerder") {
					t.Errorf("refusal does not say who may close: %s", r.Text)
				}
				if again := f.do("anna", "c1", "/sluit "+id); tc.closes != strings.Contains(again.Text, "is al gesloten") {
					t.Errorf("second close: %s", again.Text)
				}
			})
		}
	}
}

func withAdmin(r bot.Request, admin bool) bot.Request {
	r.Admin = func(context.Context) bool { return admin }
	return r
}

func TestCreatorClosesWithoutAskingThePlatform(t *testing.T) {
	f := newFixture(t, bot.Config{})
	id := f.mustPoll("anna", "c1", "/stelling Tekst").ID
	r := req("anna", "c1")
	r.Admin = func(context.Context) bool { t.Error("the platform was asked about the poll's creator"); return false }
	if got := f.bot.HandleText(context.Background(), r, "/sluit "+id); got.Status != bot.Answered {
		t.Errorf("creator could not close: %s", got.Text)
	}
}

func TestToggleAddsRemovesAndRespectsMax(t *testing.T) {
	f := newFixture(t, bot.Config{})
	id := f.mustPoll("anna", "c1", casus).ID
	ctx := context.Background()
	bob := req("bob", "c1")
	steps := []struct {
		key    string
		status bot.Status
		want   map[string]int
	}{
		{"privacy", bot.Answered, map[string]int{"privacy": 1}},
		{"gelijkheid", bot.Answered, map[string]int{"privacy": 1, "gelijkheid": 1}},
		{"keuzevrijheid", bot.Refused, map[string]int{"privacy": 1, "gelijkheid": 1}},
		{"privacy", bot.Answered, map[string]int{"gelijkheid": 1}},
		{"nope", bot.Refused, map[string]int{"gelijkheid": 1}},
		{"gelijkheid", bot.Answered, map[string]int{}},
	}
	for i, s := range steps {
		r := f.bot.Toggle(ctx, bob, id, s.key)
		got := votes(r.Poll)
		maps.DeleteFunc(got, func(_ string, n int) bool { return n == 0 })
		if r.Status != s.status || !maps.Equal(got, s.want) {
			t.Fatalf("step %d (%s): status %d votes %v, want %d %v: %s", i, s.key, r.Status, got, s.status, s.want, r.Text)
		}
	}
}

func TestToggleInStatementMovesTheVote(t *testing.T) {
	f := newFixture(t, bot.Config{})
	id := f.mustPoll("anna", "c1", "/stelling Tekst").ID
	f.bot.Toggle(context.Background(), req("bob", "c1"), id, "eens")
	r := f.bot.Toggle(context.Background(), req("bob", "c1"), id, "oneens")
	if got := votes(r.Poll); got["eens"] != 0 || got["oneens"] != 1 || r.Poll.Voters != 1 {
		t.Errorf("got %v", got)
	}
}

func TestStatementAcceptsEverydayWords(t *testing.T) {
	f := newFixture(t, bot.Config{})
	id := f.mustPoll("anna", "c1", "/stelling Tekst").ID
	for user, word := range map[string]string{"a": "ja", "b": "eens", "c": "tegen", "d": "2"} {
		if r := f.do(user, "c1", "/stem "+id+" "+word); r.Status != bot.Answered {
			t.Fatalf("%s: %s", word, r.Text)
		}
	}
	if got := votes(f.do("a", "c1", "/uitslag "+id).Poll); got["eens"] != 2 || got["oneens"] != 1 || got["neutraal"] != 1 {
		t.Errorf("got %v", got)
	}
}

func TestHiddenPollShowsNoCountsUntilClosed(t *testing.T) {
	f := newFixture(t, bot.Config{})
	id := f.mustPoll("anna", "c1", "/casus verborgen Tekst | privacy, gelijkheid").ID
	r := f.do("bob", "c1", "/stem "+id+" privacy")
	res := f.do("bob", "c1", "/uitslag "+id)
	for _, v := range []*bot.PollView{r.Poll, res.Poll} {
		if v.Voters != 1 || v.Result != nil || votes(v)["privacy"] != 0 {
			t.Errorf("hidden poll leaks: voters %d result %v votes %v", v.Voters, v.Result, votes(v))
		}
	}
	if strings.Contains(res.Text, "Privacy**") && strings.Contains(res.Text, "1 stem") {
		t.Errorf("hidden result text leaks counts: %s", res.Text)
	}
	closed := f.do("anna", "c1", "/sluit "+id)
	if votes(closed.Poll)["privacy"] != 1 || closed.Poll.Result == nil {
		t.Errorf("closed hidden poll shows no counts: %v", votes(closed.Poll))
	}
}

func TestPeilingenListsOpenPollsOfTheChannel(t *testing.T) {
	f := newFixture(t, bot.Config{})
	a := f.mustPoll("anna", "c1", "/stelling Eerste stelling").ID
	f.clock.Add(time.Second)
	b := f.mustPoll("anna", "c1", "/casus duur=1u Tweede | privacy, orde").ID
	c := f.mustPoll("anna", "c1", "/stelling Derde").ID
	other := f.mustPoll("anna", "c2", "/stelling Elders").ID
	f.do("anna", "c1", "/sluit "+c)
	r := f.do("bob", "c1", "/peilingen")
	for id, want := range map[string]bool{a: true, b: true, c: false, other: false} {
		if strings.Contains(r.Text, "`"+id+"`") != want {
			t.Errorf("poll %s listed %v, want %v: %s", id, !want, want, r.Text)
		}
	}
	if strings.Index(r.Text, a) > strings.Index(r.Text, b) {
		t.Errorf("not oldest first: %s", r.Text)
	}
	f.clock.Add(2 * time.Hour)
	if r := f.do("bob", "c1", "/peilingen"); strings.Contains(r.Text, b) {
		t.Errorf("poll past its deadline still listed: %s", r.Text)
	}
}

func TestOnlyANewPollIsPostedAsItsOwnMessage(t *testing.T) {
	f := newFixture(t, bot.Config{})
	start := f.do("anna", "c1", "/casus verborgen Camera's op het plein? | privacy, orde")
	if !start.PostsPoll() {
		t.Fatalf("a new poll is not posted as its own message: %+v", start)
	}
	id := start.Poll.ID
	// An open hidden poll's /uitslag has no result yet; it is still text.
	for _, text := range []string{"/uitslag " + id, "/stem " + id + " privacy", "/peilingen"} {
		if r := f.do("bob", "c1", text); r.PostsPoll() {
			t.Errorf("%s would be posted as a new poll message", text)
		}
	}
}
