package bot

import (
	"context"
	"errors"

	"github.com/waardenbot/waardenbot/bot/poll"
)

// PollMessage returns the message that shows a poll in its channel, as it
// is now: the casus or statement with the current counts, and for a closed
// poll its result. Adapters redraw a poll's message with it after a button
// click or when the poll closes. The reply is public; for an unknown poll it
// is a refusal.
func (b *Bot) PollMessage(ctx context.Context, pollID string) Reply {
	if b.polls == nil {
		return b.noPolls()
	}
	p, t, err := b.polls.Get(ctx, pollID)
	switch {
	case errors.Is(err, poll.ErrNotFound):
		return b.refuse("poll.not_found", Quote(pollID, 10))
	case err != nil:
		return b.internal("poll message", err)
	}
	v := b.pollView(ctx, p, t, true)
	parts := v.Parts()
	text := parts.Markdown()
	if v.Closed {
		text += "\n\n" + parts.Result.Markdown()
	}
	return Reply{Text: text, Poll: v}
}

// PollPosted records that the poll is shown in message, the platform's ID
// of the bot's own message (a Slack ts, a Mattermost post ID). The poll's
// views carry it from then on, also after a restart, so that an adapter
// can redraw the message when someone votes or the poll closes.
func (b *Bot) PollPosted(ctx context.Context, pollID, message string) error {
	if b.polls == nil {
		return ErrNoPolls
	}
	return b.polls.SetMessage(ctx, pollID, message)
}

// T returns the catalog sentence for key in the bot's language, for the
// few words an adapter shows on its own controls (button labels, dialog
// titles), so that they too come from the one catalog.
func (b *Bot) T(key string, args ...any) string { return b.msg.T(key, args...) }
