package mattermost

import (
	"context"
	"fmt"
	"net/http"

	"github.com/waardenbot/waardenbot/bot"
)

// Post sends r to a channel as one or more normal posts, so that people can
// reply in its thread, with r's files attached (a closed casus's chart). It
// implements bot.Poster; a message nobody asked for is for the whole
// channel, so Ephemeral is ignored. A new poll becomes a
// poll post with buttons. A poll's result (at its deadline) is posted as
// text, and the poll's own post, when the bot recorded it, is redrawn
// without buttons (see bot.AfterReply).
func (a *Adapter) Post(ctx context.Context, to bot.Destination, r bot.Reply) error {
	if to.Platform != "" && to.Platform != Platform {
		return fmt.Errorf("mattermost: cannot post to a %s channel", to.Platform)
	}
	r.Ephemeral = false
	if a.bot.AfterReply(ctx, r, a.polls) {
		return nil
	}
	// An error only when the text did not go out: a file that failed is
	// logged (see postReply), or the bot would post the text again.
	_, err := a.postReply(ctx, to.Channel, "", "", r)
	return err
}

// createPosts posts text in channel, split at Mattermost's size limit; with
// a rootID the posts are replies in that thread. The files (IDs of files
// uploaded into the channel) go with the last post.
func (a *Adapter) createPosts(ctx context.Context, channel, rootID, text string, fileIDs ...string) error {
	parts := split(render(text), a.maxRunes)
	for i, part := range parts {
		p := &post{ChannelId: channel, RootId: rootID, Message: part}
		if i == len(parts)-1 && len(fileIDs) > 0 {
			p.FileIds = fileIDs
		}
		if _, err := a.rest.createPost(ctx, p); err != nil {
			return fmt.Errorf("create post in channel %s: %w", channel, err)
		}
	}
	return nil
}

// answer replies to a post that mentioned the bot or was sent to it
// directly. A new poll becomes a poll post with buttons, and a changed
// poll's post is redrawn (see bot.AfterReply). A public
// reply goes to the same channel, in the post's thread if
// it was in one. An ephemeral reply (help, a refusal, suggestions) is for
// the asker only: in a direct channel it is simply posted there; elsewhere
// it becomes an ephemeral post, which needs the system admin role, and
// otherwise a direct message to the asker. It is never posted publicly in
// the channel, because a refusal there would embarrass the asker and
// clutter the channel.
func (a *Adapter) answer(ctx context.Context, p *post, direct bool, r bot.Reply) error {
	if a.bot.AfterReply(ctx, r, a.inThread(p.RootId)) {
		return nil
	}
	if len(r.Files) > 0 {
		return a.answerWithFiles(ctx, p, direct, r)
	}
	if !r.Ephemeral || direct {
		return a.createPosts(ctx, p.ChannelId, p.RootId, r.Text)
	}
	if !a.ephemeralDenied.Load() {
		err := a.postEphemeral(ctx, p, r.Text)
		if err == nil {
			return nil
		}
		a.log.Info("ephemeral posts are not allowed for the bot (needs the system admin role); sending ephemeral answers as direct messages", "error", err)
	}
	me := a.self()
	dm, err := a.rest.directChannel(ctx, me.Id, p.UserId)
	if err != nil {
		return fmt.Errorf("open a direct channel with user %s: %w", p.UserId, err)
	}
	return a.createPosts(ctx, dm.Id, "", r.Text)
}

// postEphemeral shows text to the author of p only. It remembers a refusal
// by the server so that it is asked only once.
func (a *Adapter) postEphemeral(ctx context.Context, p *post, text string) error {
	for _, part := range split(render(text), a.maxRunes) {
		err := a.rest.createEphemeral(ctx, p.UserId, &post{ChannelId: p.ChannelId, RootId: p.RootId, Message: part})
		if err != nil {
			if s := httpStatus(err); s == http.StatusForbidden || s == http.StatusUnauthorized {
				a.ephemeralDenied.Store(true)
			}
			return err
		}
	}
	return nil
}

// answerWithFiles answers a post with a reply that carries files: in the
// post's channel and thread when the reply is public or the channel is
// the direct one, else in the asker's direct channel; what the asker must
// hear about the files follows privately.
func (a *Adapter) answerWithFiles(ctx context.Context, p *post, direct bool, r bot.Reply) error {
	if direct {
		r.Ephemeral = false // the direct channel is private already
	}
	note, err := a.postReply(ctx, p.ChannelId, p.RootId, p.UserId, r)
	if err != nil {
		return err
	}
	if note == "" {
		return nil
	}
	return a.answer(ctx, p, direct, bot.Reply{Text: note, Ephemeral: true})
}
