package bot

import (
	"context"
	"errors"
	"strings"

	"github.com/waardenbot/waardenbot/bot/poll"
)

// optie answers /optie ID waarde: someone adds a value to a poll that was
// started with aanvullen (the creator and admins to any value poll). The
// value is recognised as /casus recognises values; the poll's message is
// redrawn with it, and says who added it unless the poll is anonymous.
func (b *Bot) optie(ctx context.Context, req Request) Reply {
	id, value, _ := strings.Cut(req.Args, " ")
	return b.AddOption(ctx, req, id, strings.TrimSpace(value))
}

// AddOption adds value to poll pollID for the user of req, as /optie
// does. Adapters call it for the form behind a poll's "Waarde toevoegen"
// button. Someone the platform says is not in the poll's channel is
// refused; where the platform cannot tell, being in the channel is
// enough.
func (b *Bot) AddOption(ctx context.Context, req Request, pollID, value string) Reply {
	if b.polls == nil {
		return b.noPolls()
	}
	if poll.NormalizeID(pollID) == "" {
		return b.refuse("option.usage")
	}
	if !b.isMember(ctx, req) {
		return b.refuse("option.not_member")
	}
	p, t, o, err := b.polls.AddOption(ctx, person(req), pollID, value, b.configuredAdmin(req), req.Admin)
	if err != nil {
		if errors.Is(err, poll.ErrNotFound) || errors.Is(err, poll.ErrOtherChannel) || p.ID == "" {
			return b.pollRefusal("add option", err, nil)
		}
		return b.pollRefusal("add option", err, b.view(p, t, false))
	}
	text := b.msg.T("option.done", Escape(o.Label), p.ID)
	if !o.OnMap {
		text += " " + b.msg.T("option.offmap")
	}
	return Reply{Text: text, Ephemeral: true, Poll: b.view(p, t, false), Changed: true}
}

// isMember reports whether the user of req is in req's channel, as the
// platform says (its list of members, which the roster gives); true when
// the platform cannot tell.
func (b *Bot) isMember(ctx context.Context, req Request) bool {
	r := b.roster()
	where := destination(req)
	if !r.has(where) {
		return true
	}
	users, err := r.Members(ctx, where)
	if err != nil {
		b.log.Warn("could not ask the platform who is in the channel; taking the user as a member", "channel", where.Channel, "err", err)
		return true
	}
	for _, u := range users {
		if u == req.User {
			return true
		}
	}
	return false
}
