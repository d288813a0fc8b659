package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/internal/testkit"

	"github.com/slack-go/slack"

	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/bot/store"
)

// newPollAdapter is an HTTP-mode adapter whose bot keeps polls in a real
// bbolt file.
func newPollAdapter(t *testing.T, api *fakeSlack) (*Adapter, *bot.Bot) {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	b := bot.New(testKB, bot.Config{}, log, bot.WithStore(openStore(t)))
	a := New(Config{Mode: "http", BotToken: "xoxb-test", SigningSecret: testSecret, APIURL: api.URL + "/api/"}, b, log)
	a.updates.delay = 10 * time.Millisecond
	return a, b
}

// openStore opens a real bbolt file for the test.
func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "polls.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// slashCommand sends a signed slash command as user.
func slashCommand(t *testing.T, a *Adapter, user, command, text string) *httptestResponse {
	t.Helper()
	body := url.Values{"team_id": {"T1"}, "channel_id": {"C1"}, "user_id": {user}, "user_name": {user}, "command": {command}, "text": {text},
		"trigger_id": {fmt.Sprintf("%d.1395872398.0f3eb9ddbf1a3e9c3b7c3a5b0e1f26ee", clicks.Add(1))}}.Encode()
	rec := post(t, a.Handler(), "/slack/commands", body, sign(testSecret, time.Now(), body), form)
	return &httptestResponse{code: rec.Code, body: rec.Body.String()}
}

type httptestResponse struct {
	code int
	body string
}

// clicks numbers the commands and clicks of a test run: every real one
// has its own trigger_id, so that two clicks on one button are not one
// request sent twice.
var clicks atomic.Int64

// click sends a signed block_actions payload as user.
func click(t *testing.T, a *Adapter, user, actionID, value string) int {
	t.Helper()
	cb := map[string]any{
		"type": "block_actions", "team": map[string]string{"id": "T1"},
		"trigger_id": fmt.Sprintf("%d.1395872398.6ee5f3eb9ddbf1a3e9c3b7c3a5b0e1f2", clicks.Add(1)),
		"user":       map[string]string{"id": user, "name": user},
		"channel":    map[string]string{"id": "C1"},
		"container":  map[string]string{"type": "message", "channel_id": "C1", "message_ts": "1700000000.000100"},
		"actions":    []map[string]string{{"action_id": actionID, "block_id": "b", "value": value, "type": "button"}},
	}
	payload, _ := json.Marshal(cb)
	body := url.Values{"payload": {string(payload)}}.Encode()
	return post(t, a.Handler(), "/slack/interactions", body, sign(testSecret, time.Now(), body), form).Code
}

// postedPoll returns the blocks of the last poll message posted or updated.
func lastBlocks(t *testing.T, calls []apiCall) []map[string]any {
	t.Helper()
	if len(calls) == 0 {
		t.Fatal("no message")
	}
	var blocks []map[string]any
	if err := json.Unmarshal([]byte(calls[len(calls)-1].Form.Get("blocks")), &blocks); err != nil {
		t.Fatal(err)
	}
	return blocks
}

// buttons lists the texts of the buttons in blocks.
func buttons(blocks []map[string]any) []string {
	var out []string
	for _, b := range blocks {
		if b["type"] != "actions" {
			continue
		}
		for _, e := range b["elements"].([]any) {
			el := e.(map[string]any)
			out = append(out, el["text"].(map[string]any)["text"].(string))
		}
	}
	return out
}

func pollIDFrom(t *testing.T, blocks []map[string]any) string {
	t.Helper()
	for _, b := range blocks {
		if b["type"] != "actions" {
			continue
		}
		el := b["elements"].([]any)[0].(map[string]any)
		id, _, _ := strings.Cut(el["value"].(string), " ")
		return id
	}
	t.Fatal("no buttons")
	return ""
}

