// pollFixture: a bot on a real data file, the adapter, and the fake
// Mattermost server, for the poll tests.

package mattermost

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/bot/store"
)

const testCasus = "/casus Zetten we camera's met gezichtsherkenning in op het stationsplein? | privacy, veiligheid, gelijkheid"

// pollFixture is an adapter whose bot keeps polls in a real bbolt file, on
// a fake Mattermost, with a clock that tests move.
type pollFixture struct {
	t    *testing.T
	f    *fakeMattermost
	a    *Adapter
	h    http.Handler
	now  time.Time
	path string
	st   *store.Store
}

func newPollFixture(t *testing.T) *pollFixture {
	t.Helper()
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	fx := &pollFixture{t: t, f: newFake(t), now: time.Date(2026, 11, 23, 12, 0, 0, 0, loc), path: filepath.Join(t.TempDir(), "waardenbot.db")}
	fx.start()
	t.Cleanup(func() {
		fx.a.inflight.Wait()
		fx.st.Close()
	})
	return fx
}

// start opens the data file and starts a bot and an adapter on it.
func (fx *pollFixture) start() {
	fx.t.Helper()
	st, err := store.Open(fx.path)
	if err != nil {
		fx.t.Fatal(err)
	}
	fx.st = st
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	b := bot.New(testKB, bot.Config{}, log, bot.WithStore(st), bot.WithClock(func() time.Time { return fx.now }))
	fx.a = New(Config{URL: fx.f.URL, BotToken: botToken, Listen: "127.0.0.1:0", PublicURL: "https://bot.example"}, b, log)
	fx.a.tokens.add("cmdtoken")
	fx.h = fx.a.Handler()
}

// restart stops the bot and starts a new one on the same data file, as a
// restart of the process does.
func (fx *pollFixture) restart() {
	fx.t.Helper()
	fx.a.inflight.Wait()
	if err := fx.st.Close(); err != nil {
		fx.t.Fatal(err)
	}
	fx.start()
}

// submitDialog submits the dialog the bot opened last, as user in channel,
// with its state changed by change.
func (fx *pollFixture) submitDialog(user, channel string, cancelled bool, change func(string) string) model.SubmitDialogResponse {
	fx.t.Helper()
	d, ok := fx.f.lastDialog()
	if !ok {
		fx.t.Fatal("the bot opened no dialog")
	}
	if d.URL != "https://bot.example"+dialogPath {
		fx.t.Errorf("dialog URL %q", d.URL)
	}
	state := d.Dialog.State
	if change != nil {
		state = change(state)
	}
	req := model.SubmitDialogRequest{Type: "dialog_submission", CallbackId: d.Dialog.CallbackId, State: state, UserId: user, ChannelId: channel, TeamId: teamID, Cancelled: cancelled}
	var resp model.SubmitDialogResponse
	fx.postJSON(dialogPath, req, &resp)
	return resp
}

// postJSON posts req to the bot's path and decodes its answer into resp.
func (fx *pollFixture) postJSON(path string, req, resp any) {
	fx.t.Helper()
	body, _ := json.Marshal(req)
	rec := httptest.NewRecorder()
	fx.h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body)))
	if rec.Code != http.StatusOK {
		fx.t.Fatalf("%s: status %d", path, rec.Code)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), resp); err != nil {
		fx.t.Fatalf("%s: answer %q: %v", path, rec.Body, err)
	}
}

// command runs a slash command as user in chan1.
func (fx *pollFixture) command(user, line string) model.CommandResponse {
	fx.t.Helper()
	cmd, text, _ := strings.Cut(line, " ")
	form := commandForm("cmdtoken", cmd, text)
	form.Set("user_id", user)
	form.Set("user_name", user)
	rec := postCommand(fx.h, form, "Token cmdtoken")
	var resp model.CommandResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		fx.t.Fatalf("%s: %v: %s", line, err, rec.Body)
	}
	return resp
}

// startPoll runs /casus as anna and returns the poll post the bot made.
func (fx *pollFixture) startPoll() *model.Post {
	fx.t.Helper()
	resp := fx.command("anna", testCasus)
	if resp.ResponseType != model.CommandResponseTypeEphemeral || resp.Text != "" {
		fx.t.Fatalf("the command answered %s %q; want an empty ephemeral ack", resp.ResponseType, resp.Text)
	}
	posts := fx.f.postsIn("chan1")
	if len(posts) != 1 || len(posts[0].Attachments()) != 1 {
		fx.t.Fatalf("want one poll post with an attachment, got %d posts", len(posts))
	}
	return posts[0]
}

// click sends a click on action id of post as user, from channel, with the
// context the button carries after change.
func (fx *pollFixture) click(p *model.Post, id, user, channel string, change func(map[string]any)) model.PostActionIntegrationResponse {
	fx.t.Helper()
	return fx.clickWithTrigger(p, id, user, channel, change, newTriggerID("trigger-"+user))
}

// clickWithTrigger is click with the trigger_id Mattermost gave the click.
func (fx *pollFixture) clickWithTrigger(p *model.Post, id, user, channel string, change func(map[string]any), trigger string) model.PostActionIntegrationResponse {
	fx.t.Helper()
	act := action(fx.t, p, id)
	ctx := map[string]any{}
	for k, v := range act.Integration.Context {
		ctx[k] = v
	}
	if change != nil {
		change(ctx)
	}
	if act.Integration.URL != "https://bot.example"+actionPath {
		fx.t.Errorf("integration URL %q", act.Integration.URL)
	}
	req := model.PostActionIntegrationRequest{UserId: user, UserName: user, ChannelId: channel, TeamId: teamID, PostId: p.Id, Type: "button", Context: ctx, TriggerId: trigger}
	var resp model.PostActionIntegrationResponse
	fx.postJSON(actionPath, req, &resp)
	return resp
}

func action(t *testing.T, p *model.Post, id string) *model.PostAction {
	t.Helper()
	for _, att := range p.Attachments() {
		for _, act := range att.Actions {
			if act.Id == id {
				return act
			}
		}
	}
	t.Fatalf("post has no action %q", id)
	return nil
}

// buttons are the names of a post's buttons.
func buttons(p *model.Post) []string {
	var out []string
	for _, att := range p.Attachments() {
		for _, act := range att.Actions {
			out = append(out, act.Name)
		}
	}
	return out
}
