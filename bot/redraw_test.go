package bot_test

import (
	"context"
	"testing"

	"github.com/waardenbot/waardenbot/bot"
)

// TestOnlyAChangeRedrawsThePoll walks one poll through the requests that
// an adapter may answer with a redraw of the poll's message: only those
// that changed the poll, or that show it closed (its buttons must go),
// redraw it.
func TestOnlyAChangeRedrawsThePoll(t *testing.T) {
	f := newFixture(t, bot.Config{})
	id := f.mustPoll("anna", "c1", "/casus max=1 Camera's op het plein? | privacy, orde").ID
	if err := f.bot.PollPosted(context.Background(), id, "M1"); err != nil {
		t.Fatal(err)
	}
	click := func(user, key string) func() (string, bool, bool) {
		return func() (string, bool, bool) {
			r := f.bot.Toggle(context.Background(), req(user, "c1"), id, key)
			return r.Text, r.ChangesPoll(), r.RedrawsPoll()
		}
	}
	typed := func(user, text string) func() (string, bool, bool) {
		return func() (string, bool, bool) {
			r := f.do(user, "c1", text)
			return r.Text, r.ChangesPoll(), r.RedrawsPoll()
		}
	}
	steps := []struct {
		name   string
		do     func() (string, bool, bool)
		redraw bool
	}{
		{"a first vote", typed("bob", "/stem "+id+" privacy"), true},
		{"the same vote again", typed("bob", "/stem "+id+" privacy"), false},
		{"the result of the open poll", typed("bob", "/uitslag "+id), false},
		{"withdrawing no vote", typed("carol", "/stem "+id), false},
		{"a click that moves the vote", click("bob", "orde"), true},
		{"a vote for an unknown option", typed("bob", "/stem "+id+" gezag"), false},
		{"a click on an unknown option", click("bob", "gezag"), false},
		{"someone else closing", typed("bob", "/sluit "+id), false},
		{"the creator closing", typed("anna", "/sluit "+id), true},
		{"a vote in the closed poll", typed("bob", "/stem "+id+" privacy"), true},
		{"a click on the closed poll's buttons", click("carol", "orde"), true},
		{"closing it again", typed("anna", "/sluit "+id), true},
	}
	for _, s := range steps {
		text, changes, redraws := s.do()
		if changes != s.redraw || redraws != s.redraw {
			t.Errorf("%s: ChangesPoll %v, RedrawsPoll %v, want %v (%s)", s.name, changes, redraws, s.redraw, text)
		}
	}
}