func TestCasusPostsAPollWithButtonsThatVote(t *testing.T) {
	api := newFakeSlack(t)
	a, _ := newPollAdapter(t, api)
	if r := slashCommand(t, a, "U1", "/casus", "max=2 Mag de gemeente camera's ophangen? | privacy, orde, doelmatigheid"); r.code != http.StatusOK {
		t.Fatalf("casus: %d %s", r.code, r.body)
	}
	posts := api.sent("chat.postMessage")
	if len(posts) != 1 {
		t.Fatalf("the poll should be posted as the bot's own message, got %d posts", len(posts))
	}
	blocks := lastBlocks(t, posts)
	if got := strings.Join(buttons(blocks), "|"); got != "Privacy · 0|Orde · 0|Doelmatigheid · 0|Sluit de peiling" {
		t.Errorf("buttons: %s", got)
	}
	id := pollIDFrom(t, blocks)

	// Two people click; one changes their mind.
	click(t, a, "U2", "vote-privacy", id+" privacy")
	click(t, a, "U3", "vote-privacy", id+" privacy")
	click(t, a, "U3", "vote-orde", id+" orde")
	click(t, a, "U3", "vote-privacy", id+" privacy") // toggles privacy off again
	testkit.WaitFor(t, "chat.update with the counts", func() bool {
		ups := api.sent("chat.update")
		return len(ups) > 0 && strings.Join(buttons(lastBlocks(t, ups)), "|") == "Privacy · 1|Orde · 1|Doelmatigheid · 0|Sluit de peiling"
	})
	if up := api.sent("chat.update"); up[len(up)-1].Form.Get("ts") != "1700000000.000100" || up[len(up)-1].Form.Get("channel") != "C1" {
		t.Errorf("update of the wrong message: %v", up[len(up)-1].Form)
	}

	// A third choice is over max=2: only U2 is told, and the earlier vote stays.
	click(t, a, "U2", "vote-orde", id+" orde")
	click(t, a, "U2", "vote-doelmatigheid", id+" doelmatigheid")
	testkit.WaitFor(t, "the refusal", func() bool { return len(api.sent("chat.postEphemeral")) == 1 })
	eph := api.sent("chat.postEphemeral")[0].Form
	if eph.Get("user") != "U2" || !strings.Contains(eph.Get("text"), "hooguit 2") {
		t.Errorf("refusal: %v", eph)
	}

	// Someone else may not close it; the creator may.
	click(t, a, "U2", "close", id)
	testkit.WaitFor(t, "the refusal to close", func() bool { return len(api.sent("chat.postEphemeral")) == 2 })
	click(t, a, "U1", "close", id)
	testkit.WaitFor(t, "the closed poll", func() bool {
		ups := api.sent("chat.update")
		return len(buttons(lastBlocks(t, ups))) == 0
	})
	ups := api.sent("chat.update")
	text := ups[len(ups)-1].Form.Get("text")
	for _, want := range []string{"gesloten", "Privacy", "Orde"} {
		if !strings.Contains(text, want) {
			t.Errorf("closed poll lacks %q:\n%s", want, text)
		}
	}
}

func TestPollMessagesRespectSlackLimits(t *testing.T) {
	api := newFakeSlack(t)
	a, b := newPollAdapter(t, api)
	long := strings.Repeat("Mag de gemeente dit? ", 140)
	r := b.HandleText(context.Background(), bot.Request{Platform: "slack", Channel: "C1", User: "U1"},
		"/casus "+long+"| privacy, orde, doelmatigheid, gelijkheid, autonomie, openheid, controle, gezag, vertrouwen, zeggenschap")
	if r.Poll == nil {
		t.Fatalf("no poll: %s", r.Text)
	}
	m := a.withPoll(r)
	checkLimits(t, "open poll", m)
	for _, blk := range m.Blocks {
		if act, ok := blk.(*slack.ActionBlock); ok {
			if len(act.Elements.ElementSet) > maxButtonsPerBlock {
				t.Errorf("%d buttons in one block", len(act.Elements.ElementSet))
			}
			for _, e := range act.Elements.ElementSet {
				if n := len([]rune(e.(*slack.ButtonBlockElement).Text.Text)); n > maxButtonText {
					t.Errorf("button text of %d characters", n)
				}
			}
		}
	}
	closed := b.HandleText(context.Background(), bot.Request{Platform: "slack", Channel: "C1", User: "U1"}, "/sluit "+r.Poll.ID)
	checkLimits(t, "closed poll", a.withPoll(b.PollMessage(context.Background(), closed.Poll.ID)))
}

func TestGoldenPolls(t *testing.T) {
	api := newFakeSlack(t)
	a, b := newPollAdapter(t, api)
	req := bot.Request{Platform: "slack", Channel: "C1", User: "U1", UserName: "anna"}
	r := b.HandleText(context.Background(), req, "/casus Mag de gemeente inkomensgegevens gebruiken om de energietoeslag automatisch toe te kennen? | bestaanszekerheid, privacy, autonomie")
	id := r.Poll.ID
	for _, u := range []string{"U1", "U2", "U3"} {
		req.User = u
		b.HandleText(context.Background(), req, "/stem "+id+" privacy, bestaanszekerheid")
	}
	goldenPoll(t, "poll_open.json", id, a.withPoll(b.PollMessage(context.Background(), id)))
	req.User = "U1"
	b.HandleText(context.Background(), req, "/sluit "+id)
	goldenPoll(t, "poll_closed.json", id, a.withPoll(b.PollMessage(context.Background(), id)))
}

// goldenPoll compares a poll message with its golden file, with the random
// poll ID replaced by POLL.
func goldenPoll(t *testing.T, name, id string, m message) {
	t.Helper()
	data, err := json.Marshal(map[string]any{"text": m.Text, "blocks": m.Blocks})
	if err != nil {
		t.Fatal(err)
	}
	var v any
	json.Unmarshal([]byte(strings.ReplaceAll(string(data), id, "POLL")), &v)
	golden(t, name, v)
}

