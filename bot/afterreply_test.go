package bot_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/bot/store"
	"github.com/waardenbot/waardenbot/knowledge"
)

// pollMessages is a platform that records what AfterReply asks of it.
type pollMessages struct {
	fail    error
	posted  []string // poll IDs
	redrawn []string // poll IDs
}

func (p *pollMessages) PostPoll(_ context.Context, r bot.Reply) (string, error) {
	if p.fail != nil {
		return "", p.fail
	}
	p.posted = append(p.posted, r.Poll.ID)
	return "msg-" + r.Poll.ID, nil
}

func (p *pollMessages) RedrawPoll(v *bot.PollView) { p.redrawn = append(p.redrawn, v.ID) }

func newStoreBot(t *testing.T) *bot.Bot {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return bot.New(knowledge.MustLoad(), bot.Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)), bot.WithStore(st))
}

func TestAfterReplyPostsANewPollAndRedrawsItWhenItChanges(t *testing.T) {
	ctx := context.Background()
	b := newStoreBot(t)
	as := func(user string) bot.Request {
		return bot.Request{Platform: "slack", Team: "T1", Channel: "C1", User: user, UserName: user}
	}
	m := &pollMessages{}
	r := b.HandleText(ctx, as("anna"), "/casus Camera's op het plein? | privacy, orde")
	if !b.AfterReply(ctx, r, m) || len(m.posted) != 1 {
		t.Fatalf("a new poll was not posted: %v", m.posted)
	}
	id := r.Poll.ID
	if got := b.PollMessage(ctx, id).Poll.Message; got != "msg-"+id {
		t.Errorf("the poll's own message is %q, want it recorded", got)
	}
	for _, tc := range []struct {
		user, text string
		redraw     bool
	}{
		{"bob", "/stem " + id + " orde", true},
		{"bob", "/stem " + id + " orde", false}, // the same vote again changes nothing
		{"bob", "/stem " + id + " xyzzy", false},
		{"bob", "/uitslag " + id, false},
		{"waarde", "/waarde privacy", false},
		{"anna", "/sluit " + id, true},
	} {
		before := len(m.redrawn)
		if b.AfterReply(ctx, b.HandleText(ctx, as(tc.user), tc.text), m) {
			t.Errorf("%s: posted as a poll message", tc.text)
		}
		if redrawn := len(m.redrawn) > before; redrawn != tc.redraw {
			t.Errorf("%s: redrawn %v, want %v", tc.text, redrawn, tc.redraw)
		}
	}
	if len(m.posted) != 1 {
		t.Errorf("%d polls posted, want 1", len(m.posted))
	}
}

func TestAfterReplyLeavesAPollThatCouldNotBePostedToTheAdapter(t *testing.T) {
	ctx := context.Background()
	b := newStoreBot(t)
	r := b.HandleText(ctx, bot.Request{Platform: "slack", Channel: "C1", User: "anna"}, "/stelling Camera's horen niet op het plein")
	if b.AfterReply(ctx, r, &pollMessages{fail: errors.New("not in channel")}) {
		t.Fatal("reported posted although posting failed: the adapter would show nothing")
	}
	if got := b.PollMessage(ctx, r.Poll.ID).Poll.Message; got != "" {
		t.Errorf("recorded %q for a poll that was not posted", got)
	}
}

func TestPollClickedRecordsAnUnrecordedMessageOfThePollsChannel(t *testing.T) {
	ctx := context.Background()
	b := newStoreBot(t)
	r := b.HandleText(ctx, bot.Request{Platform: "slack", Channel: "C1", User: "anna"}, "/stelling Camera's horen niet op het plein")
	id := r.Poll.ID
	click := b.Toggle(ctx, bot.Request{Platform: "slack", Channel: "C1", User: "bob"}, id, "eens")
	b.PollClicked(ctx, click, "C2", "elsewhere") // not the poll's channel
	if got := b.PollMessage(ctx, id).Poll.Message; got != "" {
		t.Fatalf("recorded %q from another channel", got)
	}
	b.PollClicked(ctx, click, "C1", "clicked")
	b.PollClicked(ctx, b.PollMessage(ctx, id), "C1", "later") // recorded already: kept
	if got := b.PollMessage(ctx, id).Poll.Message; got != "clicked" {
		t.Errorf("the poll's own message is %q, want the clicked one", got)
	}
}

func TestRedrawHandsThePollAsItIsNowToTheUpdate(t *testing.T) {
	ctx := context.Background()
	b := newStoreBot(t)
	r := b.HandleText(ctx, bot.Request{Platform: "slack", Channel: "C1", User: "anna"}, "/stelling Camera's horen niet op het plein")
	b.Toggle(ctx, bot.Request{Platform: "slack", Channel: "C1", User: "bob"}, r.Poll.ID, "eens")
	var got bot.Reply
	if err := b.Redraw(ctx, r.Poll.ID, func(_ context.Context, m bot.Reply) error { got = m; return nil }); err != nil {
		t.Fatal(err)
	}
	if got.Poll == nil || got.Poll.Voters != 1 {
		t.Errorf("update got %+v", got.Poll)
	}
	called := false
	if err := b.Redraw(ctx, "zzzz", func(context.Context, bot.Reply) error { called = true; return nil }); err == nil || called {
		t.Errorf("an unknown poll: error %v, update called %v", err, called)
	}
}
