package bot_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/internal/testkit"

	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/bot/store"
	"github.com/waardenbot/waardenbot/knowledge"
)

var kb = knowledge.MustLoad()

func newClock() *testkit.Clock {
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	return testkit.NewClock(time.Date(2026, 11, 23, 12, 0, 0, 0, loc))
}

// poster records what the bot posts without a request; it fails while
// fixture is a bot with polls in a real bbolt file.
type fixture struct {
	t      testing.TB
	path   string
	st     *store.Store
	bot    *bot.Bot
	clock  *testkit.Clock
	cfg    bot.Config
	roster *fakeRoster // the console platform's roster, when set; kept across restarts
}

func newFixture(t testing.TB, cfg bot.Config) *fixture {
	t.Helper()
	f := &fixture{t: t, path: filepath.Join(t.TempDir(), "waardenbot.db"), clock: newClock(), cfg: cfg}
	f.open()
	return f
}

// open opens the data file and builds a bot on it, as a (re)start does.
func (f *fixture) open() {
	f.t.Helper()
	st, err := store.Open(f.path)
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { st.Close() })
	f.st = st
	f.bot = bot.New(kb, f.cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), bot.WithClock(f.clock.Now), bot.WithStore(st))
	if f.roster != nil {
		f.bot.UseRosters(bot.Rosters{"console": f.roster})
	}
}

// withRoster gives the fixture's bot a roster for the console platform
// with members per channel, as a platform's adapter would.
func (f *fixture) withRoster(members map[string][]string) *fakeRoster {
	f.roster = &fakeRoster{members: members}
	f.bot.UseRosters(bot.Rosters{"console": f.roster})
	return f.roster
}

// restart closes the file and opens it again with a new bot.
func (f *fixture) restart() {
	f.t.Helper()
	if err := f.st.Close(); err != nil {
		f.t.Fatal(err)
	}
	f.open()
}

func req(user, channel string) bot.Request {
	return bot.Request{Platform: "console", Team: "T1", Channel: channel, User: user, UserName: "Naam " + user}
}

// do runs text as user in channel.
func (f *fixture) do(user, channel, text string) bot.Reply {
	f.t.Helper()
	return f.bot.HandleText(context.Background(), req(user, channel), text)
}

// mustPoll runs a poll command and fails unless it made a poll.
func (f *fixture) mustPoll(user, channel, text string) *bot.PollView {
	f.t.Helper()
	r := f.do(user, channel, text)
	if r.Status != bot.Answered || r.Poll == nil {
		f.t.Fatalf("%s: want a poll, got status %d: %s", text, r.Status, r.Text)
	}
	return r.Poll
}

func votes(v *bot.PollView) map[string]int {
	out := map[string]int{}
	for _, o := range v.Options {
		out[o.Key] = o.Votes
	}
	return out
}

var pollIDPattern = regexp.MustCompile(`^[23456789abcdefghjkmnpqrstuvwxyz]{4,6}$`)