func TestGoldenReflectionPrompt(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "sched.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	b := bot.New(testKB, bot.Config{}, discardLog(), bot.WithClock(func() time.Time { return now }),
		bot.WithStore(st))
	r := b.HandleText(context.Background(), bot.Request{Platform: "slack", Channel: "C1", User: "U1"}, "/reflectie nu")
	if r.Status != bot.Answered || !r.Thread {
		t.Fatalf("reflectie nu: %+v", r)
	}
	a := newTestAdapter(t, nil, now)
	m := a.withPoll(r)
	checkLimits(t, "reflection prompt", m)
	golden(t, "reflection_prompt.json", map[string]any{"text": m.Text, "blocks": m.Blocks})
}

// TestPollMessageIsRedrawnAfterARestartByTypedVotesAndTheDeadline checks
// that the bot remembers a poll's message in the data file: after a
// restart a typed /stem and the close at the deadline still redraw it.
func TestPollMessageIsRedrawnAfterARestartByTypedVotesAndTheDeadline(t *testing.T) {
	api := newFakeSlack(t)
	path := filepath.Join(t.TempDir(), "polls.db")
	start := func(now time.Time) (*Adapter, *bot.Bot, *store.Store) {
		st, err := store.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		b := bot.New(testKB, bot.Config{}, log, bot.WithStore(st), bot.WithClock(func() time.Time { return now }))
		a := New(Config{Mode: "http", BotToken: "xoxb-test", SigningSecret: testSecret, APIURL: api.URL + "/api/"}, b, log)
		a.updates.delay = 10 * time.Millisecond
		return a, b, st
	}
	t0 := time.Now()
	a, _, st := start(t0)
	slashCommand(t, a, "U1", "/casus", "duur=1h Mag de gemeente camera's ophangen? | privacy, orde")
	id := pollIDFrom(t, lastBlocks(t, api.sent("chat.postMessage")))
	st.Close()

	a, b, st := start(t0.Add(time.Minute))
	if r := slashCommand(t, a, "U2", "/stem", id+" orde"); r.code != http.StatusOK {
		t.Fatalf("stem: %d %s", r.code, r.body)
	}
	testkit.WaitFor(t, "chat.update after a typed vote", func() bool {
		ups := api.sent("chat.update")
		return len(ups) == 1 && strings.Join(buttons(lastBlocks(t, ups)), "|") == "Privacy · 0|Orde · 1|Sluit de peiling"
	})
	if f := api.sent("chat.update")[0].Form; f.Get("ts") != "1700000000.000100" || f.Get("channel") != "C1" {
		t.Errorf("update of the wrong message: %v", f)
	}
	st.Close()

	a, b, st = start(t0.Add(2 * time.Hour))
	defer st.Close()
	if n, err := b.CloseDue(context.Background(), a); n != 1 || err != nil {
		t.Fatalf("CloseDue: %d %v", n, err)
	}
	testkit.WaitFor(t, "the closed poll's message without buttons", func() bool {
		ups := api.sent("chat.update")
		return len(ups) == 2 && len(buttons(lastBlocks(t, ups))) == 0
	})
	if posts := api.sent("chat.postMessage"); len(posts) != 2 || !strings.Contains(posts[1].Form.Get("text"), "Orde") {
		t.Errorf("result posts: %v", posts)
	}
}

func TestWorkspaceAdminMayCloseAnotherUsersPoll(t *testing.T) {
	api := newFakeSlack(t)
	api.admins = map[string]bool{"UADMIN": true}
	a, _ := newPollAdapter(t, api)
	slashCommand(t, a, "U1", "/stelling", "Camera's horen niet in de binnenstad")
	id := pollIDFrom(t, lastBlocks(t, api.sent("chat.postMessage")))
	if n := len(api.sent("users.info")); n != 0 {
		t.Errorf("asked Slack about roles %d times before anyone closed", n)
	}
	if r := slashCommand(t, a, "U2", "/sluit", id); !strings.Contains(r.body, "kan alleen sluiten") {
		t.Errorf("a member closed someone else's poll: %s", r.body)
	}
	if r := slashCommand(t, a, "UADMIN", "/sluit", id); !strings.Contains(r.body, "gesloten") || strings.Contains(r.body, "kan alleen sluiten") {
		t.Errorf("the workspace admin could not close it: %s", r.body)
	}
	if n := len(api.sent("users.info")); n != 2 {
		t.Errorf("users.info asked %d times, want once per user", n)
	}
}

func TestUitslagOfAnOpenPollDoesNotPostTheButtonsAgain(t *testing.T) {
	api := newFakeSlack(t)
	a, _ := newPollAdapter(t, api)
	slashCommand(t, a, "U1", "/casus", "Camera's op het plein? | privacy, orde")
	id := pollIDFrom(t, lastBlocks(t, api.sent("chat.postMessage")))
	r := slashCommand(t, a, "U2", "/uitslag", id)
	if r.code != http.StatusOK || !strings.Contains(r.body, "Uitslag") {
		t.Fatalf("uitslag: %d %s", r.code, r.body)
	}
	if n := len(api.sent("chat.postMessage")); n != 1 {
		t.Errorf("%d poll messages posted, want the one of /casus", n)
	}
}
