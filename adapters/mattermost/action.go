package mattermost

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/waardenbot/waardenbot/bot"
)

// actionPath is where Mattermost sends button clicks.
const actionPath = "/mattermost/action"

// keyPurpose names the key that signs button contexts; it is derived from
// the installation's secret in the bot's data file (bot.Key), so buttons
// stay valid across restarts and a new bot token, and a copied data file
// is the only way to forge one.
const keyPurpose = "mattermost actions"

// What a button does.
const (
	opVote  = "vote"
	opClose = "close"
)

// click is what a button's context says: which poll, which option (none
// for the close button), and where the poll was posted. Mattermost sends
// the context back unchanged and unsigned with every click; the MAC over
// all fields proves that the bot made it.
type click struct {
	Op, Poll, Option, Team, Channel string
}

// mac is HMAC-SHA256 with key over the fields, each prefixed with its
// length so that no two different clicks share a message.
func (c click) mac(key []byte) []byte {
	m := hmac.New(sha256.New, key)
	var n [binary.MaxVarintLen64]byte
	for _, f := range []string{"waardenbot mattermost click v1", c.Op, c.Poll, c.Option, c.Team, c.Channel} {
		m.Write(n[:binary.PutUvarint(n[:], uint64(len(f)))])
		m.Write([]byte(f))
	}
	return m.Sum(nil)
}

// context is the button's integration context, signed with key.
func (c click) context(key []byte) map[string]any {
	return map[string]any{
		"op": c.Op, "poll": c.Poll, "option": c.Option, "team": c.Team, "channel": c.Channel,
		"mac": hex.EncodeToString(c.mac(key)),
	}
}

// verify reads a click from a button's context (or a dialog's state) and
// reports whether its MAC verifies (compared in constant time) and the
// request comes from channel, the one the button was made for.
func verify(key []byte, context map[string]any, channel string) (click, bool) {
	str := func(k string) string { s, _ := context[k].(string); return s }
	c := click{Op: str("op"), Poll: str("poll"), Option: str("option"), Team: str("team"), Channel: str("channel")}
	got, err := hex.DecodeString(str("mac"))
	if err != nil || len(got) != sha256.Size || !hmac.Equal(got, c.mac(key)) {
		return c, false
	}
	switch c.Op {
	case opVote, opClose, opAdd, opForm:
	default:
		return c, false
	}
	if c.Channel == "" || channel != c.Channel {
		return c, false
	}
	return c, true
}

// actionKey is the key that signs button contexts.
func (a *Adapter) actionKey(ctx context.Context) ([]byte, error) {
	return a.bot.Key(ctx, keyPurpose)
}

func (a *Adapter) actionURL() string { return a.cfg.PublicURL + actionPath }

// serveAction answers a button click. Mattermost shows ephemeral_text to
// the clicker only, and applies update to the post in place. A click whose
// context does not verify is refused with 200 and a sentence, because
// Mattermost shows the sentence but turns any other status into a bare
// error; it changes nothing.
func (a *Adapter) serveAction(w http.ResponseWriter, r *http.Request) {
	serveJSON(w, r, a.action)
}

// serveJSON decodes a JSON request body, hands it to handle within
// Mattermost's wait for the answer, and writes the answer as JSON.
func serveJSON[Req, Resp any](w http.ResponseWriter, r *http.Request, handle func(context.Context, *Req) Resp) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	var req Req
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	// Mattermost waits 30 seconds for the response.
	ctx, cancel := context.WithTimeout(r.Context(), 25*time.Second)
	defer cancel()
	writeJSON(w, handle(ctx, &req))
}

