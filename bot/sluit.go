package bot

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/waardenbot/waardenbot/bot/poll"
)

// sluit answers /sluit ID: the creator or an admin closes the poll, and the
// result goes to the channel.
func (b *Bot) sluit(ctx context.Context, req Request) Reply {
	return b.Close(ctx, req, req.Args)
}

// Close closes poll pollID for the user of req, as /sluit does: the
// poll's creator may, and an admin (by the configuration, or by the
// platform through req.Admin, which is asked only when it matters). The
// reply carries the result for the channel, or says why the poll was not
// closed. A casus's result comes with its chart (Reply.Files). Adapters
// call it for a close button.
func (b *Bot) Close(ctx context.Context, req Request, pollID string) Reply {
	if b.polls == nil {
		return b.noPolls()
	}
	if poll.NormalizeID(pollID) == "" {
		return b.refuse("close.usage")
	}
	p, t, err := b.polls.Close(ctx, person(req), pollID, b.configuredAdmin(req), req.Admin)
	switch {
	case err == nil:
		v := b.pollView(ctx, p, t, true)
		return Reply{Text: b.msg.T("close.done", p.ID) + "\n\n" + v.Parts().Result.Markdown(), Poll: v, Changed: true,
			Files: b.closeFiles(ctx, p, t)}
	case errors.Is(err, poll.ErrNotFound), errors.Is(err, poll.ErrOtherChannel):
		return b.pollRefusal("close", err, nil)
	case errors.Is(err, poll.ErrClosed):
		return b.pollRefusal("close", err, b.pollView(ctx, p, t, true))
	}
	return b.pollRefusal("close", err, b.view(p, t, false))
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
