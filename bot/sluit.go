package bot

import (
	"context"
	"errors"
	"slices"
	"strings"
)

// sluit answers /sluit ID: the creator or an admin closes the poll, and the
// result goes to the channel.
func (b *Bot) sluit(ctx context.Context, req Request) Reply {
	if b.polls == nil {
		return b.noPolls()
	}
	id := normalizeID(req.Args)
	if id == "" {
		return b.refuse("close.usage")
	}
	creator, err := b.personKey(ctx, Poll{ID: id, Anon: true}, req, "creator")
	if err != nil {
		return b.internal("close", err)
	}
	plain, err := b.personKey(ctx, Poll{}, req, "creator")
	if err != nil {
		return b.internal("close", err)
	}
	closeAs := func(admin bool) (Poll, Tally, error) {
		return b.polls.ClosePoll(ctx, id, b.now(), func(p Poll) error {
			switch {
			case p.Where != destination(req):
				return &refusal{err: ErrOtherChannel, key: "poll.other_channel", args: []any{p.ID}}
			case admin:
			case p.Anon && p.Creator == creator:
			case !p.Anon && p.Creator == plain:
			default:
				return &refusal{err: ErrNotAllowed, key: "close.not_allowed", args: []any{p.ID}}
			}
			return nil
		})
	}
	p, t, err := closeAs(b.configuredAdmin(req))
	// Ask the platform only when it matters, and outside the transaction.
	if errors.Is(err, ErrNotAllowed) && req.Admin != nil && req.Admin(ctx) {
		p, t, err = closeAs(true)
	}
	switch {
	case errors.Is(err, ErrPollNotFound):
		return b.refuse("poll.not_found", Quote(id, 10))
	case errors.Is(err, ErrPollClosed):
		if p.Where != destination(req) {
			return b.refuse("poll.other_channel", p.ID)
		}
		reply := b.refuse("close.already", p.ID, p.ID)
		reply.Poll = b.view(p, t, true)
		return reply
	case errors.Is(err, ErrOtherChannel):
		return b.refusal(err, nil)
	case err != nil:
		return b.refusal(err, b.view(p, t, false))
	}
	return Reply{Text: b.msg.T("close.done", p.ID) + "\n\n" + b.resultText(p, t), Poll: b.view(p, t, true), Changed: true}
}

// configuredAdmin reports whether the configuration lists the user, by ID
// or by name, as an admin.
func (b *Bot) configuredAdmin(req Request) bool {
	return slices.ContainsFunc(b.cfg.Admins, func(a string) bool {
		return (req.User != "" && a == req.User) || (req.UserName != "" && strings.EqualFold(a, req.UserName))
	})
}

// isAdmin reports whether the configuration or the platform makes the user
// an admin. The configuration is checked first: it costs nothing.
func (b *Bot) isAdmin(ctx context.Context, req Request) bool {
	return b.configuredAdmin(req) || (req.Admin != nil && req.Admin(ctx))
}