// action handles one click: a vote toggles the option in the clicker's
// vote, the close button asks for confirmation in a dialog (see
// serveDialog), which then closes the poll as /sluit does. The answer
// redraws the post when something changed or the poll turned out closed
// (a button left over from before a restart), and tells the clicker why
// when the click was refused.
func (a *Adapter) action(ctx context.Context, req *actionRequest) *actionResponse {
	key, err := a.actionKey(ctx)
	if err != nil {
		a.log.Error("button click not handled: no key to check it", "error", err, "fix", "the data file could not be read: run waardenbot check")
		msg := "err.internal"
		if errors.Is(err, bot.ErrNoPolls) {
			msg = "poll.unavailable"
		}
		return ephemeral(a.bot.T(msg))
	}
	c, ok := verify(key, req.Context, req.ChannelId)
	if !ok {
		a.log.Warn("refused a button click whose context does not verify", "user", req.UserId, "channel", req.ChannelId, "post", req.PostId)
		return ephemeral(a.bot.T("button.invalid"))
	}
	switch first, err := a.firstRequest(ctx, "click", req.TriggerId); {
	case err != nil:
		return ephemeral(a.bot.T("err.internal"))
	case !first:
		a.log.Info("button click received again; not done twice", "poll", c.Poll, "user", req.UserId)
		return &actionResponse{}
	}
	switch c.Op {
	case opClose:
		if m := a.bot.PollMessage(ctx, c.Poll); m.Poll != nil && !m.Poll.Closed {
			return a.confirmClose(ctx, req, c, key, m.Poll.Parts().Close)
		}
		// Closed already: the refusal below says so and redraws the post.
	case opAdd:
		if err := a.openForm(ctx, req.TriggerId, c.Team, req.ChannelId, a.bot.OptionForm(c.Poll)); err != nil {
			a.log.Warn("add-a-value dialog not opened; the clicker is told to type /optie", "poll", c.Poll, "error", err)
			return ephemeral(a.bot.T("button.add.typed", c.Poll))
		}
		return &actionResponse{}
	case opForm:
		return ephemeral(a.bot.T("button.invalid")) // a dialog's state, not a button's
	}
	a.clicks.begin(c.Poll)
	defer func() {
		if a.clicks.end(c.Poll) {
			a.settle(c.Poll)
		}
	}()
	breq := bot.Request{Platform: Platform, Team: c.Team, Channel: req.ChannelId, User: req.UserId, UserName: req.UserName,
		Admin: a.admins.Check(c.Team, req.ChannelId, req.UserId)}
	var reply bot.Reply
	if c.Op == opClose {
		reply = a.bot.Close(ctx, breq, c.Poll)
	} else {
		reply = a.bot.Toggle(ctx, breq, c.Poll, c.Option)
	}
	a.bot.PollClicked(ctx, reply, req.ChannelId, req.PostId)
	resp := &actionResponse{SkipSlackParsing: true}
	switch {
	case reply.Status != bot.Answered:
		resp.EphemeralText = render(reply.Text)
	case c.Op == opClose:
		// Everyone sees the result, as after a typed /sluit, with the
		// chart attached; the clicker hears if the chart did not go out.
		note, err := a.postReply(ctx, req.ChannelId, "", req.UserId, reply)
		if err != nil {
			a.log.Error("poll result not posted", "poll", c.Poll, "error", err, "fix", "check that the bot may post in the channel; /uitslag shows the result meanwhile")
		}
		resp.EphemeralText = render(note)
	case reply.Poll != nil && reply.Poll.Hidden:
		// The counts do not move in a hidden poll: say the vote counted.
		resp.EphemeralText = render(reply.Text)
	}
	if reply.ChangesPoll() {
		if m := a.bot.PollMessage(ctx, c.Poll); m.Status == bot.Answered && m.Poll != nil {
			resp.Update = a.pollPost(m, c.Team, req.ChannelId, key)
		}
	}
	return resp
}

// actionRequest is a button click as Mattermost posts it to the button's
// URL. It carries no signature: the context does (see click).
type actionRequest struct {
	UserId    string         `json:"user_id"`
	UserName  string         `json:"user_name"`
	ChannelId string         `json:"channel_id"`
	TeamId    string         `json:"team_id"`
	PostId    string         `json:"post_id"`
	TriggerId string         `json:"trigger_id"`
	Context   map[string]any `json:"context"`
}

