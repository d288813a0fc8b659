package mattermost

import (
	"context"
	"fmt"
	"time"

	"github.com/waardenbot/waardenbot/bot"
)

// pollMessages posts new polls as the bot's own posts, in a thread when
// the request came in one, and redraws them (redrawLater): the adapter's
// bot.PollMessages, for bot.AfterReply. A poll is the bot's own post, not
// a slash command's in_channel response, because that would be the
// user's post, which the bot may not edit.
//
// It holds the adapter's functions rather than the adapter: a type in an
// interface keeps, through the types of its fields, every exported method
// of what the adapter holds in the binary (see postFunc in cmd/waardenbot).
type pollMessages struct {
	post   func(ctx context.Context, r bot.Reply, rootID string) (string, error)
	redraw func(pollID string)
	rootID string // the thread, if any
}

// inThread is the adapter's pollMessages for a request in the thread of
// rootID ("": none).
func (a *Adapter) inThread(rootID string) *pollMessages {
	if rootID == "" {
		return a.polls
	}
	return &pollMessages{post: a.postPoll, redraw: a.redrawLater, rootID: rootID}
}

// PostPoll posts r's poll as the bot's own post and returns its ID.
func (p *pollMessages) PostPoll(ctx context.Context, r bot.Reply) (string, error) {
	return p.post(ctx, r, p.rootID)
}

// RedrawPoll redraws v's own post without holding up the answer.
func (p *pollMessages) RedrawPoll(v *bot.PollView) { p.redraw(v.ID) }

// postPoll posts r's poll in its channel, with a button per option, as a
// reply in the thread of rootID if it is not empty, and returns the post's
// ID.
func (a *Adapter) postPoll(ctx context.Context, r bot.Reply, rootID string) (string, error) {
	key, err := a.actionKey(ctx)
	if err != nil {
		return "", fmt.Errorf("no key to sign the buttons: %w", err)
	}
	p := a.pollPost(r, r.Poll.Where.Team, r.Poll.Where.Channel, key)
	p.RootId = rootID
	got, err := a.rest.createPost(ctx, p)
	if err != nil {
		return "", fmt.Errorf("create the poll post in channel %s (is the bot a member of the channel?): %w", r.Poll.Where.Channel, err)
	}
	return got.Id, nil
}

// redrawLater updates the poll's post in the background (see redraw);
// Run waits for it before it returns.
func (a *Adapter) redrawLater(pollID string) {
	a.inflight.Add(1)
	go func() {
		defer a.inflight.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := a.redraw(ctx, pollID); err != nil {
			a.log.Warn("poll post not updated", "poll", pollID, "error", err)
		}
	}()
}

// redraw updates a poll's post, if the bot recorded one, to the poll as it
// is now. The message stays the same; only the attachment changes.
func (a *Adapter) redraw(ctx context.Context, pollID string) error {
	return a.bot.Redraw(ctx, pollID, func(ctx context.Context, m bot.Reply) error {
		v := m.Poll
		if v.Message == "" {
			return nil
		}
		key, err := a.actionKey(ctx)
		if err != nil {
			return err
		}
		p := a.pollPost(m, v.Where.Team, v.Where.Channel, key)
		// The patch carries the props only, never the message (which
		// does not change): once an admin's post edit time limit has
		// passed, Mattermost 9.0 and later refuse any patch that carries
		// a message, even an unchanged one ("Post edit is only allowed
		// for N seconds"); 6.7 refused only a changed one. A props-only
		// patch is accepted by both. PatchPost replaces the whole props
		// map: p carries all of it.
		if err := a.rest.patchProps(ctx, v.Message, p.Props); err != nil {
			return fmt.Errorf("update poll post %s: %w", v.Message, err)
		}
		return nil
	})
}
