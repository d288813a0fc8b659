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

	"github.com/mattermost/mattermost/server/public/model"

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

// verify reads a click from a request's context and reports whether its
// MAC verifies (compared in constant time) and the request comes from the
// channel the button was made for.
func verify(key []byte, req *model.PostActionIntegrationRequest) (click, bool) {
	str := func(k string) string { s, _ := req.Context[k].(string); return s }
	c := click{Op: str("op"), Poll: str("poll"), Option: str("option"), Team: str("team"), Channel: str("channel")}
	got, err := hex.DecodeString(str("mac"))
	if err != nil || len(got) != sha256.Size || !hmac.Equal(got, c.mac(key)) {
		return c, false
	}
	if c.Channel == "" || req.ChannelId != c.Channel || (c.Op != opVote && c.Op != opClose) {
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
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	var req model.PostActionIntegrationRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	// Mattermost waits 30 seconds for the response.
	ctx, cancel := context.WithTimeout(r.Context(), 25*time.Second)
	defer cancel()
	writeJSON(w, a.action(ctx, &req))
}

// action handles one click: a vote toggles the option in the clicker's
// vote, the close button closes the poll as /sluit does. The answer
// redraws the post when something changed or the poll turned out closed
// (a button left over from before a restart), and tells the clicker why
// when the click was refused.
func (a *Adapter) action(ctx context.Context, req *model.PostActionIntegrationRequest) *model.PostActionIntegrationResponse {
	key, err := a.actionKey(ctx)
	if err != nil {
		a.log.Error("button click not handled: no key to check it", "error", err)
		msg := "err.internal"
		if errors.Is(err, bot.ErrNoPolls) {
			msg = "poll.unavailable"
		}
		return ephemeral(a.bot.T(msg))
	}
	c, ok := verify(key, req)
	if !ok {
		a.log.Warn("refused a button click whose context does not verify", "user", req.UserId, "channel", req.ChannelId, "post", req.PostId)
		return ephemeral(a.bot.T("button.invalid"))
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
		breq.Command, breq.Args = "sluit", c.Poll
		reply = a.bot.Handle(ctx, breq)
	} else {
		reply = a.bot.Toggle(ctx, breq, c.Poll, c.Option)
	}
	if v := reply.Poll; v != nil && v.Message == "" && v.Where.Channel == req.ChannelId {
		// Posted before the bot recorded its posts.
		if err := a.bot.PollPosted(ctx, c.Poll, req.PostId); err != nil {
			a.log.Warn("poll post not recorded", "poll", c.Poll, "error", err)
		}
	}
	resp := &model.PostActionIntegrationResponse{SkipSlackParsing: true}
	switch {
	case reply.Status != bot.Answered:
		resp.EphemeralText = render(reply.Text)
	case c.Op == opClose:
		// Everyone sees the result, as after a typed /sluit.
		if err := a.createPosts(ctx, req.ChannelId, "", reply.Text); err != nil {
			a.log.Error("poll result not posted", "poll", c.Poll, "error", err)
		}
	case reply.Poll != nil && reply.Poll.Hidden:
		// The counts do not move in a hidden poll: say the vote counted.
		resp.EphemeralText = render(reply.Text)
	}
	if reply.Status == bot.Answered || (reply.Poll != nil && reply.Poll.Closed) {
		if m := a.bot.PollMessage(ctx, c.Poll); m.Status == bot.Answered && m.Poll != nil {
			resp.Update = a.pollPost(m, c.Team, req.ChannelId, key)
		}
	}
	return resp
}

func ephemeral(text string) *model.PostActionIntegrationResponse {
	return &model.PostActionIntegrationResponse{EphemeralText: render(text), SkipSlackParsing: true}
}
