package bot

import (
	"context"
	"errors"
	"strings"

	"github.com/waardenbot/waardenbot/bot/poll"
)

// wijzig answers /wijzig ID [settings] [TEXT] [| waarde, …]: the creator
// (or an admin) corrects a poll in the grammar of /casus, as
// poll.Service.Change allows: everything but anoniem until the first vote,
// then only the deadline and added values. The poll's message is redrawn;
// a refusal says why and changes nothing.
func (b *Bot) wijzig(ctx context.Context, req Request) Reply {
	if b.polls == nil {
		return b.noPolls()
	}
	id, args, _ := strings.Cut(req.Args, " ")
	if poll.NormalizeID(id) == "" {
		return b.refuse("edit.usage")
	}
	p, t, e, err := b.polls.Change(ctx, person(req), id, strings.TrimSpace(args), b.configuredAdmin(req), req.Admin)
	if err != nil {
		if errors.Is(err, poll.ErrNotFound) || errors.Is(err, poll.ErrOtherChannel) {
			return b.pollRefusal("change poll", err, nil)
		}
		var view *PollView
		if p.ID != "" {
			view = b.view(p, t, false)
		}
		return b.pollRefusal("change poll", err, view)
	}
	var what []string
	for _, c := range []struct {
		changed bool
		key     string
	}{{e.Text, "edit.what.text"}, {e.Options && len(e.Added) == 0, "edit.what.options"}, {e.Max, "edit.what.max"}, {e.Hidden, "edit.what.hidden"}, {e.Deadline, "edit.what.deadline"}} {
		if c.changed {
			what = append(what, b.msg.T(c.key))
		}
	}
	if len(e.Added) > 0 {
		var labels []string
		for _, o := range e.Added {
			labels = append(labels, Escape(o.Label))
		}
		what = append(what, b.msg.T("edit.what.added", joinBold(labels)))
	}
	text := b.msg.T("edit.unchanged", p.ID)
	if len(what) > 0 {
		text = b.msg.T("edit.done", p.ID, b.list(what))
	}
	if !p.ClosesAt.IsZero() && e.Deadline {
		text += " " + b.msg.T("poll.closes", b.formatTime(p.ClosesAt))
	}
	return Reply{Text: text, Ephemeral: true, Poll: b.view(p, t, false), Changed: len(what) > 0}
}