// actionResponse is the answer to a button click: the post's new version
// (the poll as it is now), and a text for the clicker alone.
type actionResponse struct {
	Update           *post  `json:"update,omitempty"`
	EphemeralText    string `json:"ephemeral_text,omitempty"`
	SkipSlackParsing bool   `json:"skip_slack_parsing,omitempty"`
}

func ephemeral(text string) *actionResponse {
	return &actionResponse{EphemeralText: render(text), SkipSlackParsing: true}
}

// dialogPath is where Mattermost sends the submitted dialogs: the close
// confirmation and the forms (see form.go).
const dialogPath = "/mattermost/dialog"

// confirmClose opens a dialog that asks the clicker to confirm closing the
// poll, as Slack's confirm on the close button does: closing cannot be
// undone. The dialog's state is the signed click, which serveDialog checks
// again, because Mattermost passes it back from the user's client. When the
// dialog cannot be opened, the clicker is told to type /sluit instead;
// nothing closes without a confirmation. words are the poll's close words.
func (a *Adapter) confirmClose(ctx context.Context, req *actionRequest, c click, key []byte, words bot.CloseParts) *actionResponse {
	state, err := json.Marshal(c.context(key))
	if err == nil {
		err = a.rest.openDialog(ctx, dialogRequest{
			TriggerId: req.TriggerId,
			URL:       a.cfg.PublicURL + dialogPath,
			Dialog: dialogForm{
				CallbackId:       opClose,
				Title:            words.Title,
				IntroductionText: words.Text,
				SubmitLabel:      words.Confirm,
				State:            string(state),
			},
		})
	}
	if err != nil {
		a.log.Warn("close dialog not opened; the clicker is told to type /sluit", "poll", c.Poll, "error", err)
		return ephemeral(a.bot.T("button.close.typed", c.Poll))
	}
	return &actionResponse{}
}

// serveDialog handles the submitted close dialog: it checks the signed
// state, closes the poll as /sluit does, posts the result in the channel
// and redraws the poll's post. A refusal (not the creator, a forged
// state) appears in the dialog and changes nothing.
func (a *Adapter) serveDialog(w http.ResponseWriter, r *http.Request) {
	serveJSON(w, r, a.dialog)
}

func (a *Adapter) dialog(ctx context.Context, req *dialogSubmission) *dialogResponse {
	if req.Cancelled {
		return &dialogResponse{}
	}
	key, err := a.actionKey(ctx)
	if err != nil {
		a.log.Error("close dialog not handled: no key to check it", "error", err, "fix", "the data file could not be read: run waardenbot check")
		return &dialogResponse{Error: render(a.bot.T("err.internal"))}
	}
	var state map[string]any
	_ = json.Unmarshal([]byte(req.State), &state)
	c, ok := verify(key, state, req.ChannelId)
	if ok && c.Op == opForm && req.CallbackId == opForm {
		return a.formDialog(ctx, req, c)
	}
	if !ok || c.Op != opClose {
		a.log.Warn("refused a close dialog whose state does not verify", "user", req.UserId, "channel", req.ChannelId)
		return &dialogResponse{Error: render(a.bot.T("button.invalid"))}
	}
	breq := bot.Request{Platform: Platform, Team: c.Team, Channel: req.ChannelId, User: req.UserId,
		Admin: a.admins.Check(c.Team, req.ChannelId, req.UserId)}
	reply := a.bot.Close(ctx, breq, c.Poll)
	a.bot.AfterReply(ctx, reply, a.polls)
	if reply.Status != bot.Answered {
		return &dialogResponse{Error: render(reply.Text)}
	}
	// Everyone sees the result, as after a typed /sluit, with the chart
	// attached. A dialog cannot say more once it is submitted: a file that
	// failed is in the log.
	if _, err := a.postReply(ctx, req.ChannelId, "", req.UserId, reply); err != nil {
		a.log.Error("poll result not posted", "poll", c.Poll, "error", err, "fix", "check that the bot may post in the channel; /uitslag shows the result meanwhile")
	}
	return &dialogResponse{}
}
