package bot_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/internal/testkit"

	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/bot/store"
)

// TestDataFileOfTheFirstMilestoneOpens opens a data file that waardenbot
// wrote before its core was split into packages (testdata/compat/make.sh,
// through the ask command) and checks that it keeps its polls, votes and
// schedules: the data file's format is a promise to every installation.
func TestDataFileOfTheFirstMilestoneOpens(t *testing.T) {
	raw, err := os.ReadFile("testdata/compat/main.db")
	if err != nil {
		t.Fatal(err)
	}
	var ids struct {
		Open            string `json:"open"`
		AnonymousClosed string `json:"anonymous_closed"`
		HiddenOpen      string `json:"hidden_open"`
	}
	data, err := os.ReadFile("testdata/compat/main.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &ids); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "waardenbot.db")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	clock := testkit.NewClock(time.Date(2026, 12, 15, 12, 0, 0, 0, loc))
	b := bot.New(kb, bot.Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)), bot.WithClock(clock.Now), bot.WithStore(st),
		bot.WithStore(st))
	ctx := context.Background()
	as := func(user string) bot.Request {
		return bot.Request{Platform: "console", Channel: "raad", User: user, UserName: user}
	}
	do := func(user, text string) bot.Reply {
		t.Helper()
		r := b.HandleText(ctx, as(user), text)
		if r.Status != bot.Answered {
			t.Fatalf("%s: status %d: %s", text, r.Status, r.Text)
		}
		return r
	}
	counts := func(v *bot.PollView) map[string]int {
		out := map[string]int{}
		for _, o := range v.Options {
			out[o.Key] = o.Votes
		}
		return out
	}

	open := do("anna", "/uitslag "+ids.Open).Poll
	if open.Closed || open.Voters != 3 || open.Max != 2 || open.Creator != "anna" {
		t.Errorf("open poll: closed %v, %d voters, max %d, creator %q", open.Closed, open.Voters, open.Max, open.Creator)
	}
	if got := counts(open); got["privacy"] != 2 || got["veiligheid"] != 1 || got["gelijkheid"] != 1 {
		t.Errorf("open poll counts %v", got)
	}
	if want := time.Date(2027, 2, 1, 12, 0, 0, 0, loc); !open.ClosesAt.Equal(want) {
		t.Errorf("open poll closes at %s, want %s", open.ClosesAt, want)
	}
	// bob's vote is still his: voting again replaces it.
	do("bob", "/stem "+ids.Open+" gelijkheid")
	if got := counts(do("anna", "/uitslag "+ids.Open).Poll); got["privacy"] != 1 || got["gelijkheid"] != 2 {
		t.Errorf("after bob voted again: %v", got)
	}

	anon := do("carla", "/uitslag "+ids.AnonymousClosed).Poll
	if !anon.Closed || !anon.Anonymous || anon.Creator != "" || anon.Voters != 2 {
		t.Errorf("anonymous poll: closed %v, anonymous %v, creator %q, %d voters", anon.Closed, anon.Anonymous, anon.Creator, anon.Voters)
	}
	if got := counts(anon); got["eens"] != 1 || got["oneens"] != 1 {
		t.Errorf("anonymous poll counts %v", got)
	}
	if r := b.HandleText(ctx, as("bob"), "/stem "+ids.AnonymousClosed+" neutraal"); r.Status != bot.Refused {
		t.Errorf("a vote in the closed poll: %s", r.Text)
	}
	// The file holds the anonymous poll without its creator's ID or name.
	i := strings.Index(string(raw), `{"id":"`+ids.AnonymousClosed+`"`)
	if i < 0 {
		t.Fatal("the anonymous poll's record is not in the file")
	}
	var stored struct{ Creator, Name string }
	if err := json.NewDecoder(strings.NewReader(string(raw[i:]))).Decode(&stored); err != nil {
		t.Fatal(err)
	}
	if stored.Creator == "anna" || stored.Name != "" || len(stored.Creator) < 32 {
		t.Errorf("the anonymous poll is stored with creator %q, name %q", stored.Creator, stored.Name)
	}

	hidden := do("anna", "/uitslag "+ids.HiddenOpen).Poll
	if !hidden.Hidden || hidden.Voters != 1 || hidden.Result != nil {
		t.Errorf("hidden poll: hidden %v, %d voters, result %v", hidden.Hidden, hidden.Voters, hidden.Result)
	}
	// Only anna, who started it, may close it; then the counts show.
	if r := b.HandleText(ctx, as("bob"), "/sluit "+ids.HiddenOpen); r.Status != bot.Refused {
		t.Errorf("bob closed anna's poll: %s", r.Text)
	}
	closed := do("anna", "/sluit "+ids.HiddenOpen).Poll
	if got := counts(closed); !closed.Closed || got["doelmatigheid"] != 1 {
		t.Errorf("hidden poll after closing: closed %v, counts %v", closed.Closed, got)
	}

	list := do("anna", "/peilingen").Text
	if !strings.Contains(list, ids.Open) || strings.Contains(list, ids.HiddenOpen) {
		t.Errorf("/peilingen:\n%s", list)
	}
	if s := do("anna", "/reflectie status").Text; !strings.Contains(s, "0 9 * * 1") {
		t.Errorf("/reflectie status:\n%s", s)
	}
	if s := do("anna", "/debat").Text; !strings.Contains(s, "Camera's in de binnenstad") {
		t.Errorf("/debat:\n%s", s)
	}
	// The reflection prompt and the debate prep card are queued again.
	p := &fakePoster{}
	if err := b.Scheduler().Restore(ctx, p); err != nil {
		t.Fatal(err)
	}
	if n := b.Scheduler().Len(); n != 2 {
		t.Errorf("%d runs queued after a restart, want 2 (the reflection and the debate prep)", n)
	}
}
